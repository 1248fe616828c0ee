import * as z from 'zod';
import { ConfigurationError } from '#shared/config';

/**
 * The DISC secrets: the webhook secret shared with DISC (plus the previous one while it is
 * rotated) and the subject key that only we hold.
 *
 * - Given as values (`DISC_WEBHOOK_SECRET`, `DISC_SUBJECT_KEY`): the local stack and tests.
 * - Given as a Secrets Manager secret (`DISC_SECRET_ARN`): read through the AWS Parameters and
 *   Secrets Lambda extension on localhost, so the values never sit in the function's
 *   configuration or the CloudFormation template, and a rotated secret is picked up within
 *   the cache time. The secret is JSON: { webhookSecret, previousWebhookSecret?, subjectKey }.
 */
export interface DiscSecrets {
  readonly webhookSecrets: readonly string[];
  readonly subjectKey: string;
}

const MIN_SECRET = 32;

const secretJson = z.object({
  webhookSecret: z.string().min(MIN_SECRET),
  previousWebhookSecret: z.string().min(MIN_SECRET).optional(),
  subjectKey: z.string().min(MIN_SECRET),
});

const CACHE_MS = 5 * 60 * 1000;

type Fetch = (url: string, init: { headers: Record<string, string> }) => Promise<{ ok: boolean; status: number; json: () => Promise<unknown> }>;

export function createSecretsSource(
  env: NodeJS.ProcessEnv = process.env,
  fetchFn: Fetch = fetch,
  now: () => number = Date.now,
): () => Promise<DiscSecrets> {
  let cached: { value: DiscSecrets; at: number } | undefined;

  const fromEnv = (): DiscSecrets | undefined => {
    const webhookSecret = env.DISC_WEBHOOK_SECRET;
    if (!webhookSecret) return undefined;
    const subjectKey = env.DISC_SUBJECT_KEY;
    if (!subjectKey) throw new ConfigurationError('DISC_SUBJECT_KEY must be set when DISC_WEBHOOK_SECRET is');
    if (webhookSecret.length < MIN_SECRET || subjectKey.length < MIN_SECRET) {
      throw new ConfigurationError(`DISC_WEBHOOK_SECRET and DISC_SUBJECT_KEY must each be at least ${MIN_SECRET} characters`);
    }
    if (webhookSecret === subjectKey) throw new ConfigurationError('DISC_SUBJECT_KEY must differ from DISC_WEBHOOK_SECRET');
    return { webhookSecrets: [webhookSecret], subjectKey };
  };

  const fromSecretsManager = async (arn: string): Promise<DiscSecrets> => {
    const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
    const res = await fetchFn(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(arn)}`, {
      headers: { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN ?? '' },
    });
    if (!res.ok) throw new ConfigurationError(`the secrets extension answered ${res.status} for the DISC secret`);
    const body = (await res.json()) as { SecretString?: unknown };
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(body.SecretString ?? ''));
    } catch {
      throw new ConfigurationError('the DISC secret is not JSON');
    }
    const secret = secretJson.safeParse(parsed);
    if (!secret.success) throw new ConfigurationError('the DISC secret needs webhookSecret and subjectKey of 32+ characters');
    const { webhookSecret, previousWebhookSecret, subjectKey } = secret.data;
    return { webhookSecrets: previousWebhookSecret ? [webhookSecret, previousWebhookSecret] : [webhookSecret], subjectKey };
  };

  return async () => {
    const direct = fromEnv();
    if (direct) return direct;
    const arn = env.DISC_SECRET_ARN;
    if (!arn) throw new ConfigurationError('set DISC_SECRET_ARN (AWS) or DISC_WEBHOOK_SECRET and DISC_SUBJECT_KEY (local)');
    if (cached && now() - cached.at < CACHE_MS) return cached.value;
    cached = { value: await fromSecretsManager(arn), at: now() };
    return cached.value;
  };
}
