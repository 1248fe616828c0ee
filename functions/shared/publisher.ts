import { createEventPublisher } from '#events/put';
import { eventBridge } from './clients.ts';
import { setting } from './config.ts';

const publishers = new Map<string, ReturnType<typeof createEventPublisher>>();

/**
 * The bus publisher. The bus name is read on every call, not kept from the first: a function
 * not granted the bus fails here, locally as on AWS, even if another function in the same
 * process published before it.
 */
export const events = () => {
  const busName = setting('eventBus');
  let publisher = publishers.get(busName);
  if (!publisher) publishers.set(busName, (publisher = createEventPublisher({ client: eventBridge, busName })));
  return publisher;
};
