import { describe, expect, it } from 'vitest';
import { AppError } from '#shared/errors';
import { receiveIncident, type ReceiveIncidentDeps, type SignedRequest } from '../../functions/disc/receive-incident.ts';
import type { DiscReport } from '../../functions/disc/map-incident.ts';
import { createSecretsSource } from '../../functions/disc/secrets.ts';
import { signatureHeaders } from '../../functions/disc/signature.ts';

const webhookSecret = 'disc-webhook-secret-for-unit-tests-0123456789';
const subjectKey = 'subject-key-for-unit-tests-0123456789abcdef';
const now = new Date('2024-05-14T15:00:00Z');

const incident = {
  schemaVersion: 1,
  incidentId: 'INC-7',
  incidentType: 'verbal-abuse',
  occurredAt: '2024-05-14T15:50:00+01:00',
  premises: { name: 'Pharmacy', postcode: 'LE1 5WW' },
  description: 'Customer shouted abuse at the pharmacist.',
};

function signed(body: unknown, at = now, secret = webhookSecret): SignedRequest {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const h = signatureHeaders(secret, raw, at);
  return { timestamp: h['X-Disc-Timestamp'], signature: h['X-Disc-Signature'], contentType: 'application/json', rawBody: raw };
}

function fakes() {
  const seen = new Set<string>();
  const published: DiscReport[] = [];
  const refused: string[] = [];
  const deps: ReceiveIncidentDeps = {
    secrets: async () => ({ webhookSecrets: [webhookSecret], subjectKey }),
    remember: async (digest) => {
      if (seen.has(digest)) return 'seen';
      seen.add(digest);
      return 'new';
    },
    publish: async (detail) => {
      published.push(detail);
    },
    councilId: 'default',
    now: () => now,
    onRefused: (reason) => refused.push(reason),
  };
  return { deps, seen, published, refused };
}

const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('unit: receive DISC incident use case', () => {
  it('publishes one retail report and remembers the message when the signature is good', async () => {
    const f = fakes();
    const out = await receiveIncident(signed(incident), f.deps);
    expect(f.published).toHaveLength(1);
    expect(f.published[0]).toMatchObject({ channel: 'disc', category: 'retail.abuse', reportId: out.reportId });
    expect(f.seen.size).toBe(1);
  });

  it('refuses the same signed bytes a second time with 401 and publishes nothing more', async () => {
    const f = fakes();
    const request = signed(incident);
    await receiveIncident(request, f.deps);
    expect(await refusal(receiveIncident(request, f.deps))).toMatchObject({ status: 401, message: expect.stringContaining('already received') });
    expect(f.published).toHaveLength(1);
    expect(f.refused).toEqual(['replayed']);
  });

  it('refuses a bad signature with 401 before reading the body, storing and publishing nothing', async () => {
    const f = fakes();
    const wrong = signed(incident, now, 'not-the-shared-secret-0123456789abcdefghij');
    expect((await refusal(receiveIncident(wrong, f.deps))).status).toBe(401);
    const stale = signed(incident, new Date(now.getTime() - 6 * 60 * 1000));
    expect(await refusal(receiveIncident(stale, f.deps))).toMatchObject({ status: 401, message: expect.stringContaining('5 minutes') });
    const future = signed(incident, new Date(now.getTime() + 6 * 60 * 1000));
    expect((await refusal(receiveIncident(future, f.deps))).status).toBe(401);
    const unsigned = { ...signed(incident), signature: undefined };
    expect((await refusal(receiveIncident(unsigned, f.deps))).status).toBe(401);
    // Even a body that is not JSON is refused for its signature first.
    const garbage = { ...signed(incident), rawBody: Buffer.from('{not json') };
    expect((await refusal(receiveIncident(garbage, f.deps))).status).toBe(401);
    expect(f.refused).toEqual(['mismatch', 'stale', 'stale', 'missing', 'mismatch']);
    expect(f.seen.size).toBe(0);
    expect(f.published).toHaveLength(0);
  });

  it('refuses a signed body that is not a v1 incident with the fields to correct, remembering nothing', async () => {
    const f = fakes();
    const invalid = await refusal(receiveIncident(signed({ ...incident, incidentType: 'lost-property', premises: {} }), f.deps));
    expect(invalid.status).toBe(422);
    expect(invalid.details?.map((d) => d.path)).toEqual(expect.arrayContaining(['incidentType', 'premises.name']));
    expect((await refusal(receiveIncident(signed('{"schemaVersion":'), f.deps))).status).toBe(400);
    expect((await refusal(receiveIncident({ ...signed(incident), contentType: 'text/plain' }, f.deps))).status).toBe(415);
    expect(f.seen.size).toBe(0);
    expect(f.published).toHaveLength(0);
  });

  it('refuses a body over 256 KB with 413 without checking anything else', async () => {
    const f = fakes();
    const big = signed({ ...incident, description: 'x'.repeat(300 * 1024) });
    expect((await refusal(receiveIncident(big, f.deps))).status).toBe(413);
    expect(f.refused).toEqual([]);
  });
});

describe('unit: DISC secrets source', () => {
  it('reads the secrets from the environment when they are given as values', async () => {
    const source = createSecretsSource({ DISC_WEBHOOK_SECRET: webhookSecret, DISC_SUBJECT_KEY: subjectKey });
    expect(await source()).toEqual({ webhookSecrets: [webhookSecret], subjectKey });
  });

  it('refuses a configuration without a subject key, with short values or with one value for both', async () => {
    await expect(createSecretsSource({ DISC_WEBHOOK_SECRET: webhookSecret })()).rejects.toThrow(/DISC_SUBJECT_KEY/);
    await expect(createSecretsSource({ DISC_WEBHOOK_SECRET: 'short', DISC_SUBJECT_KEY: subjectKey })()).rejects.toThrow(/32/);
    await expect(createSecretsSource({ DISC_WEBHOOK_SECRET: webhookSecret, DISC_SUBJECT_KEY: webhookSecret })()).rejects.toThrow(/differ/);
    await expect(createSecretsSource({})()).rejects.toThrow(/DISC_SECRET_ARN/);
  });

  it('reads the Secrets Manager secret through the Lambda extension with the session token, and caches it', async () => {
    const calls: { url: string; headers: Record<string, string> }[] = [];
    let clock = 0;
    const source = createSecretsSource(
      { DISC_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:1:secret:disc', AWS_SESSION_TOKEN: 'session-token' },
      async (url, init) => {
        calls.push({ url, headers: init.headers });
        return {
          ok: true,
          status: 200,
          json: async () => ({ SecretString: JSON.stringify({ webhookSecret, previousWebhookSecret: `${webhookSecret}-old`, subjectKey }) }),
        };
      },
      () => clock,
    );
    expect(await source()).toEqual({ webhookSecrets: [webhookSecret, `${webhookSecret}-old`], subjectKey });
    await source();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('http://localhost:2773/secretsmanager/get?secretId=arn%3Aaws%3Asecretsmanager%3Aeu-west-2%3A1%3Asecret%3Adisc');
    expect(calls[0]?.headers).toEqual({ 'X-Aws-Parameters-Secrets-Token': 'session-token' });
    clock += 5 * 60 * 1000 + 1;
    await source();
    expect(calls).toHaveLength(2);
  });

  it('refuses a Secrets Manager secret without the fields it needs', async () => {
    const source = createSecretsSource({ DISC_SECRET_ARN: 'arn:x' }, async () => ({
      ok: true,
      status: 200,
      json: async () => ({ SecretString: JSON.stringify({ webhookSecret }) }),
    }));
    await expect(source()).rejects.toThrow(/subjectKey/);
  });
});
