import type { DetailInput } from '#events/contract';
import { ReportReceived } from '#events/intake';
import { newId, newReference, type ContactInput, type ReportInput } from './report-input.ts';

export interface ReceiveDeps {
  /** Stores contact details apart and returns the opaque token that stands for them. */
  saveContact: (contact: ContactInput) => Promise<string>;
  publish: (detail: DetailInput<typeof ReportReceived>) => Promise<void>;
  /** Runs once the ids exist and before the event is put (the web form stores its confirmation here). */
  beforePublish?: (ids: { reportId: string; reference: string }) => Promise<void>;
  now?: () => Date;
}

export type Channel = DetailInput<typeof ReportReceived>['channel'];

/**
 * A report from the public becomes one ReportReceived event:
 * 1. contact details, if any, are stored apart under a contactRef;
 * 2. the event carries only that token, never the details themselves;
 * 3. the reporter gets a reference to quote (anything the channel keeps about the submission
 *    is stored before the event is put, so a failure leaves no report without it).
 */
export async function receiveReport(input: ReportInput, channel: Channel, deps: ReceiveDeps) {
  const contactRef = input.contact ? await deps.saveContact(input.contact) : undefined;
  const reportId = newId();
  const reference = newReference();
  await deps.beforePublish?.({ reportId, reference });
  await deps.publish({
    eventId: newId(),
    occurredAt: input.occurredAt,
    actor: { kind: 'public' },
    reportId,
    reference,
    channel,
    category: input.category,
    description: input.description,
    location: input.location,
    hateMotivated: input.hateMotivated,
    reporter: contactRef ? { anonymous: false, contactRef } : { anonymous: true },
    ...(input.category === 'enviro.fly-tipping' && input.flyTip && Object.values(input.flyTip).some((v) => v !== undefined) ? { flyTip: input.flyTip } : {}),
  });
  return { reportId, reference };
}
