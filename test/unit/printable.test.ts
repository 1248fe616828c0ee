import { describe, expect, it } from 'vitest';
import { problemOf } from '#shared/http';
import { ValidationError } from '#shared/errors';
import { printable } from '#shared/text';
import { describeError, planImport } from '../../functions/funding/import-rows.ts';
import { ImportRequestError, importFunding } from '../../scripts/import-funding.ts';
import { testStreams } from '../support/funding-streams.ts';

const ESC = '\u001b';
const hostile = `CSP${ESC}]0;owned${'\u0007'}${ESC}[2J${'\u009b'}31m\u202e`;
const noControls = (text: string) => expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);

describe('unit: text from outside is shown without terminal control characters', () => {
  it('escapes C0 and C1 controls and bidi overrides visibly, keeping the rest', () => {
    expect(printable(`a${ESC}[31mb\u009bc\u202ed é £`)).toBe('a\\x1B[31mb\\x9Bc\\u202Ed é £');
    noControls(printable(hostile));
  });

  it('escapes them in every row error of a funding import', () => {
    const plan = planImport(`type,stream,financialYear,amount,project,reference\nspend,${hostile},2024-25,1.00,${hostile},r\n`, new Date(), testStreams);
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    for (const e of plan.errors) noControls(describeError(e));
  });

  it('escapes them in what the import prints of an API answer', async () => {
    const csv = 'type,stream,financialYear,kind,amount,reference,date\nallocation,CSP,2024-25,provisional,10.00,PCC,2024-05-01\n';
    // GET /funding answers the open streams, as the API does; every POST is refused with hostile text.
    const openStreams = JSON.stringify({ streams: testStreams.map((s) => ({ stream: s.code, ...s })) });
    const fetch = (async (url: string | URL, init?: RequestInit) =>
      init?.method === 'POST' ? new Response(`{"error":{"message":"${hostile}"}}`, { status: 422 }) : new Response(openStreams, { status: 200 })) as typeof globalThis.fetch;
    const failure = await importFunding({ csv, apiUrl: 'http://api.test', token: 't', fetch, now: new Date('2024-06-01T00:00:00Z') }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ImportRequestError);
    noControls((failure as Error).message);
  });

  it('escapes them in the messages the API answers with', () => {
    const problem = problemOf(new ValidationError(`there is no stream ${hostile}`, [{ path: `x${ESC}`, message: `bad ${hostile}` }]), '/');
    noControls(problem.message);
    noControls(JSON.stringify(problem.details));
  });
});
