/**
 * The letters to the applicant, as plain content: the printable page and the e-mail through
 * the notifications port are both made from it, so they say the same. Pure.
 *
 * How to escalate (2025 statutory guidance; Home Office answer to a written question on
 * challenging threshold decisions): ask the lead agency to look again at how the application
 * or review was handled; escalate to the Office of the Police and Crime Commissioner, which
 * the guidance makes the route for reviewing case review decisions; and, about the council's
 * own service, the council's complaints procedure and then the Local Government and Social
 * Care Ombudsman.
 */
import { dateText } from '#shared/london-time';
import type { CaseReviewView } from './model.ts';

export type LetterKind = 'threshold' | 'outcome';

export interface Letter {
  kind: LetterKind;
  /** The assessment or decision it tells of. */
  aboutEventId: string;
  title: string;
  greeting: string;
  paragraphs: string[];
  recommendations?: { text: string; owner?: string; dueOn?: string }[];
  escalation: string[];
  signOff: string;
}

export interface LetterContext {
  councilName: string;
  /** The applicant's name, if they gave one. */
  name?: string;
}

export const letterTemplates: Record<LetterKind, string> = { threshold: 'case-review-threshold', outcome: 'case-review-outcome' };

function escalation(c: LetterContext): string[] {
  return [
    `If you are not satisfied with how your application or the review was handled, tell us within 21 days, quoting your reference, and ${c.councilName}'s Safer Communities Strategic Lead, who is the single point of contact for ASB Case Reviews, will look at it again.`,
    'If you are still not satisfied, you can ask the Office of the Police and Crime Commissioner for Leicestershire to review how the ASB Case Review was carried out, including a decision that the threshold was not met.',
    `You can also complain about the council's own service through ${c.councilName}'s complaints procedure and, if you remain unhappy after that, to the Local Government and Social Care Ombudsman (www.lgo.org.uk).`,
  ];
}

/** The threshold decision, or undefined while the application has not been assessed. */
export function thresholdLetter(view: CaseReviewView, c: LetterContext): Letter | undefined {
  const a = view.assessment;
  if (!a) return undefined;
  const counted = a.complaints.filter((x) => x.counted).length;
  return {
    kind: 'threshold',
    aboutEventId: a.eventId,
    title: a.met ? 'Your ASB Case Review application: the threshold is met' : 'Your ASB Case Review application: the threshold is not met',
    greeting: `Dear ${c.name ?? 'applicant'},`,
    paragraphs: [
      `Thank you for your application for an ASB Case Review, received on ${dateText(view.appliedOn)} (reference ${view.reference}).`,
      a.met
        ? `We have looked at the complaints you listed and the reports we hold. Your application meets the threshold (${counted} qualifying complaint${counted === 1 ? '' : 's'}), so the council, the police and the housing providers involved will review how your reports were handled.`
        : `We have looked at the complaints you listed and the reports we hold. Your application does not meet the threshold, so a case review will not be held. You can still report any new incident, and it will be acted on.`,
      a.met && view.deadlines.holdReviewBy ? `The review will be held by ${dateText(view.deadlines.holdReviewBy)}. We will write to you with its outcome.` : '',
      `How we decided: ${a.basis}`,
    ].filter((p) => p !== ''),
    escalation: escalation(c),
    signOff: `Safer Communities, ${c.councilName}`,
  };
}

/** The outcome with its recommendations, or undefined until the panel has decided. */
export function outcomeLetter(view: CaseReviewView, c: LetterContext): Letter | undefined {
  const d = view.decision;
  if (!d) return undefined;
  const members = view.panel?.members.map((m) => m.organisation);
  return {
    kind: 'outcome',
    aboutEventId: d.eventId,
    title: 'The outcome of your ASB Case Review',
    greeting: `Dear ${c.name ?? 'applicant'},`,
    paragraphs: [
      `Your ASB Case Review (reference ${view.reference}) was held${d.heldOn ? ` on ${dateText(d.heldOn)}` : ''}${members?.length ? `, with ${[...new Set(members)].join(', ')}` : ''}.`,
      d.upheld
        ? 'The panel found that the response to your reports should have been better, and it upheld your complaint.'
        : 'The panel found that the response to your reports was reasonable, and it did not uphold your complaint.',
      d.recommendations.length
        ? 'The panel made the recommendations below. Each has an agency responsible for it and a date by which it is to be done; we will keep you informed.'
        : 'The panel made no recommendations.',
    ],
    ...(d.recommendations.length
      ? { recommendations: d.recommendations.map((r) => ({ text: r.text, ...(r.owner ? { owner: r.owner } : {}), ...(r.dueOn ? { dueOn: dateText(r.dueOn) } : {}) })) }
      : {}),
    escalation: escalation(c),
    signOff: `Safer Communities, ${c.councilName}`,
  };
}

export const letterOf = (kind: LetterKind, view: CaseReviewView, c: LetterContext) => (kind === 'threshold' ? thresholdLetter(view, c) : outcomeLetter(view, c));

/** The letter as Notify personalisation: every field text, lists as lines. */
export function personalisationOf(letter: Letter, reference: string): Record<string, string> {
  return {
    reference,
    title: letter.title,
    greeting: letter.greeting,
    body: letter.paragraphs.join('\n\n'),
    recommendations: (letter.recommendations ?? []).map((r, i) => `${i + 1}. ${r.text}${r.owner ? ` (${r.owner}${r.dueOn ? `, by ${r.dueOn}` : ''})` : ''}`).join('\n'),
    escalation: letter.escalation.join('\n\n'),
    signOff: letter.signOff,
  };
}
