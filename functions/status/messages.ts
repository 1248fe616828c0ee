import { caseReviewRight } from '../intake/receive.ts';
import type { CaseStep, ReportStep } from './progress.ts';

/** The templates reporters get (docs/notifications.md lists them with their fields). */
export const reporterTemplates = ['report-received', 'report-update'] as const;
export type ReporterTemplate = (typeof reporterTemplates)[number];

export interface ReporterMessage {
  /** Made from the event the message tells of (and the report, as one case may hold several). */
  id: string;
  template: ReporterTemplate;
  personalisation: Record<string, string>;
}

export interface MessageContext {
  /** The site's public address, for the status link (SC_PUBLIC_URL). */
  baseUrl: string;
  councilName: string;
}

/** Channels whose own service tells their users (FixMyStreet mails its users itself): no messages from us. */
const toldByTheirOwnService: ReadonlySet<string> = new Set(['open311']);

/**
 * Whether the reporter of a report received like this can ever be told anything by us: only
 * one who left contact details (a contactRef), on a channel whose own service does not tell them.
 */
export const mayBeTold = (received: { readonly contactRef?: string | undefined; readonly channel: string }): boolean =>
  Boolean(received.contactRef) && !toldByTheirOwnService.has(received.channel);

/**
 * The messages one report's reporter is due, from what is known of it now: the
 * acknowledgement (with the Case Review notice when it applies), and an update for each time
 * a case took the report on, the report was passed to another service, or a case it is part
 * of was closed. Each id comes from the event it tells of, so a message is the same message
 * whichever event made it due, and a claim on its id sends it once.
 */
export function dueMessages(reportId: string, steps: readonly ReportStep[], cases: ReadonlyMap<string, readonly CaseStep[]>, context: MessageContext): ReporterMessage[] {
  const received = steps.find((s): s is Extract<ReportStep, { kind: 'received' }> => s.kind === 'received');
  if (!received || !mayBeTold(received)) return [];
  const { reference } = received;
  const statusUrl = `${context.baseUrl}/status/${reference}`;
  const common = { reference, statusUrl, councilName: context.councilName };
  const update = (id: string, status: string, text: string): ReporterMessage => ({ id, template: 'report-update', personalisation: { ...common, status, update: text } });

  const messages: ReporterMessage[] = [
    {
      id: `report-received-${received.eventId}`,
      template: 'report-received',
      personalisation: { ...common, caseReview: received.caseReviewNotice ? `${caseReviewRight.text} Ask for one at ${context.baseUrl}${caseReviewRight.href}` : '' },
    },
  ];
  for (const s of steps) {
    if (s.kind === 'case') {
      const text = s.how === 'opened' ? 'An officer has started looking into your report.' : 'Your report has been added to a case an officer is already dealing with.';
      messages.push(update(`report-update-${s.eventId}-${reportId}`, 'Being looked into', text));
    } else if (s.kind === 'referred') {
      messages.push(update(`report-update-${s.eventId}-${reportId}`, 'Passed to another service', `We have passed your report to ${s.service}, who deal with this kind of problem.`));
    }
  }
  const caseIds = [...new Set(steps.flatMap((s) => (s.kind === 'case' ? [s.caseId] : [])))];
  for (const caseId of caseIds) {
    for (const c of cases.get(caseId) ?? []) {
      if (c.kind === 'closed') messages.push(update(`report-update-${c.eventId}-${reportId}`, 'Closed', 'The case your report is part of has been closed. The status page says what was done.'));
    }
  }
  return messages;
}
