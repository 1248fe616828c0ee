import { documents } from '#shared/clients';
import { councilId, setting } from '#shared/config';
import { header, httpApi, json, readBody, type HttpRequest } from '#shared/http';
import { events } from '#shared/publisher';
import type { CommandKind } from './commands.ts';
import { buildLedgerStore } from './ledger-repository.ts';
import { recordFundingCommand, type RecordCommandDeps } from './record-command.ts';
import { buildStreamRegistry } from './stream-registry.ts';
import { fundingCommands } from './capability.ts';

const deps: RecordCommandDeps = {
  store: buildLedgerStore(documents, setting('table')),
  registry: buildStreamRegistry(documents, setting('table')),
  publish: (entries) => events().publish(entries),
  councilId,
};

/** Validate, check against the ledger, publish the event; 202 with its eventId. */
const record =
  (kind: CommandKind) =>
  async ({ event, principal, path }: HttpRequest) => {
    const idempotencyKey = header(event, 'idempotency-key');
    const body = readBody(event).value;
    const { command, outcome } = await recordFundingCommand({ kind, path, body, principal, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) }, deps);
    return json(202, { eventId: command.detail.eventId, ...(outcome === 'replay' ? { alreadyRecorded: true } : {}) });
  };

export const handler = httpApi(fundingCommands, {
  'POST /funding/{stream}/{financialYear}/allocations': record('allocation'),
  'POST /funding/{stream}/{financialYear}/commitments': record('commitment'),
  'POST /funding/{stream}/{financialYear}/spends': record('spend'),
  'POST /funding/{stream}/{financialYear}/spends/{eventId}/reversal': record('reversal'),
});
