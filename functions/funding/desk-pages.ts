/**
 * Finance at the desk: the forms of the finance pages. Each form posts to its own page route
 * (web/form-post.ts: origin check, fields, error summary) and does what the JSON route does —
 * the same function records the same event — then waits briefly for the ledger to show it,
 * so the page it goes back to already has the new balance.
 */
import { FundingProfileSet, FundingStreamOpened } from '#events/funding';
import type { Principal } from '#shared/auth';
import { documents } from '#shared/clients';
import { councilId, setting } from '#shared/config';
import { NotFoundError, ValidationError } from '#shared/errors';
import { httpApi, redirect, type HttpRequest } from '#shared/http';
import { events } from '#shared/publisher';
import { handleForm, formToken, type FormFields, type PostedForm } from '../../web/form-post.ts';
import { noErrors, type FormErrors } from '../../web/forms.ts';
import { page } from '../../web/render.ts';
import '../../web/generated/templates/funding.js'; // the funding/ templates this module renders
import { errorPageFor } from '../../web/error-page.ts';
import { fundingDesk } from './capability.ts';
import {
  allocationKindItems,
  entryTitles,
  isEntry,
  profileFieldIds,
  recordBody,
  recordFieldIds,
  reversalFieldIds,
  streamBody,
  streamFieldIds,
  type Entry,
} from './desk-model.ts';
import { actorOf, requireLedger } from './http-support.ts';
import { importPreview } from './import-preview.ts';
import { buildLedgerStore } from './ledger-repository.ts';
import { formatPounds, penceToDecimal } from './money.ts';
import { dayOf } from './page-model.ts';
import { buildPendingImportStore, confirmImport, previewImport, replanImport } from './pending-imports.ts';
import { buildProfileStore } from './profile-store.ts';
import { recordFundingCommand, type RecordCommandDeps } from './record-command.ts';
import { openStream, quarterFields, setProfile } from './setup.ts';
import { buildStreamRegistry } from './stream-registry.ts';

const store = buildLedgerStore(documents, setting('table'));
const registry = buildStreamRegistry(documents, setting('table'));
const profiles = buildProfileStore(documents, setting('table'));
const imports = buildPendingImportStore(documents, setting('table'));
const commandDeps: RecordCommandDeps = { store, registry, publish: (entries) => events().publish(entries), councilId };

const service = { name: 'Funding', url: '/finance/funding' };
const errorPage = errorPageFor({ service, links: [{ href: '/finance/funding', text: 'See all funding streams and years' }] });
const yearHref = (stream: string, fy: string) => `/finance/funding/${encodeURIComponent(stream)}/${encodeURIComponent(fy)}`;
const deskPage = (template: string, context: Record<string, unknown>, status?: number) =>
  page(template, { service, ...context }, status ? { status } : {});

/**
 * The ledger consumer applies events asynchronously: wait a little for `shown` so the next page
 * has what was just recorded. Answers whether it showed; the page says so either way.
 */
async function untilShown(shown: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 100))) {
    if (await shown()) return true;
    if (Date.now() >= end) return false;
  }
}

const uploader = (principal: Principal | undefined) => principal?.subject ?? 'unknown';

async function recordPage(request: HttpRequest, values: FormFields, errors: FormErrors, status?: number) {
  const { stream, financialYear } = await requireLedger(registry, request.path);
  const entry = request.path.entry;
  if (!isEntry(entry)) throw new NotFoundError(`there is no form to record "${String(entry).slice(0, 20)}": record an allocation, commitment or spend`);
  const ledger = await store.get(stream.code, financialYear);
  const projects = [...new Set(Object.values(ledger?.lines ?? {}).flatMap((l) => (l.type === 'allocation' ? [] : [l.project])))].sort();
  return deskPage(
    'funding/record.njk',
    {
      title: entryTitles[entry],
      entry,
      stream,
      financialYear,
      yearHref: yearHref(stream.code, financialYear),
      action: `${yearHref(stream.code, financialYear)}/record/${entry}`,
      kindItems: allocationKindItems.map((k) => ({ value: k.value, text: k.text, hint: { text: k.hint }, checked: values.kind === k.value })),
      projects,
      closedOn: ledger?.closure ? dayOf(ledger.closure.closedAt) : undefined,
      values,
      formToken: values.formToken || formToken(),
      errors,
    },
    status,
  );
}

async function reversalPage(request: HttpRequest, values: FormFields, errors: FormErrors, status?: number) {
  const { stream, financialYear } = await requireLedger(registry, request.path);
  const spendEventId = request.path.eventId ?? '';
  const ledger = await store.getLines(stream.code, financialYear, [spendEventId], [spendEventId]);
  const spend = ledger && Object.hasOwn(ledger.lines, spendEventId) ? ledger.lines[spendEventId] : undefined;
  if (spend?.type !== 'spend') throw new NotFoundError(`there is no spend ${spendEventId.slice(0, 64)} in ${stream.code} ${financialYear}`);
  const reversal = ledger && Object.hasOwn(ledger.reversals, spendEventId) ? ledger.reversals[spendEventId] : undefined;
  return deskPage(
    'funding/reversal.njk',
    {
      stream,
      financialYear,
      yearHref: yearHref(stream.code, financialYear),
      action: `${yearHref(stream.code, financialYear)}/spends/${encodeURIComponent(spendEventId)}/reversal`,
      spend: { project: spend.project, reference: spend.reference, amount: formatPounds(spend.amountPence), date: dayOf(spend.occurredAt) },
      reversedOn: reversal ? dayOf(reversal.occurredAt) : undefined,
      reversedBecause: reversal?.reason,
      values,
      formToken: values.formToken || formToken(),
      errors,
    },
    status,
  );
}

async function profilePage(request: HttpRequest, values: FormFields | undefined, errors: FormErrors, status?: number) {
  const { stream, financialYear } = await requireLedger(registry, request.path);
  const stored = await profiles.get(stream.code, financialYear);
  const shown = values ?? Object.fromEntries(quarterFields.map((q, i) => [q, stored ? penceToDecimal(stored.quarterPence[i] ?? 0) : '']));
  return deskPage(
    'funding/profile.njk',
    { stream, financialYear, yearHref: yearHref(stream.code, financialYear), action: `${yearHref(stream.code, financialYear)}/profile`, values: shown, setOn: stored ? dayOf(stored.setAt) : undefined, errors },
    status,
  );
}

const streamPage = (values: FormFields, errors: FormErrors, status?: number) => deskPage('funding/open-stream.njk', { values, errors }, status);

const uploadPage = (errors: FormErrors, rowErrors: readonly string[] = [], status?: number) => deskPage('funding/import.njk', { errors, rowErrors }, status);

async function previewPage(request: HttpRequest, errors: FormErrors = noErrors, status?: number) {
  const now = new Date();
  const { pending, rows } = await replanImport(request.path.importId ?? '', { imports, streams: await registry.list(), now });
  return deskPage('funding/import-preview.njk', { ...(await importPreview(pending, rows, store)), action: `/finance/funding/import/${pending.importId}`, errors }, status);
}

export const handler = httpApi(
  fundingDesk,
  {
    'GET /finance/funding/{stream}/{financialYear}/record/{entry}': (request) => recordPage(request, {}, noErrors),
    'POST /finance/funding/{stream}/{financialYear}/record/{entry}': (request) =>
      handleForm(request, {
        fieldIds: recordFieldIds[(isEntry(request.path.entry) ? request.path.entry : 'spend') as Entry],
        fallback: 'amount',
        aliases: { amountPence: 'amount', occurredAt: 'date' },
        redisplay: ({ fields }, errors) => recordPage(request, fields, errors, 422),
        act: async ({ fields }: PostedForm) => {
          const { stream, financialYear } = await requireLedger(registry, request.path);
          const entry = request.path.entry;
          if (!isEntry(entry)) throw new NotFoundError('there is no such form');
          const { body, idempotencyKey } = recordBody(entry, fields, financialYear);
          const { command } = await recordFundingCommand(
            { kind: entry, path: request.path, body, principal: request.principal, ...(idempotencyKey ? { idempotencyKey } : {}) },
            commandDeps,
          );
          const eventId = command.detail.eventId;
          await untilShown(async () => Object.hasOwn((await store.getLines(stream.code, financialYear, [eventId], []))?.lines ?? {}, eventId));
          return redirect(`${yearHref(stream.code, financialYear)}?recorded=${encodeURIComponent(eventId)}`);
        },
      }),
    'GET /finance/funding/{stream}/{financialYear}/spends/{eventId}/reversal': (request) => reversalPage(request, {}, noErrors),
    'POST /finance/funding/{stream}/{financialYear}/spends/{eventId}/reversal': (request) =>
      handleForm(request, {
        fieldIds: reversalFieldIds,
        fallback: 'reason',
        redisplay: ({ fields }, errors) => reversalPage(request, fields, errors, 422),
        act: async ({ fields }) => {
          const { stream, financialYear } = await requireLedger(registry, request.path);
          const spendEventId = request.path.eventId ?? '';
          const token = (fields.formToken ?? '').trim();
          const { command } = await recordFundingCommand(
            { kind: 'reversal', path: request.path, body: { reason: fields.reason ?? '' }, principal: request.principal, ...(token ? { idempotencyKey: token } : {}) },
            commandDeps,
          );
          await untilShown(async () => {
            const reversals = (await store.getLines(stream.code, financialYear, [], [spendEventId]))?.reversals ?? {};
            return Object.hasOwn(reversals, spendEventId) && reversals[spendEventId]?.eventId === command.detail.eventId;
          });
          return redirect(`${yearHref(stream.code, financialYear)}?recorded=${encodeURIComponent(command.detail.eventId)}`);
        },
      }),
    'GET /finance/funding/{stream}/{financialYear}/profile': (request) => profilePage(request, undefined, noErrors),
    'POST /finance/funding/{stream}/{financialYear}/profile': (request) =>
      handleForm(request, {
        fieldIds: profileFieldIds,
        fallback: 'q1',
        aliases: { quarterPence: 'q1' },
        redisplay: ({ fields }, errors) => profilePage(request, fields, errors, 422),
        act: async ({ fields }) => {
          const now = new Date();
          const { stream, financialYear } = await requireLedger(registry, request.path, now);
          const token = (fields.formToken ?? '').trim();
          await setProfile({ stream: stream.code, financialYear }, fields, {
            profiles,
            publish: (detail) => events().publishOne(FundingProfileSet, detail),
            councilId,
            actor: actorOf(request.principal),
            now,
            ...(token ? { idempotencyKey: token } : {}),
          });
          return redirect(`${yearHref(stream.code, financialYear)}?profile=set#quarters`);
        },
      }),
    'GET /finance/funding/streams/new': async () => streamPage({}, noErrors),
    'POST /finance/funding/streams/new': (request) =>
      handleForm(request, {
        fieldIds: streamFieldIds,
        fallback: 'code',
        redisplay: async ({ fields }, errors) => streamPage(fields, errors, 422),
        act: async ({ fields }) => {
          const { stream } = await openStream(streamBody(fields), {
            registry,
            publish: (detail) => events().publishOne(FundingStreamOpened, detail),
            councilId,
            actor: actorOf(request.principal),
            now: new Date(),
          });
          return redirect(`/finance/funding?opened=${encodeURIComponent(stream.code)}#stream-${encodeURIComponent(stream.code)}`);
        },
      }),
    'GET /finance/funding/import': async () => uploadPage(noErrors),
    'POST /finance/funding/import': (request) =>
      handleForm(request, {
        fieldIds: { file: 'file' },
        fallback: 'file',
        redisplay: async (_form, errors) => uploadPage(errors, [], 422),
        act: async ({ files }) => {
          const file = files.file;
          if (!file || file.size === 0) throw new ValidationError('choose a file', [{ path: 'file', message: 'choose a CSV file to upload' }]);
          const preview = await previewImport(
            { fileName: file.name, csv: file.text, uploadedBy: uploader(request.principal) },
            { imports, streams: await registry.list(), now: new Date() },
          );
          if (!preview.ok) {
            const errors = { summary: [{ text: `The file has ${preview.errors.length === 1 ? 'a problem' : `${preview.errors.length} problems`}: nothing was imported. Correct the file and upload it again.`, href: '#file' }], fields: { file: { text: 'Correct the rows listed below and upload the file again' } } };
            return uploadPage(errors, preview.errors, 422);
          }
          return redirect(`/finance/funding/import/${preview.pending.importId}`);
        },
      }),
    'GET /finance/funding/import/{importId}': (request) => previewPage(request),
    'POST /finance/funding/import/{importId}': (request) =>
      handleForm(request, {
        fieldIds: { confirm: 'confirm' },
        fallback: 'confirm',
        redisplay: async (_form, errors) => previewPage(request, errors, 422),
        act: async () => {
          const importId = request.path.importId ?? '';
          await confirmImport(importId, {
            imports,
            streams: await registry.list(),
            store,
            publish: (entries) => events().publish(entries),
            waitFor: (done) => untilShown(done, 8000),
            actor: actorOf(request.principal),
            now: new Date(),
          });
          return redirect(`/finance/funding/import/${encodeURIComponent(importId)}`);
        },
      }),
  },
  { errorPage },
);
