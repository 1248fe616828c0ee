import { SignJWT } from 'jose';
import { NotificationFailedError, type Notification, type Notifier } from './port.ts';

/**
 * GOV.UK Notify's REST API (https://docs.notifications.service.gov.uk/rest-api.html), written
 * against fetch and jose rather than the client library, so a function bundle carries no HTTP
 * client of its own. An API key is `<key name>-<service id>-<secret key>`, both ids being
 * UUIDs; each request carries a JWT (HS256, `iss` the service id, `iat` now) signed with the
 * secret key.
 */
export interface NotifyOptions {
  /** Gives the API key (from Secrets Manager on AWS); called for each message, so it may cache. */
  readonly apiKey: () => Promise<string>;
  /** Logical template name → Notify template id. */
  readonly templates: Readonly<Record<string, string>>;
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseApiKey(key: string): { serviceId: string; secret: string } {
  const trimmed = key.trim();
  const secret = trimmed.slice(-36);
  const serviceId = trimmed.slice(-73, -37);
  if (trimmed.length < 74 || !UUID.test(secret) || !UUID.test(serviceId) || trimmed.at(-37) !== '-') {
    throw new NotificationFailedError('the GOV.UK Notify API key is not in the form <name>-<service id>-<secret>');
  }
  return { serviceId, secret };
}

export function notifyNotifier(options: NotifyOptions): Notifier {
  const base = (options.baseUrl ?? 'https://api.notifications.service.gov.uk').replace(/\/$/, '');
  const call = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  return {
    async send(n: Notification) {
      const templateId = options.templates[n.template];
      if (!templateId) throw new NotificationFailedError(`no GOV.UK Notify template id is set for "${n.template}" (NOTIFY_TEMPLATES)`);
      const { serviceId, secret } = parseApiKey(await options.apiKey());
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(serviceId)
        .setIssuedAt(Math.floor(now().getTime() / 1000))
        .sign(new TextEncoder().encode(secret));
      const recipient = n.channel === 'email' ? { email_address: n.to } : { phone_number: n.to };
      const res = await call(`${base}/v2/notifications/${n.channel}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...recipient, template_id: templateId, personalisation: n.personalisation, reference: n.id }),
      });
      if (!res.ok) {
        // Notify's errors name the problem (never the recipient): keep its words for the logs.
        const detail = await res.text().catch(() => '');
        throw new NotificationFailedError(`GOV.UK Notify answered ${res.status}: ${detail.slice(0, 300)}`);
      }
      const body = (await res.json()) as { id?: unknown };
      return { id: n.id, ...(typeof body.id === 'string' ? { providerId: body.id } : {}) };
    },
  };
}
