import type { Role } from '../../topology.ts';
import { until, type DemoContext } from './types.ts';

/**
 * Cases worked the way officers work them, through the HTTP API: reports from the queue
 * triaged into cases, a CPW and (after its comply-by date) a CPN with its requirements and an
 * appeal, a closure notice, a fixed penalty from the tariff, a case shared with Leicestershire
 * Police, and Tenancy Services cases, one of them past its contact target. Places are in the
 * council's own area (Melton: LE13 and LE14 postcodes).
 * Dates are set back so the ladder and the targets have something to show today.
 */
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const londonDate = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

interface QueuedReport {
  reportId: string;
  category: string;
  description: string;
}

export async function seedCases(ctx: DemoContext) {
  const { gateway, token, log } = ctx;
  const call = async (role: Role | 'public', method: string, path: string, json?: unknown) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (role !== 'public') headers.authorization = `Bearer ${await token(role)}`;
    const res = await fetch(`${gateway}${path}`, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    if (res.status >= 300) throw new Error(`demo cases: ${method} ${path} answered ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  /** Events are projected asynchronously: wait until the case's timeline holds the event. */
  const projected = (role: Role, caseId: string, eventId: string) =>
    until(ctx, `event ${eventId} did not reach case ${caseId}`, async () => {
      const res = await fetch(`${gateway}/cases/${caseId}`, { headers: { authorization: `Bearer ${await token(role)}` } });
      return res.ok && ((await res.json()) as { timeline: { eventId: string }[] }).timeline.some((e) => e.eventId === eventId);
    });
  const action = async (role: Role, caseId: string, body: Record<string, unknown>) => {
    const { eventId } = await call(role, 'POST', `/cases/${caseId}/actions`, body);
    await projected(role, caseId, eventId as string);
  };
  /** Opens a case from a report in the queue; its number comes from the order cases are opened in. */
  const open = async (role: Role, reportId: string, decision: Record<string, unknown>) => {
    const { caseId, eventId } = await call(role, 'POST', `/reports/${reportId}/triage`, { action: 'open-case', ...decision });
    return { caseId: caseId as string, eventId: eventId as string };
  };

  // One more report from the public, then the reports step's and this one in the triage queue
  // (they are projected asynchronously), each found by its own words.
  const { reportId: gardenReport } = await call('public', 'POST', '/reports', {
    category: 'asb.animal',
    description: 'Dogs left in the garden barking all day next door.',
    occurredAt: daysAgo(1),
    location: { postcode: 'LE14 2PB' },
    hateMotivated: false,
  });
  let queue: QueuedReport[] = [];
  const find = (category: string, words: string) => queue.find((r) => r.category === category && r.description.includes(words))?.reportId;
  await until(ctx, 'the demo reports did not reach the triage queue', async () => {
    queue = (await call('officer', 'GET', '/reports?status=untriaged&limit=100')).items as QueuedReport[];
    return Boolean(find('enviro.fly-tipping', 'black bags') && find('asb.rowdy', 'teenagers') && find('asb.neighbour', 'loud music') && queue.some((r) => r.reportId === gardenReport));
  });
  const flyTipping = find('enviro.fly-tipping', 'black bags') as string;
  const rowdy = find('asb.rowdy', 'teenagers') as string;
  const neighbour = find('asb.neighbour', 'loud music') as string;

  // Opened one after another, so the case numbers follow this order; then worked at once.
  const enviro = await open('officer', flyTipping, { kind: 'enviro', owner: 'safer-communities', referredFrom: 'public', occurredAt: daysAgo(3) });
  const asb = await open('officer', rowdy, { kind: 'asb', owner: 'safer-communities', occurredAt: daysAgo(30) });
  const overdue = await open('tenancy', neighbour, { kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.harassment', riskCategory: 'A', hateRelated: true, occurredAt: daysAgo(6) });
  const inTime = await open('tenancy', gardenReport as string, { kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.animal-nuisance', riskCategory: 'C' });
  await Promise.all([
    projected('officer', enviro.caseId, enviro.eventId),
    projected('officer', asb.caseId, asb.eventId),
    projected('tenancy', overdue.caseId, overdue.eventId),
    projected('tenancy', inTime.caseId, inTime.eventId),
  ]);

  const workEnviro = async (caseId: string) => {
    await action('officer', caseId, { detailType: 'TeamActionRecorded', actionType: 'inspection', occurredAt: daysAgo(3), notes: 'Waste searched: an addressed envelope found.' });
    await action('officer', caseId, { detailType: 'InterviewUnderCautionHeld', subjectRef: 'subject_demo_tipper', occurredAt: daysAgo(1) });
    await action('officer', caseId, { detailType: 'FixedPenaltyIssued', offence: 'fly-tipping', subjectRef: 'subject_demo_tipper' });
    // Handed to a colleague (a name from the demo staff directory): the home page lists each officer's own.
    await call('officer', 'POST', `/cases/${caseId}/assign`, { assignedTo: 'officer-jo' });
  };
  const workAsb = async (caseId: string) => {
    await action('officer', caseId, { detailType: 'TeamActionRecorded', actionType: 'visit', subjectRef: 'subject_demo_youth', occurredAt: daysAgo(28) });
    await action('officer', caseId, { detailType: 'WarningIssued', warningType: 'CPW', subjectRef: 'subject_demo_youth', subjectKind: 'person', subjectAge: 19, occurredAt: daysAgo(21), complyBy: londonDate(daysAgo(7)) });
    const { eventId: cpn } = await call('officer', 'POST', `/cases/${caseId}/actions`, {
      detailType: 'NoticeServed',
      noticeType: 'CPN',
      subjectRef: 'subject_demo_youth',
      subjectKind: 'person',
      subjectAge: 19,
      occurredAt: daysAgo(5),
      complyBy: londonDate(daysAgo(-9)),
      requirements: [
        { kind: 'stop', text: 'Stop gathering with others outside the shops on the High Street after 21:00' },
        { kind: 'do', text: 'Attend the youth diversion session offered by the council' },
      ],
    });
    await projected('officer', caseId, cpn as string);
    // An appeal on day 5 of 21: until it is decided only the "stop" requirement has effect.
    await action('officer', caseId, { detailType: 'CpnAppealLodged', noticeEventId: cpn, subjectRef: 'subject_demo_youth', lodgedOn: londonDate(daysAgo(1)), occurredAt: daysAgo(1) });
    await action('officer', caseId, { detailType: 'ReferralMade', service: 'Youth Service (multi-agency referral form)', internal: false, subjectRef: 'subject_demo_younger', subjectAge: 15 });
    await call('officer', 'POST', `/cases/${caseId}/share`, { organisation: 'Leicestershire Police' });
    await action('officer', caseId, {
      detailType: 'ClosureNoticeServed',
      subjectRef: 'premises_demo_flat_3',
      hours: 48,
      authorisedBy: 'Chief Executive (designated: Head of Regulatory Services)',
      occurredAt: daysAgo(2),
      notes: 'Flat 3 above the High Street shops: repeated gatherings and disorder. Access prohibited except for the tenant.',
    });
  };
  await Promise.all([
    workEnviro(enviro.caseId),
    workAsb(asb.caseId),
    action('tenancy', inTime.caseId, { detailType: 'TeamActionRecorded', actionType: 'call', contactWith: 'complainant' }),
    call('officer', 'POST', '/actions', { detailType: 'PatrolLogged', minutes: 150, occurredAt: daysAgo(2), notes: 'Evening patrol of the skate park and town-centre car parks.' }),
    call('officer', 'POST', '/actions', { detailType: 'OperationConducted', operationType: 'waste-carrier-stop-search', occurredAt: daysAgo(4) }),
  ]);

  log(`demo data: cases ${enviro.caseId} (enviro, FPN, assigned to officer-jo), ${asb.caseId} (CPW, CPN, appeal, closure notice, shared), ${overdue.caseId} (tenancy A, contact overdue), ${inTime.caseId} (tenancy C)`);
}
