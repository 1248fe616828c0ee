import {
  BadRequestError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  detailsFromZod,
} from '#shared/errors';
import { discIncidentV1 } from './incident.ts';
import { toReportReceived, type DiscReport } from './map-incident.ts';
import type { DiscSecrets } from './secrets.ts';
import { refusalMessages, verify, type Refusal } from './signature.ts';

/** The EventBridge entry limit: nothing larger could become an event. */
export const MAX_INCIDENT_BYTES = 256 * 1024;

export interface SignedRequest {
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly contentType: string | undefined;
  readonly rawBody: Buffer;
}

export interface ReceiveIncidentDeps {
  readonly secrets: () => Promise<DiscSecrets>;
  /** Records a verified message; 'seen' if it was recorded before (a replay). */
  readonly remember: (messageDigest: string, timestamp: number) => Promise<'new' | 'seen'>;
  readonly publish: (detail: DiscReport) => Promise<void>;
  readonly councilId: string;
  readonly now?: () => Date;
  /** Told why a request was refused (never with its content). */
  readonly onRefused?: (reason: Refusal | 'replayed') => void;
}

/**
 * A signed DISC incident becomes one ReportReceived:
 * 1. the signature is checked before anything in the body is read;
 * 2. the body is parsed and validated against our v1 format;
 * 3. the signed message is recorded, so the same bytes cannot be replayed;
 * 4. the incident, names replaced by subjectRefs, is published.
 * A refusal at any step stores nothing.
 */
export async function receiveIncident(request: SignedRequest, deps: ReceiveIncidentDeps) {
  if (request.rawBody.length > MAX_INCIDENT_BYTES) {
    throw new PayloadTooLargeError(`the request body is larger than ${MAX_INCIDENT_BYTES / 1024} KB`);
  }
  const secrets = await deps.secrets();
  const checked = verify({
    timestamp: request.timestamp,
    signature: request.signature,
    rawBody: request.rawBody,
    secrets: secrets.webhookSecrets,
    now: deps.now?.() ?? new Date(),
  });
  if (!checked.ok) {
    deps.onRefused?.(checked.refusal);
    throw new UnauthorizedError(refusalMessages[checked.refusal]);
  }

  const type = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new UnsupportedMediaTypeError('send the incident as application/json');
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch (error) {
    throw new BadRequestError(`the body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = discIncidentV1.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError('the incident does not match the DISC v1 format: correct the fields listed', detailsFromZod(parsed.error.issues));
  }

  if ((await deps.remember(checked.messageDigest, checked.timestamp)) === 'seen') {
    deps.onRefused?.('replayed');
    throw new UnauthorizedError(refusalMessages.replayed);
  }
  const detail = toReportReceived(parsed.data, secrets.subjectKey, deps.councilId);
  await deps.publish(detail);
  return { reportId: detail.reportId, reference: detail.reference ?? '', incidentType: parsed.data.incidentType, subjects: detail.subjectRefs.length };
}
