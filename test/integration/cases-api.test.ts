import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseOpened } from '#events/cases';
import { WarningIssued } from '#events/enforcement';
import { sampleFor } from '#events/samples';
import { addDays, londonDateOf } from '#shared/london-time';
import { addWorkingDays } from '#shared/working-days';
import type { Role } from '#infra/topology';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const today = () => londonDateOf(new Date());

interface CaseBody {
  caseId: string;
  status: string;
  owner: string;
  riskCategory?: string;
  sharedWith?: string[];
  reportIds: string[];
  firstContact?: { dueBy: string; at?: string; state: string };
  timeline: { eventId: string; detailType: string; occurredAt: string; [k: string]: unknown }[];
}

describe('integration: cases and enforcement over HTTP', () => {
  let stack: TestStack;
  const archived: { source: string; 'detail-type': string; detail: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    stack = await startTestStack({
      // The archiver sees every event on the bus: a window onto what was put.
      wrapInvoke: (spec, invoke) =>
        spec.name === 'EventArchiver'
          ? async (event) => {
              archived.push(event as (typeof archived)[number]);
              return invoke(event);
            }
          : invoke,
    });
  });
  afterAll(() => stack.dispose());

  const as = async (role: Role, method: string, path: string, json?: unknown, organisation?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${await stack.token(role, organisation ? { organisation } : {})}` };
    return stack.request(method, path, { headers, ...(json !== undefined ? { json } : {}) });
  };
  const body = async <T>(res: Response) => (await res.json()) as T;

  async function newReport(category = 'asb.neighbour', hateMotivated = false) {
    const res = await stack.request('POST', '/reports', {
      json: { category, description: 'Shouting and loud music most nights.', occurredAt: daysAgo(40), location: { postcode: 'LE14 2QX' }, hateMotivated },
    });
    expect(res.status).toBe(202);
    const { reportId } = await body<{ reportId: string }>(res);
    await stack.settle();
    return reportId;
  }

  async function openCase(reportId: string, decision: Record<string, unknown>, role: Role = 'officer') {
    const res = await as(role, 'POST', `/reports/${reportId}/triage`, { action: 'open-case', ...decision });
    expect(res.status, await res.clone().text()).toBe(202);
    const { caseId } = await body<{ caseId: string }>(res);
    await stack.settle();
    return caseId;
  }

  const getCase = async (caseId: string, role: Role = 'officer', organisation?: string) => as(role, 'GET', `/cases/${caseId}`, undefined, organisation);

  describe('officer: report to case to CPW to CPN', () => {
    let reportId: string;
    let caseId: string;

    it('takes a report from the triage queue to a new case', async () => {
      reportId = await newReport();
      const queue = await body<{ items: { reportId: string }[] }>(await as('officer', 'GET', '/reports?status=untriaged&limit=100'));
      expect(queue.items.map((r) => r.reportId)).toContain(reportId);

      caseId = await openCase(reportId, { kind: 'asb', owner: 'safer-communities', occurredAt: daysAgo(30) });
      expect(caseId).toMatch(/^case-\d{4}-\d{4}$/);

      const after = await body<{ items: { reportId: string }[] }>(await as('officer', 'GET', '/reports?status=untriaged&limit=100'));
      expect(after.items.map((r) => r.reportId)).not.toContain(reportId);
      const triaged = await body<{ items: { reportId: string; caseId: string }[] }>(await as('officer', 'GET', '/reports?status=triaged&limit=100'));
      expect(triaged.items.find((r) => r.reportId === reportId)).toMatchObject({ caseId, status: 'triaged' });

      const view = await body<CaseBody>(await getCase(caseId));
      expect(view).toMatchObject({ caseId, status: 'open', owner: 'safer-communities', reportIds: [reportId], referredFrom: 'public', category: 'asb.neighbour' });
      expect(view.timeline.map((e) => e.detailType)).toEqual(['CaseOpened']);
    });

    it('refuses to triage the same report twice', async () => {
      const res = await as('officer', 'POST', `/reports/${reportId}/triage`, { action: 'refer', service: 'Police' });
      expect(res.status).toBe(409);
    });

    it('refuses a CPN without a CPW with the rule and a reason', async () => {
      const res = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'NoticeServed', noticeType: 'CPN', subjectRef: 'subject-a', subjectKind: 'person', subjectAge: 34 });
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ error: { code: 'cpn-needs-cpw', message: expect.stringMatching(/needs an earlier Community Protection Warning.*subject-a/) } });
    });

    it('records a CPW, refuses a CPN on its comply-by date, and accepts one after it', async () => {
      const complyBy = londonDateOf(daysAgo(3));
      const cpw = await as('officer', 'POST', `/cases/${caseId}/actions`, {
        detailType: 'WarningIssued',
        warningType: 'CPW',
        subjectRef: 'subject-a',
        subjectAge: 34,
        complyBy,
        occurredAt: daysAgo(20),
      });
      expect(cpw.status).toBe(202);
      const { eventId: cpwId } = await body<{ eventId: string }>(cpw);
      await stack.settle();

      const early = await as('officer', 'POST', `/cases/${caseId}/actions`, {
        detailType: 'NoticeServed',
        noticeType: 'CPN',
        subjectRef: 'subject-a',
        subjectAge: 34,
        occurredAt: `${complyBy}T16:00:00Z`,
      });
      expect(early.status).toBe(422);
      expect((await body<{ error: { code: string } }>(early)).error.code).toBe('cpn-before-comply-by');

      const cpn = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'NoticeServed', noticeType: 'CPN', subjectRef: 'subject-a', subjectAge: 34 });
      expect(cpn.status).toBe(202);
      const { eventId: cpnId } = await body<{ eventId: string }>(cpn);
      await stack.settle();

      // Recorded last, happened between the opening and the CPW: the timeline goes by occurredAt.
      const visit = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'TeamActionRecorded', actionType: 'visit', subjectRef: 'subject-a', occurredAt: daysAgo(25) });
      expect(visit.status).toBe(202);
      await stack.settle();

      const view = await body<CaseBody>(await getCase(caseId));
      expect(view.timeline.map((e) => e.detailType)).toEqual(['CaseOpened', 'TeamActionRecorded', 'WarningIssued', 'NoticeServed']);
      expect(view.timeline.map((e) => e.eventId)).toEqual([expect.any(String), expect.any(String), cpwId, cpnId]);
      expect(view.timeline[2]).toMatchObject({ warningType: 'CPW', complyBy, subjectRef: 'subject-a', officerId: 'local-officer' });
    });

    it('refuses a CPW to a 15-year-old and a comply-by date that leaves no time', async () => {
      const young = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'WarningIssued', warningType: 'CPW', subjectRef: 'subject-b', subjectAge: 15, complyBy: addDays(today(), 14) });
      expect((await body<{ error: { code: string } }>(young)).error.code).toBe('cpw-recipient-under-16');
      const noTime = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'WarningIssued', warningType: 'CPW', subjectRef: 'subject-b', subjectKind: 'body', complyBy: today() });
      expect((await body<{ error: { code: string } }>(noTime)).error.code).toBe('cpw-comply-by-not-after-issue');
    });

    it('fills an FPN amount from the tariff and refuses one that does not match it', async () => {
      const ok = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'FixedPenaltyIssued', offence: 'littering', subjectRef: 'subject-a', occurredAt: '2024-05-01T10:00:00+01:00' });
      expect(ok.status).toBe(202);
      expect(await ok.json()).toMatchObject({ amountPence: 50_000, earlyPaymentPence: 25_000 });
      const wrong = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'FixedPenaltyIssued', offence: 'littering', subjectRef: 'subject-a', amountPence: 15_000, occurredAt: '2024-05-01T10:00:00+01:00' });
      expect(wrong.status).toBe(422);
      expect((await body<{ error: { code: string; message: string } }>(wrong)).error).toMatchObject({ code: 'fpn-amount-not-tariff', message: expect.stringContaining('£500') });
    });

    it('refuses a closure order longer than 3 months and accepts one of exactly 3', async () => {
      const made = '2024-01-30T12:00:00Z';
      const long = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'CourtOrderObtained', orderType: 'closure-order', expiresAt: '2024-05-01', subjectRef: 'premises-1', occurredAt: made });
      expect((await body<{ error: { code: string } }>(long)).error.code).toBe('closure-order-over-3-months');
      const ok = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'CourtOrderObtained', orderType: 'closure-order', expiresAt: '2024-04-30', subjectRef: 'premises-1', occurredAt: made });
      expect(ok.status).toBe(202);
    });

    it('names the invalid fields when the body breaks the contract', async () => {
      const res = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'PatrolLogged', minutes: -5 });
      expect(res.status).toBe(422);
      expect((await body<{ error: { details: { path: string }[] } }>(res)).error.details.map((d) => d.path)).toContain('minutes');
      const envelope = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'PatrolLogged', minutes: 5, eventId: 'mine' });
      expect(envelope.status).toBe(422);
    });

    it('records a patrol without a case at POST /actions', async () => {
      const res = await as('officer', 'POST', '/actions', { detailType: 'PatrolLogged', minutes: 120 });
      expect(res.status).toBe(202);
      await stack.settle();
      const { eventId } = await body<{ eventId: string }>(res);
      expect(archived.some((e) => e['detail-type'] === 'PatrolLogged' && e.detail.eventId === eventId)).toBe(true);
    });

    it('links a second report to the open case and refers a third on', async () => {
      const second = await newReport();
      const link = await as('officer', 'POST', `/reports/${second}/triage`, { action: 'link', caseId });
      expect(link.status).toBe(202);
      const third = await newReport('asb.fighting');
      const refer = await as('officer', 'POST', `/reports/${third}/triage`, { action: 'refer', service: 'Domestic abuse service' });
      expect(refer.status).toBe(202);
      await stack.settle();
      expect((await body<CaseBody>(await getCase(caseId))).reportIds.sort()).toEqual([reportId, second].sort());
      const referred = await body<{ status: string; referredTo: string }>(await as('officer', 'GET', `/reports/${third}`));
      expect(referred).toMatchObject({ status: 'referred', referredTo: 'Domestic abuse service' });
    });

    it('closes the case, then refuses actions on it and links to it', async () => {
      const close = await as('officer', 'POST', `/cases/${caseId}/close`, { outcome: 'Behaviour stopped after the CPN.' });
      expect(close.status).toBe(202);
      await stack.settle();
      expect(await body<CaseBody>(await getCase(caseId))).toMatchObject({ status: 'closed', outcome: 'Behaviour stopped after the CPN.' });
      const action = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'TeamActionRecorded', actionType: 'visit' });
      expect((await body<{ error: { code: string } }>(action)).error.code).toBe('case-closed');
      const again = await as('officer', 'POST', `/cases/${caseId}/close`, { outcome: 'Again' });
      expect(again.status).toBe(409);
      const another = await newReport();
      expect((await as('officer', 'POST', `/reports/${another}/triage`, { action: 'link', caseId })).status).toBe(409);
      const closedList = await body<{ items: { caseId: string }[] }>(await as('officer', 'GET', '/cases?status=closed'));
      expect(closedList.items.map((c) => c.caseId)).toContain(caseId);
      const openList = await body<{ items: { caseId: string }[] }>(await as('officer', 'GET', '/cases'));
      expect(openList.items.map((c) => c.caseId)).not.toContain(caseId);
    });
  });

  describe('tenancy: A/B/C cases and first-contact targets', () => {
    let overdueCase: string;
    let inTimeCase: string;

    it('needs a risk category to open a Tenancy Services case', async () => {
      const reportId = await newReport();
      const res = await as('tenancy', 'POST', `/reports/${reportId}/triage`, { action: 'open-case', kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.noise' });
      expect(res.status).toBe(422);
      expect((await body<{ error: { details: { path: string }[] } }>(res)).error.details.map((d) => d.path)).toContain('riskCategory');
    });

    it('shows a category A case opened 10 days ago with no contact as overdue', async () => {
      const openedAt = daysAgo(10);
      overdueCase = await openCase(await newReport(), { kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.threats', riskCategory: 'A', occurredAt: openedAt }, 'tenancy');
      inTimeCase = await openCase(await newReport(), { kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.garden-nuisance', riskCategory: 'C' }, 'tenancy');
      const view = await body<CaseBody>(await getCase(overdueCase, 'tenancy'));
      expect(view.firstContact).toEqual({ dueBy: addWorkingDays(londonDateOf(openedAt), 1), state: 'overdue' });
      const fresh = await body<CaseBody>(await getCase(inTimeCase, 'tenancy'));
      expect(fresh.firstContact).toEqual({ dueBy: addWorkingDays(today(), 5), state: 'due' });

      const overdue = await body<{ items: { caseId: string }[] }>(await as('tenancy', 'GET', '/cases?overdue=true'));
      expect(overdue.items.map((c) => c.caseId)).toContain(overdueCase);
      expect(overdue.items.map((c) => c.caseId)).not.toContain(inTimeCase);
      const categoryC = await body<{ items: { caseId: string }[] }>(await as('tenancy', 'GET', '/cases?riskCategory=C'));
      expect(categoryC.items.map((c) => c.caseId)).toEqual([inTimeCase]);

      const due = await body<{ items: { caseId: string; reminder: string }[] }>(await as('tenancy', 'GET', '/cases/due'));
      expect(due.items).toContainEqual(expect.objectContaining({ caseId: overdueCase, reminder: 'first-contact-missed' }));
    });

    it('stops listing the case as overdue once a late call with the complainant is recorded, not a call with anyone else', async () => {
      const other = await as('tenancy', 'POST', `/cases/${overdueCase}/actions`, { detailType: 'TeamActionRecorded', actionType: 'call', contactWith: 'subject' });
      expect(other.status).toBe(202);
      await stack.settle();
      expect((await body<CaseBody>(await getCase(overdueCase, 'tenancy'))).firstContact?.state).toBe('overdue');
      const res = await as('tenancy', 'POST', `/cases/${overdueCase}/actions`, { detailType: 'TeamActionRecorded', actionType: 'call', contactWith: 'complainant' });
      expect(res.status).toBe(202);
      await stack.settle();
      expect((await body<CaseBody>(await getCase(overdueCase, 'tenancy'))).firstContact?.state).toBe('late');
      const overdue = await body<{ items: { caseId: string }[] }>(await as('tenancy', 'GET', '/cases?overdue=true'));
      expect(overdue.items.map((c) => c.caseId)).not.toContain(overdueCase);
    });

    it('keeps Tenancy Services to their own cases', async () => {
      const scCase = await openCase(await newReport(), { kind: 'asb', owner: 'safer-communities' });
      expect((await getCase(scCase, 'tenancy')).status).toBe(404);
      const listed = await body<{ items: { owner: string }[] }>(await as('tenancy', 'GET', '/cases?status=all'));
      expect(listed.items.length).toBeGreaterThan(0);
      expect(listed.items.every((c) => c.owner === 'tenancy-services')).toBe(true);
      expect((await as('tenancy', 'POST', `/cases/${scCase}/actions`, { detailType: 'TeamActionRecorded', actionType: 'visit' })).status).toBe(404);
      const officerList = await body<{ items: { caseId: string }[] }>(await as('officer', 'GET', '/cases?owner=safer-communities'));
      expect(officerList.items.map((c) => c.caseId)).toContain(scCase);
    });
  });

  describe('partners see only what is shared with them', () => {
    let shared: string;
    let notShared: string;

    beforeAll(async () => {
      shared = await openCase(await newReport(), { kind: 'asb', owner: 'safer-communities' });
      notShared = await openCase(await newReport(), { kind: 'asb', owner: 'safer-communities' });
      expect((await as('officer', 'POST', `/cases/${shared}/share`, { organisation: 'Leicestershire Police' })).status).toBe(202);
      expect((await as('officer', 'POST', `/cases/${shared}/share`, { organisation: 'Youth Service' })).status).toBe(202);
      await stack.settle();
    });

    it('lists and shows a partner the shared case only, without the other organisations', async () => {
      const list = await body<{ items: { caseId: string; sharedWith?: string[] }[] }>(await as('partner', 'GET', '/cases?status=all', undefined, 'Leicestershire Police'));
      expect(list.items.map((c) => c.caseId)).toEqual([shared]);
      expect(list.items[0]).not.toHaveProperty('sharedWith');
      const view = await body<CaseBody>(await getCase(shared, 'partner', 'Leicestershire Police'));
      expect(view.caseId).toBe(shared);
      expect(JSON.stringify(view)).not.toContain('Youth Service');
    });

    it('answers a partner 404 for an unshared case, exactly as for one that does not exist', async () => {
      const hidden = await getCase(notShared, 'partner', 'Leicestershire Police');
      const missing = await getCase('case-1999-9999', 'partner', 'Leicestershire Police');
      expect(hidden.status).toBe(404);
      expect(missing.status).toBe(404);
      expect((await hidden.text()).replace(notShared, 'X')).toBe((await missing.text()).replace('case-1999-9999', 'X'));
    });

    it('shows a partner without an organisation, or from another one, nothing', async () => {
      expect((await body<{ items: unknown[] }>(await as('partner', 'GET', '/cases'))).items).toEqual([]);
      expect((await body<{ items: unknown[] }>(await as('partner', 'GET', '/cases', undefined, 'Housing Association'))).items).toEqual([]);
      expect((await getCase(shared, 'partner', 'Housing Association')).status).toBe(404);
    });

    it('refuses to share a case twice with the same organisation', async () => {
      expect((await as('officer', 'POST', `/cases/${shared}/share`, { organisation: 'Leicestershire Police' })).status).toBe(409);
    });
  });

  describe('every route with every role', () => {
    let caseId: string;
    let reportId: string;
    beforeAll(async () => {
      caseId = await openCase(await newReport(), { kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.noise', riskCategory: 'B' });
      reportId = await newReport();
    });

    type Expect = Partial<Record<Role, number[]>>;
    /** For allowed roles: statuses that show the handler ran (a harmless invalid body gives 4xx from the handler, never 401/403). */
    const routes: { label: string; method: string; path: () => string; json?: unknown; allowed: Expect }[] = [
      { label: '/reports/{reportId}/triage', method: 'POST', path: () => `/reports/${reportId}/triage`, json: { action: 'nope' }, allowed: { officer: [422], tenancy: [422], admin: [422] } },
      { label: '/cases', method: 'GET', path: () => '/cases', allowed: { officer: [200], tenancy: [200], partner: [200], admin: [200] } },
      { label: '/cases/due', method: 'GET', path: () => '/cases/due', allowed: { officer: [200], tenancy: [200], admin: [200] } },
      { label: '/cases/{caseId}', method: 'GET', path: () => `/cases/${caseId}`, allowed: { officer: [200], tenancy: [200], partner: [404], admin: [200] } },
      { label: '/cases/{caseId}/close', method: 'POST', path: () => `/cases/${caseId}/close`, json: {}, allowed: { officer: [422], tenancy: [422], admin: [422] } },
      { label: '/cases/{caseId}/share', method: 'POST', path: () => `/cases/${caseId}/share`, json: {}, allowed: { officer: [422], tenancy: [422], admin: [422] } },
      { label: '/cases/{caseId}/actions', method: 'POST', path: () => `/cases/${caseId}/actions`, json: { detailType: 'Nope' }, allowed: { officer: [422], tenancy: [422], admin: [422] } },
      { label: '/actions', method: 'POST', path: () => '/actions', json: { detailType: 'Nope' }, allowed: { officer: [422], admin: [422] } },
      // The officer pages (the same roles as the routes behind them).
      { label: '/officer/triage', method: 'GET', path: () => '/officer/triage', allowed: { officer: [200], tenancy: [200], admin: [200] } },
      { label: '/officer/triage/{reportId}', method: 'GET', path: () => `/officer/triage/${reportId}`, allowed: { officer: [200], tenancy: [200], admin: [200] } },
      { label: '/officer/triage/{reportId} (post)', method: 'POST', path: () => `/officer/triage/${reportId}`, json: {}, allowed: { officer: [422], tenancy: [422], admin: [422] } },
      { label: '/officer/cases', method: 'GET', path: () => '/officer/cases', allowed: { officer: [200], tenancy: [200], admin: [200] } },
      { label: '/officer/cases/{caseId}', method: 'GET', path: () => `/officer/cases/${caseId}`, allowed: { officer: [200], tenancy: [200], admin: [200] } },
      { label: '/officer/cases/{caseId}/actions', method: 'POST', path: () => `/officer/cases/${caseId}/actions`, json: {}, allowed: { officer: [422], tenancy: [422], admin: [422] } },
    ];
    const roles: Role[] = ['officer', 'tenancy', 'partner', 'finance', 'public', 'admin'];

    for (const route of routes) {
      for (const role of roles) {
        const expected = route.allowed[role];
        it(`${expected ? 'lets' : 'refuses'} ${role} ${route.method} ${route.label}`, async () => {
          const res = await as(role, route.method, route.path(), route.json, 'Leicestershire Police');
          if (expected) {
            expect(expected, await res.clone().text()).toContain(res.status);
          } else {
            expect(res.status).toBe(403);
            if (route.label.startsWith('/officer/') && route.method === 'GET') {
              // A page answers a person with a page that names the roles it needs, never JSON.
              expect(res.headers.get('content-type')).toMatch(/^text\/html/);
              const page = await res.text();
              expect(page).toContain('You cannot see this page');
              expect(page).toContain('Safer Communities officer');
            } else {
              expect(await res.json()).toEqual({ error: { code: 'forbidden', message: expect.stringMatching(new RegExp(`^this needs the .+ role; you are signed in as ${role}$`)) } });
            }
          }
        });
      }
      it(`answers 401 without a token for ${route.method} ${route.label}`, async () => {
        const res = await stack.request(route.method, route.path(), route.json !== undefined ? { json: route.json } : {});
        expect(res.status).toBe(401);
        if (route.label.startsWith('/officer/') && route.method === 'GET') expect(await res.text()).toContain('Sign in to see this page');
      });
    }

    it('refuses a role the same way whether or not the case exists', async () => {
      const real = await as('finance', 'GET', `/cases/${caseId}`);
      const fake = await as('finance', 'GET', '/cases/case-1999-0001');
      expect([real.status, await real.text()]).toEqual([fake.status, await fake.text()]);
    });
  });

  describe('statutory rules through the action route', () => {
    const record = async (caseId: string, action: Record<string, unknown>) => {
      const res = await as('officer', 'POST', `/cases/${caseId}/actions`, action);
      return { status: res.status, json: await body<{ eventId?: string; expiresAt?: string; hearingDueBy?: string; error?: { code: string; message: string } }>(res) };
    };
    const subject = `subject-statutory-${Date.now()}`;
    let first: string;
    let second: string;
    let cpnId: string;

    it('serves a CPN on one case after a CPW to the same person on another case, found through the subject index', async () => {
      first = await openCase(await newReport(), { kind: 'asb', owner: 'safer-communities' });
      second = await openCase(await newReport(), { kind: 'asb', owner: 'safer-communities' });
      const cpw = await record(first, {
        detailType: 'WarningIssued',
        warningType: 'CPW',
        subjectRef: subject,
        subjectKind: 'person',
        subjectDateOfBirth: '2008-06-04',
        complyBy: '2024-06-20',
        occurredAt: '2024-06-04T09:00:00+01:00',
      });
      expect(cpw.status, JSON.stringify(cpw.json)).toBe(202);
      await stack.settle();
      const cpn = await record(second, {
        detailType: 'NoticeServed',
        noticeType: 'CPN',
        subjectRef: subject,
        subjectKind: 'person',
        subjectDateOfBirth: '2008-06-04',
        complyBy: '2024-07-05',
        requirements: [
          { kind: 'stop', text: 'Stop playing amplified music in the garden after 23:00' },
          { kind: 'do', text: 'Fit a noise limiter to the sound system' },
        ],
        occurredAt: '2024-06-21T10:00:00+01:00',
      });
      expect(cpn.status, JSON.stringify(cpn.json)).toBe(202);
      cpnId = cpn.json.eventId as string;
      await stack.settle();
    });

    it('refuses an appeal made on day 22 naming the rule, and records one made on day 21 on the timeline', async () => {
      const late = await record(second, { detailType: 'CpnAppealLodged', noticeEventId: cpnId, subjectRef: subject, lodgedOn: '2024-07-12', occurredAt: '2024-07-12T15:00:00+01:00' });
      expect(late.status).toBe(422);
      expect(late.json.error).toMatchObject({ code: 'cpn-appeal-out-of-time', message: expect.stringContaining('until 11 July 2024') });
      const inTime = await record(second, { detailType: 'CpnAppealLodged', noticeEventId: cpnId, subjectRef: subject, lodgedOn: '2024-07-11', occurredAt: '2024-07-12T15:00:00+01:00' });
      expect(inTime.status, JSON.stringify(inTime.json)).toBe(202);
      await stack.settle();
      const view = await body<CaseBody>(await getCase(second));
      expect(view.timeline.find((e) => e.detailType === 'CpnAppealLodged')).toMatchObject({ noticeEventId: cpnId, lodgedOn: '2024-07-11' });
    });

    it('refuses a breach FPN for a requirement the appeal suspends, from another case too, and accepts one for the stop requirement', async () => {
      const suspended = await record(first, { detailType: 'FixedPenaltyIssued', offence: 'cpn-breach', subjectRef: subject, breachedRequirements: [2], occurredAt: '2024-07-20T10:00:00+01:00' });
      expect(suspended.status).toBe(422);
      expect(suspended.json.error?.code).toBe('fpn-requirement-suspended-by-appeal');
      const stop = await record(first, { detailType: 'FixedPenaltyIssued', offence: 'cpn-breach', subjectRef: subject, breachedRequirements: [1], occurredAt: '2024-07-20T10:00:00+01:00' });
      expect(stop.status, JSON.stringify(stop.json)).toBe(202);
      expect(stop.json).toMatchObject({ amountPence: 10_000, earlyPaymentPence: 7_500 });
    });

    it('records a closure notice with the hearing due 48 hours after service, Christmas Day not counted', async () => {
      const served = await record(first, { detailType: 'ClosureNoticeServed', subjectRef: `premises-${subject}`, hours: 24, occurredAt: '2024-12-24T18:00:00Z' });
      expect(served.status, JSON.stringify(served.json)).toBe(202);
      expect(served.json).toMatchObject({ expiresAt: '2024-12-25T18:00:00.000Z', hearingDueBy: '2024-12-27T18:00:00.000Z' });
      const set = await record(first, { detailType: 'ClosureNoticeServed', subjectRef: `premises-${subject}`, hours: 24, hearingDueBy: '2024-12-31T00:00:00Z' });
      expect(set.status).toBe(422);
      await stack.settle();
      const view = await body<CaseBody>(await getCase(first));
      expect(view.timeline.find((e) => e.detailType === 'ClosureNoticeServed')).toMatchObject({ hours: 24, hearingDueBy: '2024-12-27T18:00:00.000Z' });
    });

    it('refuses to grade a hate-related Tenancy Services case B, and grades it A', async () => {
      const reportId = await newReport('asb.neighbour', true);
      const refused = await as('tenancy', 'POST', `/reports/${reportId}/triage`, { action: 'open-case', kind: 'tenancy', owner: 'tenancy-services', riskCategory: 'B' });
      expect(refused.status).toBe(422);
      expect((await body<{ error: { code: string } }>(refused)).error.code).toBe('tenancy-hate-related-is-category-a');
      const caseId = await openCase(reportId, { kind: 'tenancy', owner: 'tenancy-services', riskCategory: 'A' }, 'tenancy');
      expect((await body<CaseBody>(await getCase(caseId, 'tenancy'))).riskCategory).toBe('A');
    });
  });

  describe('reminders and duplicate deliveries', () => {
    it('puts one ReviewDue per item due, with the same eventIds when the day is run again', async () => {
      const caseId = await openCase(await newReport(), { kind: 'asb', owner: 'safer-communities', occurredAt: daysAgo(60) });
      const abc = await as('officer', 'POST', `/cases/${caseId}/actions`, { detailType: 'WarningIssued', warningType: 'ABC', subjectRef: 'subject-c', occurredAt: daysAgo(40) });
      expect(abc.status).toBe(202);
      const cpw = await as('officer', 'POST', `/cases/${caseId}/actions`, {
        detailType: 'WarningIssued',
        warningType: 'CPW',
        subjectRef: 'subject-d',
        subjectKind: 'body',
        occurredAt: daysAgo(20),
        complyBy: londonDateOf(daysAgo(5)),
      });
      expect(cpw.status).toBe(202);
      await stack.settle();

      const due = await body<{ date: string; items: { caseId: string; reminder: string; dueOn: string }[] }>(await as('officer', 'GET', '/cases/due'));
      const mine = due.items.filter((i) => i.caseId === caseId);
      expect(mine.map((i) => i.reminder).sort()).toEqual(['abc-review', 'cpw-comply-by-passed']);
      expect(mine.find((i) => i.reminder === 'abc-review')?.dueOn).toBe(addDays(londonDateOf(daysAgo(40)), 42));

      const run = stack.invokers.get('CaseReminders');
      if (!run) throw new Error('CaseReminders is not in the topology');
      const scheduledTime = new Date().toISOString();
      const first = (await run({ schedule: 'DailyCaseReminders', scheduledTime })) as { count: number };
      await run({ schedule: 'DailyCaseReminders', scheduledTime });
      await stack.settle();
      const reminders = archived.filter((e) => e['detail-type'] === 'ReviewDue');
      expect(first.count).toBe(due.items.length);
      const ids = reminders.map((e) => e.detail.eventId);
      expect(new Set(ids).size).toBe(first.count);
      expect(ids.length).toBe(2 * first.count);
      expect(reminders.filter((e) => e.detail.caseId === caseId).map((e) => e.detail.reminder).sort()).toEqual(
        ['abc-review', 'abc-review', 'cpw-comply-by-passed', 'cpw-comply-by-passed'],
      );
    });

    it('changes nothing when the same events are delivered again', async () => {
      const caseId = 'case-dup-0001';
      const opened = { ...sampleFor(CaseOpened), eventId: 'dup-open', caseId, reportIds: [] };
      const warning = { ...sampleFor(WarningIssued), eventId: 'dup-cpw', caseId };
      for (let i = 0; i < 3; i += 1) {
        await stack.bus.put([
          { Source: CaseOpened.source, DetailType: CaseOpened.detailType, Detail: opened },
          { Source: WarningIssued.source, DetailType: WarningIssued.detailType, Detail: warning },
        ]);
        await stack.settle();
      }
      const view = await body<CaseBody>(await getCase(caseId));
      expect(view.timeline.map((e) => e.eventId)).toEqual(['dup-open', 'dup-cpw']);
      expect(stack.bus.deadLetters()).toEqual([]);
    });
  });
});
