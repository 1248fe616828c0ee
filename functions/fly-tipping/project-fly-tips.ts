import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { flyTipProjector } from './capability.ts';
import { factsOf } from './facts.ts';
import { dynamoFlyTipStore } from './store.ts';

const store = dynamoFlyTipStore(documents, setting('table'));

export const handler = eventConsumer(flyTipProjector, async (event) => {
  for (const fact of factsOf(event)) await store.apply(fact);
}, { idempotency: 'own-writes' });
