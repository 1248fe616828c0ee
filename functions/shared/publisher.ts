import { createEventPublisher, type EventPublisher, type PublishEntry } from '#events/put';
import { eventBridge } from './clients.ts';
import { setting } from './config.ts';
import { currentCorrelation } from './correlation.ts';

const publishers = new Map<string, ReturnType<typeof createEventPublisher>>();

/**
 * The bus publisher. The bus name is read on every call, not kept from the first: a function
 * not granted the bus fails here, locally as on AWS, even if another function in the same
 * process published before it.
 */
export const events = (): EventPublisher => {
  const busName = setting('eventBus');
  let publisher = publishers.get(busName);
  if (!publisher) publishers.set(busName, (publisher = createEventPublisher({ client: eventBridge, busName })));
  return correlating(publisher);
};

/**
 * Stamps each event with the invocation's correlation (the request or run that started the
 * chain) and its cause (the event being handled), unless the producer set them itself.
 */
function correlating(publisher: EventPublisher): EventPublisher {
  const stamp = <D>(detail: D): D => {
    const correlation = currentCorrelation();
    if (!correlation) return detail;
    return { correlationId: correlation.correlationId, ...(correlation.causationId ? { causationId: correlation.causationId } : {}), ...detail };
  };
  return {
    publish: (entries) => publisher.publish(entries.map((e: PublishEntry) => ({ ...e, detail: stamp(e.detail) })) as typeof entries),
    publishOne: (contract, detail) => publisher.publishOne(contract, stamp(detail)),
  };
}
