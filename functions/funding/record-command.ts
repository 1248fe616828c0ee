/**
 * One finance write, whoever sends it (the JSON API or a form on the finance pages): the stream
 * and year checked against the registry, the body turned into its event and checked in full,
 * checked against the ledger (a replay publishes nothing; a conflict is a 409), then published.
 */
import type { PublishEntry } from '#events/put';
import type { Principal } from '#shared/auth';
import { commandFrom, decide, entryOf, linesToCheck, type CommandKind, type FundingCommand } from './commands.ts';
import { actorOf, requireLedger } from './http-support.ts';
import type { LedgerStore } from './ledger-repository.ts';
import type { StreamRegistry } from './stream-registry.ts';

export interface RecordCommandDeps {
  readonly store: Pick<LedgerStore, 'getLines'>;
  readonly registry: Pick<StreamRegistry, 'find' | 'list'>;
  readonly publish: (entries: PublishEntry[]) => Promise<unknown>;
  readonly councilId: string;
}

export interface RecordRequest {
  readonly kind: CommandKind;
  readonly path: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
  readonly principal: Principal | undefined;
  readonly idempotencyKey?: string;
  readonly now?: Date;
}

export async function recordFundingCommand(request: RecordRequest, deps: RecordCommandDeps): Promise<{ command: FundingCommand; outcome: 'publish' | 'replay' }> {
  const now = request.now ?? new Date();
  const { stream, financialYear } = await requireLedger(deps.registry, request.path, now);
  const command = commandFrom(request.kind, request.body, {
    stream: stream.code,
    financialYear,
    actor: actorOf(request.principal),
    now,
    councilId: deps.councilId,
    ...(request.idempotencyKey !== undefined ? { idempotencyKey: request.idempotencyKey } : {}),
    ...(request.kind === 'reversal' ? { spendEventId: request.path.eventId ?? '' } : {}),
  });
  const { lines, reversals } = linesToCheck(command);
  const outcome = decide(command, await deps.store.getLines(stream.code, financialYear, lines, reversals));
  if (outcome === 'publish') await deps.publish([entryOf(command)]);
  return { command, outcome };
}
