import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { notifierFrom } from '../../functions/notifications/configure.ts';
import { notifyNotifier, parseApiKey } from '../../functions/notifications/govuk-notify.ts';
import { outboxNotifier } from '../../functions/notifications/outbox.ts';

const serviceId = '26785a09-ab16-4eb0-8407-a37497a57506';
const secret = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const apiKey = `trial-key-${serviceId}-${secret}`;
const message = { channel: 'email' as const, to: 'sam@example.com', template: 'case-review-outcome', personalisation: { reference: 'CR-AAAA-BBBB', body: 'Hello' }, id: 'CR-AAAA-BBBB-outcome-1234abcd' };

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-outbox-'));
  dirs.push(dir);
  return join(dir, 'outbox');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('unit: notifications — the outbox', () => {
  it('writes one JSON file a message with the contract’s fields, and the same message again replaces it', async () => {
    const dir = tempDir();
    const outbox = outboxNotifier(dir, () => new Date('2025-06-01T10:00:00Z'));
    await outbox.send(message);
    await outbox.send(message);
    expect(readdirSync(dir)).toEqual([`${message.id}.json`]);
    expect(JSON.parse(readFileSync(join(dir, `${message.id}.json`), 'utf8'))).toEqual({ ...message, sentAt: '2025-06-01T10:00:00.000Z' });
  });

  it('is chosen by configuration, and refuses a transport it does not know', async () => {
    const dir = tempDir();
    await notifierFrom({ NOTIFICATIONS_TRANSPORT: 'outbox', NOTIFICATIONS_OUTBOX_DIR: dir }).send(message);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(() => notifierFrom({ NOTIFICATIONS_TRANSPORT: 'pigeon' })).toThrow(/NOTIFICATIONS_TRANSPORT/);
    expect(() => notifierFrom({ NOTIFICATIONS_TRANSPORT: 'outbox' })).toThrow(/NOTIFICATIONS_OUTBOX_DIR/);
    await expect(notifierFrom({}).send(message)).rejects.toThrow(/NOTIFY_TEMPLATES/);
    await expect(notifierFrom({ NOTIFY_TEMPLATES: '{"case-review-outcome":"t-1"}' }).send(message)).rejects.toThrow(/NOTIFY_SECRET_ARN/);
  });
});

describe('unit: notifications — GOV.UK Notify', () => {
  it('posts the message with the template id and a JWT signed with the key’s secret', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(JSON.stringify({ id: 'notify-123' }), { status: 201 });
    }) as unknown as typeof fetch;
    const notify = notifyNotifier({ apiKey: async () => apiKey, templates: { 'case-review-outcome': 'f33517ff-2a88-4f6e-b855-c550268ce08a' }, fetch: fakeFetch, now: () => new Date() });
    expect(await notify.send(message)).toEqual({ id: message.id, providerId: 'notify-123' });
    const [call] = calls;
    expect(call?.url).toBe('https://api.notifications.service.gov.uk/v2/notifications/email');
    expect(JSON.parse(String(call?.init.body))).toEqual({ email_address: 'sam@example.com', template_id: 'f33517ff-2a88-4f6e-b855-c550268ce08a', personalisation: message.personalisation, reference: message.id });
    const token = String((call?.init.headers as Record<string, string>).authorization).replace('Bearer ', '');
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { issuer: serviceId });
    expect(typeof payload.iat).toBe('number');
  });

  it('refuses a template with no id, a malformed key, and reports Notify’s error', async () => {
    const failing = (async () => new Response('{"errors":[{"error":"BadRequestError","message":"Missing personalisation"}]}', { status: 400 })) as unknown as typeof fetch;
    const notify = notifyNotifier({ apiKey: async () => apiKey, templates: { 'case-review-outcome': 't-1' }, fetch: failing });
    await expect(notify.send(message)).rejects.toThrow(/400.*Missing personalisation/);
    await expect(notify.send({ ...message, template: 'unknown' })).rejects.toThrow(/no GOV.UK Notify template id/);
    expect(() => parseApiKey('not-a-key')).toThrow(/API key/);
    expect(parseApiKey(apiKey)).toEqual({ serviceId, secret });
  });
});
