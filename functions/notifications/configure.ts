import { join } from 'node:path';
import * as z from 'zod';
import { ConfigurationError } from '#shared/config';
import { notifyNotifier } from './govuk-notify.ts';
import { outboxNotifier } from './outbox.ts';
import type { Notifier } from './port.ts';

/**
 * The transport, from configuration (docs/notifications.md):
 * - `NOTIFICATIONS_TRANSPORT=outbox` with `NOTIFICATIONS_OUTBOX_DIR`: one JSON file a message
 *   (the local runtime sets both: `$SC_STATE_DIR/outbox`);
 * - `NOTIFICATIONS_TRANSPORT=govuk-notify` (the default): GOV.UK Notify, templates by id from
 *   `NOTIFY_TEMPLATES` (JSON: logical name → template id) and the API key from the `notify`
 *   secret (`NOTIFY_SECRET_ARN`, read through the Parameters and Secrets extension) or, for a
 *   trial, `NOTIFY_API_KEY`.
 */
export const transports = ['outbox', 'govuk-notify'] as const;

const CACHE_MS = 5 * 60 * 1000;

function apiKeySource(env: NodeJS.ProcessEnv): () => Promise<string> {
  let cached: { value: string; at: number } | undefined;
  return async () => {
    if (env.NOTIFY_API_KEY) return env.NOTIFY_API_KEY;
    const arn = env.NOTIFY_SECRET_ARN;
    if (!arn) throw new ConfigurationError('set NOTIFY_SECRET_ARN (AWS) or NOTIFY_API_KEY to send through GOV.UK Notify');
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
    const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
    const res = await fetch(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(arn)}`, {
      headers: { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN ?? '' },
    });
    if (!res.ok) throw new ConfigurationError(`the secrets extension answered ${res.status} for the Notify secret`);
    const secret = z.object({ apiKey: z.string().min(74) }).safeParse(JSON.parse(String(((await res.json()) as { SecretString?: unknown }).SecretString ?? '{}')));
    if (!secret.success) throw new ConfigurationError('the Notify secret needs apiKey (the GOV.UK Notify API key)');
    cached = { value: secret.data.apiKey, at: Date.now() };
    return cached.value;
  };
}

function templatesOf(env: NodeJS.ProcessEnv): Record<string, string> {
  if (!env.NOTIFY_TEMPLATES) return {};
  try {
    return z.record(z.string(), z.string().min(1)).parse(JSON.parse(env.NOTIFY_TEMPLATES));
  } catch {
    throw new ConfigurationError('NOTIFY_TEMPLATES must be JSON: { "<template name>": "<Notify template id>", … }');
  }
}

export function notifierFrom(env: NodeJS.ProcessEnv = process.env): Notifier {
  const transport = env.NOTIFICATIONS_TRANSPORT ?? 'govuk-notify';
  switch (transport) {
    case 'outbox': {
      const dir = env.NOTIFICATIONS_OUTBOX_DIR ?? (env.SC_STATE_DIR ? join(env.SC_STATE_DIR, 'outbox') : undefined);
      if (!dir) throw new ConfigurationError('NOTIFICATIONS_TRANSPORT=outbox needs NOTIFICATIONS_OUTBOX_DIR');
      return outboxNotifier(dir);
    }
    case 'govuk-notify':
      return notifyNotifier({ apiKey: apiKeySource(env), templates: templatesOf(env), ...(env.NOTIFY_BASE_URL ? { baseUrl: env.NOTIFY_BASE_URL } : {}) });
    default:
      throw new ConfigurationError(`NOTIFICATIONS_TRANSPORT must be one of ${transports.join(', ')}, not "${transport}"`);
  }
}

/** The notifier for this function, made on first use (a function that never sends needs no settings). */
let made: Notifier | undefined;
export const notifier = (): Notifier => (made ??= notifierFrom());
