import { createEventPublisher } from '#events/put';
import { eventBridge } from './clients.ts';
import { setting } from './config.ts';

let publisher: ReturnType<typeof createEventPublisher> | undefined;

/** The bus publisher, created on first use (functions that never publish need no bus name). */
export const events = () => (publisher ??= createEventPublisher({ client: eventBridge, busName: setting('eventBus') }));
