import { documents } from '#shared/clients';
import { councilId, setting } from '#shared/config';
import { header, httpApi, json, readBody, type HttpRequest } from '#shared/http';
import { events } from '#shared/publisher';
import { commandFrom, decide, entryOf, linesToCheck, type CommandKind } from './commands.ts';
import { actorOf, requireLedger } from './http-support.ts';
import { buildLedgerStore } from './ledger-repository.ts';
import { fundingCommands } from './capability.ts';

const store = buildLedgerStore(documents, setting('table'));

/** Validate, check against the ledger, publish the event; 202 with its eventId. */
const record =
  (kind: CommandKind) =>
  async ({ event, principal, path }: HttpRequest) => {
    const now = new Date();
    const { stream, financialYear } = requireLedger(path, now);
    const body = readBody(event).value;
    const idempotencyKey = header(event, 'idempotency-key');
    const command = commandFrom(kind, body, {
      stream: stream.code,
      financialYear,
      actor: actorOf(principal),
      now,
      councilId,
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      ...(kind === 'reversal' ? { spendEventId: path.eventId ?? '' } : {}),
    });
    const { lines, reversals } = linesToCheck(command);
    const outcome = decide(command, await store.getLines(stream.code, financialYear, lines, reversals));
    if (outcome === 'publish') await events().publish([entryOf(command)]);
    return json(202, { eventId: command.detail.eventId, ...(outcome === 'replay' ? { alreadyRecorded: true } : {}) });
  };

export const handler = httpApi(fundingCommands, {
  'POST /funding/{stream}/{financialYear}/allocations': record('allocation'),
  'POST /funding/{stream}/{financialYear}/commitments': record('commitment'),
  'POST /funding/{stream}/{financialYear}/spends': record('spend'),
  'POST /funding/{stream}/{financialYear}/spends/{eventId}/reversal': record('reversal'),
});
