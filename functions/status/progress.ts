/**
 * A report's progress as the public may see it (GET /status/{reference}), folded from the
 * steps the projection stored, in any order they arrived. Nothing here is personal: no
 * description, no place, no contact, no subject; an action is named by its kind only.
 */

/** What a case's action is, in the words the reporter reads (actions.ts maps the events). */
export const publicActions = {
  visit: 'An officer visited',
  contact: 'An officer spoke or wrote to the people involved',
  warning: 'A warning was given',
  notice: 'A formal notice was served',
  'fixed-penalty': 'A fixed penalty notice was issued',
  'court-order': 'A court order was obtained',
  'closure-notice': 'A closure notice was served on the premises',
  interview: 'An interview under caution was held',
  legal: 'The case was passed to the council’s lawyers',
  operation: 'Officers carried out an operation',
  patrol: 'Officers patrolled the area',
  referral: 'A referral was made to a support service',
} as const;
export type PublicAction = keyof typeof publicActions;

/** One step of a report, stored under the report (one per event). */
export type ReportStep =
  | { kind: 'received'; eventId: string; at: string; reference: string; channel: string; contactRef?: string; caseReviewNotice?: boolean }
  | { kind: 'case'; eventId: string; at: string; caseId: string; how: 'opened' | 'linked' }
  | { kind: 'referred'; eventId: string; at: string; service: string };

/** One step of a case, stored under the case (one per event). */
export type CaseStep = { kind: 'opened'; eventId: string; at: string } | { kind: 'closed'; eventId: string; at: string } | { kind: 'action'; eventId: string; at: string; action: PublicAction };

export const statuses = ['received', 'being-looked-into', 'passed-on', 'closed'] as const;
export type Status = (typeof statuses)[number];

export const statusLabels: Record<Status, string> = {
  received: 'Received',
  'being-looked-into': 'Being looked into',
  'passed-on': 'Passed to another service',
  closed: 'Closed',
};

export interface HistoryItem {
  at: string;
  text: string;
}

export interface Progress {
  reference: string;
  status: Status;
  updatedAt: string;
  history: HistoryItem[];
  /** What was done on the report's cases, each kind once, in the order it was first done. */
  whatWasDone: string[];
}

/** For ties in time: the order in which steps happen. */
const rank = { received: 0, case: 1, referred: 1, opened: 2, action: 3, closed: 4 } as const;

const byTime = <T extends { at: string; kind: keyof typeof rank; eventId: string }>(a: T, b: T) =>
  Date.parse(a.at) - Date.parse(b.at) || rank[a.kind] - rank[b.kind] || a.eventId.localeCompare(b.eventId);

/**
 * The progress of one report, or undefined until its ReportReceived is known (the reference is
 * what the public holds). `cases` are the steps of each case the report joined.
 */
export function progressOf(steps: readonly ReportStep[], cases: ReadonlyMap<string, readonly CaseStep[]>): Progress | undefined {
  const received = steps.find((s): s is Extract<ReportStep, { kind: 'received' }> => s.kind === 'received');
  if (!received) return undefined;
  const joined = steps.filter((s): s is Extract<ReportStep, { kind: 'case' }> => s.kind === 'case');
  const caseIds = [...new Set(joined.map((s) => s.caseId))];
  const referred = steps.filter((s): s is Extract<ReportStep, { kind: 'referred' }> => s.kind === 'referred');
  const caseSteps = caseIds.flatMap((id) => [...(cases.get(id) ?? [])]);
  const closedCases = caseIds.filter((id) => (cases.get(id) ?? []).some((s) => s.kind === 'closed'));

  const status: Status =
    caseIds.length > 0 ? (closedCases.length === caseIds.length ? 'closed' : 'being-looked-into') : referred.length > 0 ? 'passed-on' : 'received';

  const seenActions = new Set<PublicAction>();
  const history: (HistoryItem & { kind: keyof typeof rank; eventId: string })[] = [];
  const mine = [...steps].sort(byTime);
  for (const s of mine) {
    if (s.kind === 'received') history.push({ ...s, text: 'We received your report' });
    else if (s.kind === 'case') {
      history.push({
        ...s,
        text: s.how === 'opened' ? 'An officer started looking into your report' : 'Your report was added to a case an officer is already dealing with',
      });
    } else history.push({ ...s, text: `We passed your report to ${s.service}, who deal with this kind of problem` });
  }
  for (const s of [...caseSteps].sort(byTime)) {
    // "Opened" is told once, by the report's own step; each kind of action once, when first done.
    if (s.kind === 'action' && !seenActions.has(s.action)) {
      seenActions.add(s.action);
      history.push({ ...s, text: publicActions[s.action] });
    } else if (s.kind === 'closed') history.push({ ...s, text: caseIds.length > 1 ? 'One of the cases your report is part of was closed' : 'The case was closed' });
  }
  history.sort(byTime);
  const updatedAt = history.reduce((latest, h) => (Date.parse(h.at) > Date.parse(latest) ? h.at : latest), received.at);
  return {
    reference: received.reference,
    status,
    updatedAt: new Date(updatedAt).toISOString(),
    history: history.map((h) => ({ at: new Date(h.at).toISOString(), text: h.text })),
    whatWasDone: [...seenActions].map((a) => publicActions[a]),
  };
}

/** Crockford base32 as the reference is written (newReference): SC-XXXX-XXXX. */
const REFERENCE = /^SC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/**
 * A reference as a person may type or read it out: any case, spaces or dashes anywhere, and
 * the letters people confuse with digits (O for 0, I and L for 1). Undefined if it cannot be one.
 */
export function normaliseReference(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const compact = text
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/^SC/, '');
  if (compact.length !== 8) return undefined;
  const fixed = compact.replace(/O/g, '0').replace(/[IL]/g, '1');
  const reference = `SC-${fixed.slice(0, 4)}-${fixed.slice(4)}`;
  return REFERENCE.test(reference) ? reference : undefined;
}
