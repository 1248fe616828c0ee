import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import type { ReceivedIds } from './receive.ts';
import type { ReportInput } from './report-input.ts';

/** How long the confirmation page (and adding photos from it) works after a report is sent. */
export const SUBMISSION_HOURS = 24;

/** What the confirmation page shows back: the report as sent, without contact details. */
export interface Submission {
  token: string;
  reportId: string;
  reference: string;
  /** The person reported before within the Case Review window (absent on older submissions). */
  caseReviewNotice?: boolean;
  /** `whenText`: how the person gave the time when they did not know it exactly ("14 May 2024, in the evening"). */
  report: Omit<ReportInput, 'contact'> & { contactGiven: boolean; whenText?: string };
  createdAt: string;
  expiresAt: number;
}

/** An unguessable token for the confirmation page's address: whoever holds it sent the report. */
export const newSubmissionToken = () => randomBytes(32).toString('base64url');
export const isSubmissionToken = (value: string | undefined): value is string => typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);

export const buildSaveSubmission =
  (db: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) =>
  async (token: string, ids: ReceivedIds, input: ReportInput, whenText?: string): Promise<void> => {
    const created = now();
    const { contact, ...report } = input;
    const item: Submission = {
      token,
      ...ids,
      report: { ...report, contactGiven: contact !== undefined, ...(whenText ? { whenText } : {}) },
      createdAt: created.toISOString(),
      expiresAt: Math.floor(created.getTime() / 1000) + SUBMISSION_HOURS * 3600,
    };
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.webSubmission(token), type: 'web-submission', ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  };

/** The submission, or undefined when the token is unknown or its time is up (TTL deletes lazily). */
export const buildGetSubmission =
  (db: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) =>
  async (token: string): Promise<Submission | undefined> => {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.webSubmission(token) }));
    if (!Item || typeof Item.expiresAt !== 'number' || Item.expiresAt * 1000 <= now().getTime()) return undefined;
    const { pk: _pk, sk: _sk, type: _type, ...submission } = Item;
    return submission as Submission;
  };
