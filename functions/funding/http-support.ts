import type { Actor } from '#events/envelope';
import type { Principal } from '#shared/auth';
import { BadRequestError, NotFoundError } from '#shared/errors';
import { lookupLedger, type StreamRegistry } from './stream-registry.ts';
import type { FundingStreamConfig } from './streams.ts';

/** An open stream and a valid year from path parameters, or a 4xx saying what is wrong. */
export async function requireLedger(
  registry: Pick<StreamRegistry, 'find' | 'list'>,
  path: Readonly<Record<string, string | undefined>>,
  now: Date = new Date(),
): Promise<{ stream: FundingStreamConfig; financialYear: string }> {
  const found = await lookupLedger(registry, path.stream ?? '', path.financialYear ?? '', now);
  if (found.ok) return { stream: found.stream, financialYear: found.financialYear };
  if (found.problem === 'malformed-year') throw new BadRequestError(found.message);
  throw new NotFoundError(found.message);
}

/** Finance staff act as officers of the council in the event envelope. */
export function actorOf(principal: Principal | undefined): Actor {
  return {
    kind: 'officer',
    ...(principal?.subject ? { id: principal.subject.slice(0, 128) } : {}),
    ...(principal?.organisation ? { organisation: principal.organisation.slice(0, 128) } : {}),
  };
}
