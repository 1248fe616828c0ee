import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.ts';
import { CookieJar, csrfOf, html, signInAs } from '../support/sign-in.ts';

describe('integration: staff sign-in (OpenID Connect, code flow with PKCE) and CSRF', () => {
  let stack: TestStack;
  let gateway: string;
  beforeAll(async () => {
    stack = await startTestStack();
    gateway = stack.endpoints.gateway;
  });
  afterAll(() => stack.dispose());

  const get = (path: string, jar?: CookieJar) => fetch(`${gateway}${path}`, { headers: { ...html, ...(jar ? { cookie: jar.header() } : {}) }, redirect: 'manual' });
  const post = (path: string, jar: CookieJar, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${gateway}${path}`, {
      method: 'POST',
      headers: { ...html, cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', origin: gateway, ...headers },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });

  it('sends a browser without a session to sign in, and a script gets its 401', async () => {
    const browser = await get('/officer/triage?status=new');
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe(`/sign-in?returnTo=${encodeURIComponent('/officer/triage?status=new')}`);
    const script = await fetch(`${gateway}/officer/triage`, { headers: { accept: 'application/json' }, redirect: 'manual' });
    expect(script.status).toBe(401);
  });

  it('sends the browser to the provider with state, nonce and a PKCE S256 challenge', async () => {
    const res = await get('/sign-in?returnTo=%2Fofficer%2Fcases');
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location') ?? '');
    expect(`${to.origin}${to.pathname}`).toBe(`${gateway}/oidc/authorize`);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get('redirect_uri')).toBe(`${gateway}/sign-in/callback`);
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('sc_sign_in='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('signs an officer in by the code flow, back to the page they wanted, with a session cookie', async () => {
    const { jar, sessionCookie, landedAt } = await signInAs(gateway, 'olivia.officer', '/officer/cases?x=1');
    expect(landedAt).toBe('/officer/cases?x=1');
    expect(sessionCookie).toMatch(/; HttpOnly/);
    expect(sessionCookie).toMatch(/; SameSite=Lax/);
    expect(sessionCookie).toMatch(/; Max-Age=3600/);
    // Plain HTTP to this machine only: no Secure here, Secure everywhere else (unit tests).
    expect(sessionCookie).not.toMatch(/Secure/);
    const page = await get('/officer/triage', jar);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(csrfOf(body)).toBeTruthy();
    expect(body).toContain('Sign out');
  });

  it('never redirects off the site after sign-in', async () => {
    for (const evil of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const { landedAt } = await signInAs(gateway, 'olivia.officer', evil);
      expect(landedAt).toBe('/officer/triage');
    }
  });

  it('refuses a callback whose state is not the one this browser started', async () => {
    const jar = new CookieJar();
    jar.take(await get('/sign-in'));
    const res = await get('/sign-in/callback?code=anything&state=forged', jar);
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie().some((l) => l.startsWith('sc_session='))).toBe(false);
  });

  it("the provider's token endpoint refuses a code without the right PKCE verifier", async () => {
    const start = await get('/sign-in');
    const authorize = new URL(start.headers.get('location') ?? '');
    const form = new URLSearchParams(authorize.searchParams);
    form.set('username', 'olivia.officer');
    const chosen = await fetch(`${gateway}/oidc/authorize`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), redirect: 'manual' });
    const code = new URL(chosen.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const token = await fetch(`${gateway}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: `${gateway}/sign-in/callback`,
        client_id: process.env.OIDC_CLIENT_ID ?? '',
        client_secret: process.env.OIDC_CLIENT_SECRET ?? '',
        code_verifier: 'a'.repeat(43),
      }).toString(),
    });
    expect(token.status).toBe(400);
    expect(((await token.json()) as { error: string }).error).toBe('invalid_grant');
  });

  describe('CSRF on a staff form', () => {
    let jar: CookieJar;
    let token: string;
    beforeAll(async () => {
      ({ jar } = await signInAs(gateway, 'olivia.officer'));
      token = csrfOf(await (await get('/officer/triage', jar)).text()) ?? '';
    });
    const form = (csrf?: string) => ({ decision: 'open-case', ...(csrf !== undefined ? { csrf } : {}) });

    it('refuses a form without the token', async () => {
      const res = await post('/officer/triage/no-such-report', jar, form());
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('not sent from your session');
    });

    it('refuses a forged token', async () => {
      const res = await post('/officer/triage/no-such-report', jar, form('x'.repeat(token.length)));
      expect(res.status).toBe(403);
    });

    it("refuses a cross-site POST even with the session's token", async () => {
      expect((await post('/officer/triage/no-such-report', jar, form(token), { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      expect((await post('/officer/triage/no-such-report', jar, form(token), { 'sec-fetch-site': 'same-site' })).status).toBe(403);
      const other = await post('/officer/triage/no-such-report', jar, form(token), { origin: 'https://evil.example', 'sec-fetch-site': '' });
      expect(other.status).toBe(403);
      expect(await other.text()).toContain('another site');
    });

    it("lets the session's own form through to the handler", async () => {
      const res = await post('/officer/triage/no-such-report', jar, form(token));
      expect([401, 403]).not.toContain(res.status);
    });

    it('bearer-token callers need no CSRF token', async () => {
      const res = await stack.request('POST', '/officer/triage/no-such-report', { role: 'officer', form: { decision: 'open-case' } });
      expect([401, 403]).not.toContain(res.status);
    });
  });

  it("finance's desk forms need the session's token too, the CSV upload (multipart) included", async () => {
    const { jar } = await signInAs(gateway, 'fiona.finance');
    const newStream = await get('/finance/funding/streams/new', jar);
    expect(newStream.status).toBe(200);
    const token = csrfOf(await newStream.text()) ?? '';
    expect(token).not.toBe('');
    const stream = { code: 'SIGNIN1', name: 'Signed-in stream', funder: 'Home Office' };
    expect((await post('/finance/funding/streams/new', jar, stream)).status).toBe(403);
    expect((await post('/finance/funding/streams/new', jar, { ...stream, csrf: token }, { origin: 'https://evil.example', 'sec-fetch-site': '' })).status).toBe(403);
    const opened = await post('/finance/funding/streams/new', jar, { ...stream, csrf: token });
    expect([401, 403]).not.toContain(opened.status);

    const upload = (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(fields)) data.append(k, v);
      data.append('file', new Blob(['type\n'], { type: 'text/csv' }), 'funding.csv');
      return fetch(`${gateway}/finance/funding/import`, { method: 'POST', body: data, redirect: 'manual', headers: { ...html, cookie: jar.header(), 'sec-fetch-site': 'same-origin' } });
    };
    expect((await upload({})).status).toBe(403);
    // With the token, the file reaches the import, which finds it has no rows (the page again, 422).
    expect((await upload({ csrf: token })).status).toBe(422);
  });

  it('sign-out needs the token, ends the session here and at the provider, and the page asks to sign in again', async () => {
    const { jar } = await signInAs(gateway, 'olivia.officer');
    const token = csrfOf(await (await get('/officer/triage', jar)).text()) ?? '';
    expect((await post('/sign-out', jar, {})).status).toBe(403);
    const out = await post('/sign-out', jar, { csrf: token });
    // To the provider's end_session_endpoint (from its discovery document), which sends the browser back.
    expect(out.status).toBe(303);
    const atProvider = new URL(out.headers.get('location') ?? '');
    expect(`${atProvider.origin}${atProvider.pathname}`).toBe(`${gateway}/oidc/logout`);
    expect(Object.fromEntries(atProvider.searchParams)).toEqual({ client_id: 'safer-communities-staff', post_logout_redirect_uri: `${gateway}/signed-out` });
    const back = await fetch(atProvider, { redirect: 'manual' });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`${gateway}/signed-out`);
    const signedOut = await get('/signed-out');
    expect(signedOut.status).toBe(200);
    expect(await signedOut.text()).toContain('You have signed out');
    jar.take(out);
    expect(jar.cookies.has('sc_session')).toBe(false);
    const again = await get('/officer/triage', jar);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/sign-in?returnTo=%2Fofficer%2Ftriage');
  });

  it("the provider sends a browser back after sign-out only to an address registered for the client", async () => {
    const logout = (params: Record<string, string>) => fetch(`${gateway}/oidc/logout?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
    expect((await logout({ client_id: 'safer-communities-staff', post_logout_redirect_uri: 'https://evil.example/signed-out' })).status).toBe(400);
    expect((await logout({ client_id: 'someone-else', post_logout_redirect_uri: `${gateway}/signed-out` })).status).toBe(400);
  });

  it('a finance user signed in is told the page needs the officer role', async () => {
    const { jar } = await signInAs(gateway, 'fiona.finance');
    const res = await get('/officer/triage', jar);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Safer Communities officer');
  });
});
