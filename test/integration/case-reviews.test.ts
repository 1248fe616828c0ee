import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonDateOf } from '#shared/london-time';
import type { Role } from '#infra/topology';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

// Read per request by the applications function, which runs in this process: these tests apply more than the public's 5 an hour.
process.env.SC_CASE_REVIEW_RATE_LIMIT = '1000/3600';

/**
 * The ASB Case Review through the local stack: reports from one person, an application that
 * matches them, the threshold assessed by rule, the letters in the outbox, the decision and its
 * recommendations, and the published figures beside the KPI counters.
 */
describe('integration: ASB Case Reviews on the local stack', () => {
  let stack: TestStack;
  const email = 'pat.resident@example.com';
  const today = londonDateOf(new Date());
  const outbox = () => join(stack.stateDir, 'outbox');
  /** The case review letters in the outbox (the reports' acknowledgements land there too: docs/status.md). */
  const outboxFiles = () =>
    existsSync(outbox())
      ? readdirSync(outbox()).filter((f) => f.endsWith('.json') && !f.startsWith('report-'))
      : [];

  const report = async (description: string) => {
    const res = await stack.request('POST', '/reports', {
      json: {
        category: 'asb.neighbour',
        description,
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        location: { postcode: 'LE13 0UL' },
        hateMotivated: false,
        contact: { name: 'Pat', email, consentToContact: true },
      },
    });
    expect(res.status).toBe(202);
    return (await res.json()) as { reportId: string; reference: string; caseReview?: { message: string; href: string } };
  };

  const application = (complaints: unknown[], over: Record<string, unknown> = {}) => ({
    applicant: { name: 'Pat', email, consentToContact: true },
    hateIncident: false,
    description: 'Loud music and threats from next door every night; nothing changes.',
    complaints,
    ...over,
  });

  const review = async (reviewId: string) => {
    await stack.settle();
    const res = await stack.request('GET', `/case-reviews/${reviewId}`, { role: 'officer' });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  const figures = async () => {
    await stack.settle();
    return (await (await stack.request('GET', `/case-reviews/figures?from=${today}&to=${today}`)).json()) as Record<string, number>;
  };

  let reviewId = '';
  let refs: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.dispose());

  it('tells a person who reports a second time within six months how to ask for a Case Review', async () => {
    const first = await report('Music through the wall until 3am.');
    expect(first.caseReview).toBeUndefined();
    const second = await report('Shouting and banging on the door.');
    expect(second.caseReview?.href).toBe('/case-reviews/apply');
    const third = await report('Threats shouted from the garden.');
    refs = [first.reference, second.reference, third.reference];
    await stack.settle();
    const stored = await Promise.all([first, second].map(async (r) => (await (await stack.request('GET', `/reports/${r.reportId}`, { role: 'officer' })).json()) as { reporter: { contactRef: string } }));
    expect(stored[0]?.reporter.contactRef).toBe(stored[1]?.reporter.contactRef);
  });

  it('refuses a bad application naming the field, and stores nothing', async () => {
    const before = stack.observedOf('CaseReviewRequested').length;
    const res = await stack.request('POST', '/case-reviews', { json: application([{ reportedTo: 'council', incidentOn: '2025-13-01', reportedOn: today }]) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((d) => d.path)).toContain('complaints.0.incidentOn');
    const none = await stack.request('POST', '/case-reviews', { json: application([]) });
    expect(((await none.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path)).toEqual(['complaints']);
    await stack.settle();
    expect(stack.observedOf('CaseReviewRequested')).toHaveLength(before);
  });

  it('assesses the threshold by rule as soon as the application arrives, matching the reports it holds', async () => {
    const res = await stack.request('POST', '/case-reviews', {
      json: application([
        { reportedTo: 'council', incidentOn: today, reportedOn: today, reference: refs[0] },
        { reportedTo: 'council', incidentOn: today, reportedOn: today, reference: refs[1]?.toLowerCase() },
        { reportedTo: 'police', incidentOn: today, reportedOn: today, reference: 'LP-2025-0042' },
      ]),
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { reviewId: string; reference: string };
    expect(body.reference).toMatch(/^CR-/);
    reviewId = body.reviewId;
    const view = await review(reviewId);
    expect(view).toMatchObject({ reviewId, reference: body.reference, thresholdMet: true, status: 'awaiting-review' });
    expect(view.basis).toMatch(/^Threshold met: 4 qualifying complaints/);
    expect(view.basis).toContain('found in our records');
    // The third report was not listed: found by the same contact and added.
    expect(view.assessment.complaints.map((c: { source: string }) => c.source)).toEqual(['listed', 'listed', 'listed', 'records']);
    expect(view.history).toHaveLength(3);
    expect(JSON.stringify(stack.observedOf('CaseReviewRequested').at(-1))).not.toContain(email);
  });

  it('sends the threshold decision to the outbox and records that the applicant was told', async () => {
    const res = await stack.request('POST', `/case-reviews/${reviewId}/letters/threshold`, { role: 'officer' });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { channel: string }).channel).toBe('email');
    const files = outboxFiles();
    expect(files).toHaveLength(1);
    const letter = JSON.parse(readFileSync(join(outbox(), files[0] ?? ''), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(letter).toMatchObject({ channel: 'email', to: email, template: 'case-review-threshold' });
    expect(Object.keys(letter).sort()).toEqual(['channel', 'id', 'personalisation', 'sentAt', 'template', 'to']);
    expect(letter.personalisation.body).toContain('meets the threshold');
    expect((await review(reviewId)).deadlines.applicantToldOn).toBe(today);
  });

  it('records the decision once, with recommendations that are tracked to completion, and sends the outcome', async () => {
    expect((await stack.request('POST', `/case-reviews/${reviewId}/panel`, { role: 'officer', json: { meetingOn: today, members: [{ name: 'Insp. J Patel', organisation: 'Leicestershire Police' }] } })).status).toBe(202);
    const decision = {
      upheld: true,
      recommendations: [
        { text: 'Serve a Community Protection Warning on the neighbouring household.', owner: 'Safer Communities', dueOn: today },
        { text: 'Visit the applicant fortnightly until the case closes.', owner: 'Leicestershire Police', dueOn: '2099-01-01' },
      ],
    };
    expect((await stack.request('POST', `/case-reviews/${reviewId}/decision`, { role: 'officer', json: decision })).status).toBe(202);
    await stack.settle();
    expect((await stack.request('POST', `/case-reviews/${reviewId}/decision`, { role: 'admin', json: decision })).status).toBe(409);
    expect((await stack.request('POST', `/case-reviews/${reviewId}/recommendations/1/done`, { role: 'officer', json: { note: 'CPW served.' } })).status).toBe(202);
    const view = await review(reviewId);
    expect(view.decision.recommendations.map((r: { done?: unknown }) => r.done !== undefined)).toEqual([true, false]);
    const due = (await (await stack.request('GET', '/case-reviews/due?date=2099-02-01', { role: 'officer' })).json()) as { items: { reviewId: string; kind: string; overdue: boolean }[] };
    expect(due.items.filter((i) => i.reviewId === reviewId)).toEqual([expect.objectContaining({ kind: 'recommendation', overdue: true })]);
    expect((await stack.request('POST', `/case-reviews/${reviewId}/letters/outcome`, { role: 'officer' })).status).toBe(202);
    const outcome = outboxFiles().map((f) => JSON.parse(readFileSync(join(outbox(), f), 'utf8')) as { template: string; personalisation: Record<string, string> }).find((l) => l.template === 'case-review-outcome');
    expect(outcome?.personalisation.recommendations).toContain('Serve a Community Protection Warning');
    expect(outcome?.personalisation.escalation).toContain('Local Government and Social Care Ombudsman');
  });

  it('publishes figures that agree with the KPIs, and moves "not met" when an officer overrides', async () => {
    const res = await stack.request('POST', '/case-reviews', { json: application([{ reportedTo: 'housing-provider', incidentOn: '2020-01-01', reportedOn: '2020-01-05' }], { applicant: { email: 'other@example.com', consentToContact: true } }) });
    const { reviewId: second } = (await res.json()) as { reviewId: string };
    expect((await review(second)).thresholdMet).toBe(false);
    expect(await figures()).toEqual({ from: today, to: today, applications: 2, thresholdNotMet: 1, reviewsCarriedOut: 1, reviewsWithRecommendations: 1, reviewsUpheld: 1 });
    const kpis = (await (await stack.request('GET', `/kpis?from=${today}&to=${today}`, { role: 'officer' })).json()) as { kpis: Record<string, number> };
    expect([kpis.kpis.case_reviews_received, kpis.kpis.case_reviews_threshold_not_met, kpis.kpis.case_reviews_carried_out, kpis.kpis.case_reviews_with_recommendations]).toEqual([2, 1, 1, 1]);
    expect((await stack.request('POST', `/case-reviews/${second}/threshold`, { role: 'officer', json: { met: false, reason: 'no change' } })).status).toBe(422);
    expect((await stack.request('POST', `/case-reviews/${second}/threshold`, { role: 'officer', json: { met: true, reason: 'The housing provider confirmed three reports this spring.' } })).status).toBe(202);
    const overridden = await review(second);
    expect(overridden).toMatchObject({ thresholdMet: true, assessment: { assessedBy: 'officer' } });
    expect((await figures()).thresholdNotMet).toBe(0);
    const page = await stack.request('GET', `/case-reviews/figures?from=${today}&to=${today}`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Applications for a case review');
  });

  it('takes the form without JavaScript: errors on the page, then a confirmation with the reference', async () => {
    const bad = await stack.request('POST', '/case-reviews', { form: { applyingFor: 'myself', consentToContact: 'yes', 'applicant-email': 'x@example.com', hateIncident: 'no', description: 'It goes on.', 'complaint-2-reportedTo': 'police', 'complaint-2-incident-day': '31', 'complaint-2-incident-month': '2', 'complaint-2-incident-year': '2025' } });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('govuk-error-summary');
    expect(html).toContain('href="#complaint-2-incident-day"');
    const good = await stack.request('POST', '/case-reviews', {
      form: { applyingFor: 'someone-else', 'thirdParty-name': 'Jo', 'thirdParty-relationship': 'Daughter', victimConsent: 'yes', consentToContact: 'yes', 'applicant-phone': '01664 502 502', hateIncident: 'yes', description: 'Abuse shouted at my mother.', 'complaint-1-reportedTo': 'police', 'complaint-1-incident-day': today.slice(8), 'complaint-1-incident-month': today.slice(5, 7), 'complaint-1-incident-year': today.slice(0, 4), 'complaint-1-reported-day': today.slice(8), 'complaint-1-reported-month': today.slice(5, 7), 'complaint-1-reported-year': today.slice(0, 4) },
    });
    expect(good.status).toBe(303);
    const sent = await stack.request('GET', good.headers.get('location') ?? '');
    expect(sent.status).toBe(200);
    expect(await sent.text()).toMatch(/CR-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    await stack.settle();
    const requested = stack.observedOf('CaseReviewRequested').at(-1)?.detail as { thirdParty?: { victimConsent: boolean; relationship: string }; channel: string };
    expect(requested).toMatchObject({ channel: 'webform', thirdParty: { victimConsent: true, relationship: 'Daughter' } });
  });

  it('lets staff record an application for someone with a token, and refuses roles that may not', async () => {
    const body = application([{ reportedTo: 'council', incidentOn: today, reportedOn: today }], { applicant: { phone: '01664 000 111', consentToContact: true } });
    const as = async (role: Role) => (await stack.request('POST', '/case-reviews', { role, json: body })).status;
    expect(await as('officer')).toBe(202);
    expect(await as('tenancy')).toBe(202);
    expect(await as('finance')).toBe(403);
    expect(await as('partner')).toBe(403);
    expect((await stack.request('POST', '/case-reviews', { json: body, headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
    await stack.settle();
    expect((stack.observedOf('CaseReviewRequested').at(-1)?.detail as { channel: string; actor: { kind: string } }).actor.kind).toBe('officer');
  });

  it('answers each new route by role: public, officer, admin, tenancy, finance', async () => {
    const cases: [string, string, Partial<Record<Role | 'public', number>>][] = [
      ['GET', '/case-reviews/apply', { public: 200, officer: 200, finance: 200 }],
      ['GET', `/case-reviews/figures?from=${today}&to=${today}`, { public: 200, finance: 200 }],
      ['GET', '/case-reviews', { public: 401, officer: 200, admin: 200, tenancy: 403, finance: 403, partner: 403 }],
      ['GET', '/case-reviews/due', { public: 401, officer: 200, admin: 200, tenancy: 403, finance: 403 }],
      ['GET', `/case-reviews/${reviewId}`, { public: 401, officer: 200, admin: 200, tenancy: 403, finance: 403 }],
      ['GET', '/officer/case-reviews', { public: 401, officer: 200, admin: 200, tenancy: 403, finance: 403 }],
      ['GET', `/officer/case-reviews/${reviewId}`, { public: 401, officer: 200, admin: 200, tenancy: 403, finance: 403 }],
      ['GET', `/officer/case-reviews/${reviewId}/letters/outcome`, { public: 401, officer: 200, admin: 200, tenancy: 403, finance: 403 }],
      ['GET', '/officer/case-reviews/new', { public: 401, officer: 200, admin: 200, tenancy: 200, finance: 403 }],
    ];
    for (const [method, path, expected] of cases) {
      for (const [role, status] of Object.entries(expected)) {
        const res = await stack.request(method, path, role === 'public' ? {} : { role: role as Role });
        expect({ path, role, status: res.status }).toEqual({ path, role, status });
      }
    }
  });
});
