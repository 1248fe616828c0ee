import type { Notifier } from '../notifications/port.ts';
import type { ContactInput } from '../intake/report-input.ts';
import { dueMessages, type MessageContext } from './messages.ts';
import { loadProgressInputs, type StatusStore } from './repository.ts';

export interface TellDeps {
  store: StatusStore;
  /** The contact details behind a contactRef, while the vault keeps them. */
  getContact: (contactRef: string) => Promise<ContactInput | undefined>;
  notifier: () => Notifier;
  context: () => MessageContext;
}

/**
 * Sends each of these reports' reporters the messages they are due and have not had. Only a
 * reporter who agreed to be contacted hears anything: by e-mail if they gave an address, else
 * by text message. A message is claimed by its id before it goes, so a redelivered event, or
 * the same message made due by another event, sends nothing more; a failed send gives the
 * claim back and throws, so the event's retry sends it.
 */
export async function tellReporters(reportIds: readonly string[], deps: TellDeps): Promise<string[]> {
  const sent: string[] = [];
  for (const reportId of new Set(reportIds)) {
    const { steps, cases } = await loadProgressInputs(deps.store, reportId);
    const due = dueMessages(reportId, steps, cases, deps.context());
    if (due.length === 0) continue;
    const received = steps.find((s) => s.kind === 'received');
    const contact = received?.kind === 'received' && received.contactRef ? await deps.getContact(received.contactRef) : undefined;
    if (!contact?.consentToContact) continue;
    const to = contact.email ? { channel: 'email' as const, to: contact.email } : contact.phone ? { channel: 'sms' as const, to: contact.phone } : undefined;
    if (!to) continue;
    for (const message of due) {
      if (!(await deps.store.claimMessage(message.id, reportId))) continue;
      try {
        await deps.notifier().send({ ...to, template: message.template, personalisation: message.personalisation, id: message.id });
      } catch (error) {
        await deps.store.releaseMessage(message.id);
        throw error;
      }
      sent.push(message.id);
    }
  }
  return sent;
}
