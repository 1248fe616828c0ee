import type { DetailInput } from '#events/contract';
import { flyTipDetailsSchema, type FlyTipDetailsRecorded } from '#events/fly-tipping';
import { BadRequestError, detailsFromZod, NotFoundError, ValidationError } from '#shared/errors';
import { csvDownload, header, json, readBody, type HttpResult, type RouteHandler } from '#shared/http';
import type { RouteKeysOf } from '#shared/wiring';
import type { ReportView } from '../intake/reports-repository.ts';
import type { flyTipApi } from './capability.ts';
import { signedIn } from '../cases/principal.ts';
import { parseQuarter } from './quarters.ts';
import { classify, effectiveDetails, readReturn, returnCsv, type FlyTipStore } from './returns.ts';

export interface FlyTipRouteDeps {
  store: FlyTipStore;
  getReport: (reportId: string) => Promise<ReportView | undefined>;
  publish: (detail: DetailInput<typeof FlyTipDetailsRecorded>) => Promise<void>;
  newId: () => string;
  now: () => Date;
}

const noReport = (reportId: string) => new NotFoundError(`there is no report ${reportId}: check the report id in the triage queue (GET /reports)`);

/** The officer's record of a report's WasteDataFlow details, and the quarterly return. */
export function buildFlyTipHandlers(deps: FlyTipRouteDeps): Record<RouteKeysOf<typeof flyTipApi>, RouteHandler> {
  return {
    /** What is recorded of a report as a fly-tip: the reporter's answers, the latest officer record, and what counts. */
    'GET /reports/{reportId}/fly-tip': async ({ path }) => {
      const reportId = path.reportId ?? '';
      const incident = await deps.store.incident(reportId);
      if (!incident) {
        if (!(await deps.getReport(reportId))) throw noReport(reportId);
        return json(200, { reportId, recorded: false, details: {}, missing: ['landType', 'wasteType', 'size'] });
      }
      const details = effectiveDetails(incident);
      const c = classify(details);
      return json(200, {
        reportId,
        reference: incident.reference,
        recorded: true,
        details,
        missing: c.complete ? [] : c.missing,
        reporterAnswers: incident.public ?? null,
        officerRecord: incident.officer ? { details: incident.officer.details, officerId: incident.officer.officerId } : null,
      });
    },

    /** Records (or corrects) the details; the latest officer record wins over the reporter's answers. */
    'POST /reports/{reportId}/fly-tip': async ({ event, path, principal }) => {
      const officer = signedIn(principal);
      const parsed = flyTipDetailsSchema.strict().safeParse(readBody(event).value);
      if (!parsed.success) throw new ValidationError('the fly-tipping details are not valid: correct the fields listed', detailsFromZod(parsed.error.issues));
      if (Object.values(parsed.data).every((v) => v === undefined)) {
        throw new BadRequestError('give at least one of landType, wasteType and size (leave out a field you do not know)');
      }
      const reportId = path.reportId ?? '';
      const report = await deps.getReport(reportId);
      if (!report) throw noReport(reportId);
      const eventId = deps.newId();
      await deps.publish({
        eventId,
        occurredAt: deps.now().toISOString(),
        actor: { kind: 'officer', id: officer.subject },
        reportId,
        officerId: officer.subject,
        reportedAt: report.occurredAt,
        ...(report.reference ? { reference: report.reference } : {}),
        details: parsed.data,
      });
      return json(202, { eventId });
    },

    /** The return for a financial-year quarter: CSV by default, JSON when asked for. */
    'GET /fly-tipping/returns': async ({ event, query }): Promise<HttpResult> => {
      const span = parseQuarter(query.quarter);
      const result = await readReturn(span, deps.store);
      const accept = (header(event, 'accept') ?? '').toLowerCase();
      if (accept.includes('application/json')) return json(200, result, { 'cache-control': 'no-store' });
      return csvDownload(`fly-tipping-${span.quarter}.csv`, returnCsv(result));
    },
  };
}
