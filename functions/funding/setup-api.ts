import { FundingProfileSet, FundingStreamOpened } from '#events/funding';
import { documents } from '#shared/clients';
import { councilId, setting } from '#shared/config';
import { header, httpApi, json, readBody } from '#shared/http';
import { events } from '#shared/publisher';
import { fundingSetup } from './capability.ts';
import { actorOf, requireLedger } from './http-support.ts';
import { buildProfileStore } from './profile-store.ts';
import { openStream, setProfile } from './setup.ts';
import { buildStreamRegistry } from './stream-registry.ts';

const registry = buildStreamRegistry(documents, setting('table'));
const profiles = buildProfileStore(documents, setting('table'));

export const handler = httpApi(fundingSetup, {
  'POST /funding/streams': async ({ event, principal }) => {
    const { eventId, stream, alreadyOpen } = await openStream(readBody(event).value, {
      registry,
      publish: (detail) => events().publishOne(FundingStreamOpened, detail),
      councilId,
      actor: actorOf(principal),
      now: new Date(),
    });
    return json(202, { eventId, stream: stream.code, ...(alreadyOpen ? { alreadyRecorded: true } : {}) });
  },
  'POST /funding/{stream}/{financialYear}/profile': async ({ event, principal, path }) => {
    const now = new Date();
    const { stream, financialYear } = await requireLedger(registry, path, now);
    const idempotencyKey = header(event, 'idempotency-key');
    const result = await setProfile({ stream: stream.code, financialYear }, readBody(event).value, {
      profiles,
      publish: (detail) => events().publishOne(FundingProfileSet, detail),
      councilId,
      actor: actorOf(principal),
      now,
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    });
    return json(202, { eventId: result.eventId, ...(result.alreadyRecorded ? { alreadyRecorded: true } : {}) });
  },
});
