import { until, type DemoContext } from './types.ts';

/**
 * Two ASB Case Review applications, sent as people send them: one from a resident in
 * Melton Mowbray who reported three times (the threshold is met, the panel has decided with
 * recommendations, and both letters are in the outbox), and one from Asfordby whose complaints
 * are too old (threshold not met).
 */
const londonDate = (daysAgo: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() - daysAgo * 86_400_000));

export async function seedCaseReviews(ctx: DemoContext) {
  const { gateway, token, log } = ctx;
  const call = async (method: string, path: string, json?: unknown, officer = false) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (officer) headers.authorization = `Bearer ${await token('officer')}`;
    const res = await fetch(`${gateway}${path}`, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    if (res.status >= 300) throw new Error(`demo case reviews: ${method} ${path} answered ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  /** The assessment is made asynchronously: wait for it before acting on the review. */
  const assessed = (reviewId: string) =>
    until(ctx, `case reviews: ${reviewId} was not assessed`, async () => {
      const res = await fetch(`${gateway}/case-reviews/${reviewId}`, { headers: { authorization: `Bearer ${await token('officer')}` } });
      // 404 until the application itself is projected.
      return res.ok && ((await res.json()) as { thresholdMet: unknown }).thresholdMet !== null;
    });

  // The two applications are independent: sent at once, as two residents would.
  const decided = async () => {
    const met = await call('POST', '/case-reviews', {
      applicant: { name: 'Morgan Ellis', email: 'morgan.ellis@example.com', consentToContact: true },
      hateIncident: false,
      description: 'Loud parties and intimidation from a neighbouring flat on Burton Road, Melton Mowbray (LE13 1DL), reported again and again since the spring.',
      complaints: [
        { reportedTo: 'council', incidentOn: londonDate(70), reportedOn: londonDate(69) },
        { reportedTo: 'police', incidentOn: londonDate(40), reportedOn: londonDate(40), reference: 'LP-0412-2025' },
        { reportedTo: 'housing-provider', incidentOn: londonDate(12), reportedOn: londonDate(11) },
      ],
    });
    const metId = met.reviewId as string;
    await assessed(metId);
    await call('POST', `/case-reviews/${metId}/letters/threshold`, undefined, true);
    await call('POST', `/case-reviews/${metId}/panel`, {
      meetingOn: londonDate(1),
      members: [
        { name: 'Insp. R Shah', organisation: 'Leicestershire Police', role: 'Melton neighbourhood inspector' },
        { name: 'K Doyle', organisation: 'Housing provider', role: 'Tenancy manager' },
        { name: 'Strategic Lead', organisation: 'Safer Communities', role: 'Case review SPOC' },
      ],
    }, true);
    await call('POST', `/case-reviews/${metId}/decision`, {
      upheld: true,
      heldOn: londonDate(1),
      recommendations: [
        { text: 'Serve a Community Protection Warning on the occupants of the neighbouring flat.', owner: 'Safer Communities', dueOn: londonDate(-14) },
        { text: 'Name one officer to update the applicant every fortnight until the case closes.', owner: 'Leicestershire Police', dueOn: londonDate(-7) },
      ],
    }, true);
    await call('POST', `/case-reviews/${metId}/letters/outcome`, undefined, true);
  };
  const belowThreshold = async () => {
    const notMet = await call('POST', '/case-reviews', {
      applicant: { name: 'Alex Rowe', phone: '01664 502 502', consentToContact: true },
      hateIncident: false,
      description: 'Youths gathering by the shops on Main Street, Asfordby (LE14 3SA), last winter.',
      complaints: [{ reportedTo: 'council', incidentOn: londonDate(300), reportedOn: londonDate(295) }],
    });
    await assessed(notMet.reviewId as string);
  };
  await Promise.all([decided(), belowThreshold()]);
  log(`demo data: 2 ASB Case Reviews (one decided with recommendations, one below the threshold); officers see them at ${gateway}/officer/case-reviews`);
}
