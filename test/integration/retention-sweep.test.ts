import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REMOVED_TEXT } from '../../functions/privacy/retention-rules.ts';
import { buildRetentionSweep } from '../../functions/privacy/retention-sweep.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';
import { submitReport } from '../support/reports.ts';

/**
 * The nightly sweep does a bounded amount a run (maxPerClass). Reports whose text it removed
 * stay in their status list for years; a run must pass over them to reach the ones behind.
 */
describe('integration: the retention sweep over years of already-swept reports', () => {
  let stack: TestStack;
  const ids: string[] = [];
  beforeAll(async () => {
    stack = await startTestStack();
    // Five anonymous reports, all past the 2-year text period (oldest first, a day apart).
    for (let day = 1; day <= 5; day += 1) {
      ids.push((await submitReport(stack, { description: `Old complaint number ${day}`, occurredAt: `2023-03-0${day}T21:00:00Z` })).reportId);
    }
  });
  afterAll(() => stack.dispose());

  it('removes the text of every report due, two a run, passing over those it has done', async () => {
    const sweep = buildRetentionSweep(DynamoDBDocumentClient.from(stack.dynamodb), stack.endpoints.tables.main, { maxPerClass: 2 });
    const description = async (id: string) => ((await (await stack.request('GET', `/reports/${id}`, { role: 'officer' })).json()) as { description: string }).description;
    const now = new Date();
    const runs = [];
    for (let i = 0; i < 4; i += 1) runs.push(await sweep(now));
    expect(runs.map((r) => r.textRemoved.report)).toEqual([2, 2, 1, 0]);
    // Each run passed over the ones done before it.
    expect(runs.map((r) => r.kept)).toEqual([0, 2, 4, 5]);
    for (const id of ids) expect(await description(id)).toBe(REMOVED_TEXT);
  });
});
