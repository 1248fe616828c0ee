import { expect } from 'vitest';
import type { TestStack } from './local-stack.ts';

/** A public report as `POST /reports` takes it (JSON), with what tests usually vary. */
export interface ReportFields {
  category: string;
  description: string;
  occurredAt: string;
  location: { postcode?: string; text?: string };
  hateMotivated: boolean;
  contact?: { name?: string; email?: string; phone?: string; consentToContact: boolean };
}

/**
 * Sends a report from the public (a noise report from yesterday unless told otherwise), checks it
 * was accepted, and waits until every consumer has it: the seed most browser tests start from.
 */
export async function submitReport(stack: TestStack, fields: Partial<ReportFields> = {}): Promise<{ reportId: string; reference: string }> {
  const res = await stack.request('POST', '/reports', {
    json: {
      category: 'asb.noise',
      description: 'Parties every weekend at number 9, with music until 3am.',
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
      location: { postcode: 'LE13 0UL', text: '9 Mill Lane' },
      hateMotivated: false,
      ...fields,
    } satisfies ReportFields,
  });
  expect(res.status, await res.clone().text()).toBe(202);
  const sent = (await res.json()) as { reportId: string; reference: string };
  await stack.settle();
  return sent;
}
