/**
 * The words the pages show for the system's codes: one place, so a code reads the same on
 * every page (the triage queue, a case, the officer's home, the case reviews). Each `…Text`
 * answers the code itself for a code it does not know (a Tenancy Services category of their
 * own, a free-text outcome written before the outcome list), never an empty cell.
 */
import { caseKinds, caseOwners, referralSources } from '#events/cases';
import { fpnOffences } from '#events/enforcement';
import { categoryLabels, channels } from '#events/intake';
import type { reminderKinds } from '#events/reminders';

const lookup = (words: Readonly<Record<string, string>>) => (code: string | undefined) => (code === undefined ? '' : (words[code] ?? code));

export const categoryText = lookup(categoryLabels);

export const channelWords: Record<(typeof channels)[number], string> = {
  webform: 'Online form',
  open311: 'Open311 (another app)',
  disc: 'DISC (partner system)',
  'farm-watch': 'Farm Watch',
  police: 'Police',
  housing: 'Housing',
  officer: 'An officer',
};
export const channelText = lookup(channelWords);

export const kindWords: Record<(typeof caseKinds)[number], string> = { asb: 'Anti-social behaviour', enviro: 'Environmental crime', tenancy: 'Tenancy (council tenant)' };
export const kindText = lookup(kindWords);

export const ownerWords: Record<(typeof caseOwners)[number], string> = { 'safer-communities': 'Safer Communities', 'tenancy-services': 'Tenancy Services' };
export const ownerText = lookup(ownerWords);

export const referralWords: Record<(typeof referralSources)[number], string> = {
  public: 'A member of the public',
  housing: 'Housing',
  police: 'Police',
  partner: 'A partner organisation',
  internal: 'The council',
};
export const referralText = lookup(referralWords);

/** What an officer can record from the case page: detail-type and, where it has one, its type field. */
export const actionChoices = [
  { value: 'TeamActionRecorded:visit', text: 'Visit' },
  { value: 'TeamActionRecorded:call', text: 'Phone call' },
  { value: 'TeamActionRecorded:letter', text: 'Letter' },
  { value: 'TeamActionRecorded:email', text: 'Email' },
  { value: 'TeamActionRecorded:meeting', text: 'Meeting' },
  { value: 'TeamActionRecorded:inspection', text: 'Inspection' },
  { value: 'WarningIssued:verbal', text: 'Verbal warning' },
  { value: 'WarningIssued:written', text: 'Written warning' },
  { value: 'WarningIssued:ABC', text: 'Acceptable Behaviour Contract (ABC)' },
  { value: 'WarningIssued:CPW', text: 'Community Protection Warning (CPW)' },
  { value: 'WarningIssued:duty-of-care', text: 'Duty of care warning' },
  { value: 'NoticeServed:CPN', text: 'Community Protection Notice (CPN)' },
  { value: 'NoticeServed:s47-epa', text: 'Section 47 Environmental Protection Act notice' },
  { value: 'NoticeServed:pdpa-s4', text: 'Section 4 Prevention of Damage by Pests Act notice' },
  { value: 'NoticeServed:duty-of-care', text: 'Duty of care notice' },
  { value: 'FixedPenaltyIssued', text: 'Fixed Penalty Notice (FPN)' },
  { value: 'InterviewUnderCautionHeld', text: 'Interview under caution' },
  { value: 'CaseFileSentToLegal', text: 'Case file sent to legal' },
  { value: 'CourtOrderObtained:closure-order', text: 'Closure order' },
  { value: 'CourtOrderObtained:closure-order-extension', text: 'Closure order extension' },
  { value: 'CourtOrderObtained:s1-injunction', text: 'Section 1 injunction' },
  { value: 'ReferralMade', text: 'Referral to a support service' },
] as const;
export type ActionChoice = (typeof actionChoices)[number]['value'];

/** An action as words, from its detail-type and its type field (`WarningIssued`, `CPW`), if the pages offer it. */
export const actionText = (detailType: string, subtype?: unknown): string | undefined =>
  actionChoices.find((c) => c.value === (subtype ? `${detailType}:${String(subtype)}` : detailType))?.text;

export const offenceText = (offence: string) =>
  offence.replaceAll('-', ' ').replace(/^./, (c) => c.toUpperCase()).replace('Cpn', 'CPN').replace('Pspo', 'PSPO');
export const offenceChoices = fpnOffences.map((o) => ({ value: o, text: offenceText(o) }));

/**
 * How a case ended. The outcome is free text in CaseClosed; the close form offers these
 * codes, and a page shows an outcome by its words (an older free-text outcome as written).
 */
export const outcomeWords = {
  'resolved': 'Resolved: the behaviour stopped',
  'enforcement-complete': 'Enforcement complete',
  'referred-on': 'Referred to another service',
  'insufficient-evidence': 'Not enough evidence to act',
  'complainant-withdrew': 'The complainant withdrew or could not be contacted',
  'no-further-action': 'No further action needed',
} as const;
export const outcomeText = lookup(outcomeWords);
export const outcomeChoices = Object.entries(outcomeWords).map(([value, text]) => ({ value, text }));

export const firstContactWords = { met: 'Contacted in time', late: 'Contacted late', due: 'Contact due', overdue: 'Contact overdue', missed: 'Contact missed' } as const;

export const reminderWords: Record<(typeof reminderKinds)[number], string> = {
  'abc-review': 'ABC review',
  'cpw-comply-by-passed': 'CPW comply-by date passed',
  'order-expiring': 'Order ending',
  'first-contact-missed': 'First contact missed',
};
export const reminderText = lookup(reminderWords);
