/**
 * Signs in through the local OpenID provider the way a browser does, with plain fetch and a
 * cookie jar: /sign-in, the provider's "choose who you are" form, the callback.
 */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  take(res: Response): string[] {
    const lines = res.headers.getSetCookie();
    for (const line of lines) {
      const [pair] = line.split(';');
      const at = pair?.indexOf('=') ?? -1;
      if (!pair || at < 0) continue;
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return lines;
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export const html = { accept: 'text/html' };

export interface SignedIn {
  jar: CookieJar;
  /** The Set-Cookie line of the session. */
  sessionCookie: string;
  /** Where the callback sent the browser. */
  landedAt: string;
}

export async function signInAs(gateway: string, username: string, returnTo = '/officer/triage'): Promise<SignedIn> {
  const jar = new CookieJar();
  const start = await fetch(`${gateway}/sign-in?returnTo=${encodeURIComponent(returnTo)}`, { headers: html, redirect: 'manual' });
  if (start.status !== 302) throw new Error(`/sign-in answered ${start.status}`);
  jar.take(start);
  const authorize = new URL(start.headers.get('location') ?? '');
  const chooser = await fetch(authorize, { headers: html, redirect: 'manual' });
  if (chooser.status !== 200) throw new Error(`the provider answered ${chooser.status}: ${await chooser.text()}`);
  const form = new URLSearchParams(authorize.searchParams);
  form.set('username', username);
  const chosen = await fetch(`${authorize.origin}${authorize.pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  if (chosen.status !== 302) throw new Error(`the provider's form answered ${chosen.status}`);
  const callback = await fetch(chosen.headers.get('location') ?? '', { headers: { ...html, cookie: jar.header() }, redirect: 'manual' });
  if (callback.status !== 303) throw new Error(`the callback answered ${callback.status}: ${await callback.text()}`);
  const lines = jar.take(callback);
  return { jar, sessionCookie: lines.find((l) => l.startsWith('sc_session=')) ?? '', landedAt: callback.headers.get('location') ?? '' };
}

/** The CSRF token in a page's forms. */
export const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)?.[1];
