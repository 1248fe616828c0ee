/**
 * The HousingStock function's handler, given its stores (housing-stock-api.ts gives the real
 * ones; tests give memory ones): `POST /housing-stock` and `GET /housing-stock` for scripts,
 * and the staff page with its form, which records what the JSON route would.
 */
import { HousingStockRecorded } from '#events/tenancy';
import type { DetailInput } from '#events/contract';
import { header, httpApi, json, readBody, redirect, type HttpApiOptions, type HttpRequest } from '#shared/http';
import { dateText, londonDateTimeText } from '#shared/london-time';
import { waitUntil } from '#shared/wait-until';
import { errorPageFor } from '../../web/error-page.ts';
import { formToken, handleForm, type FormFields } from '../../web/form-post.ts';
import { noErrors, type FormErrors } from '../../web/forms.ts';
import { page } from '../../web/render.ts';
import { housingStock } from './capability.ts';
import { dashboardService } from './dashboard.ts';
import { listPageSize } from './export-list.ts';
import { stockText } from './figures.ts';
import { housingStockFieldIds, recordHousingStock, type StockClaims } from './housing-stock.ts';
import type { StockFigures, StoredStock } from './housing-stock-store.ts';

export interface HousingStockDeps {
  readonly claims: StockClaims;
  readonly figures: StockFigures;
  readonly publish: (detail: DetailInput<typeof HousingStockRecorded>) => Promise<void>;
  readonly councilId: string;
  readonly now?: () => Date;
  /** How long the form waits for the KPI counters to keep the count before showing the list (ms). */
  readonly showWithinMs?: number;
}

export const stockPagePath = '/officer/kpis/housing-stock';

const rowOf = (s: StoredStock) => [{ text: dateText(s.asOf) }, { text: s.homes.toLocaleString('en-GB'), format: 'numeric' }, { text: londonDateTimeText(s.recordedAt) }];

/** The banner after a count was sent: what is kept for its date now, or that it is on its way. */
function recordedBanner(kept: StoredStock | undefined, eventId: string | undefined) {
  if (eventId === undefined) return undefined;
  if (kept?.eventId === eventId) {
    return { heading: `${stockText(kept)} recorded`, text: `NM01 now uses it for every period that ends on or after ${dateText(kept.asOf)}, until a later count.` };
  }
  return { heading: 'Count of homes sent', text: 'It is not in the list yet: reload this page in a moment to see it.' };
}

export function housingStockHandler(deps: HousingStockDeps, options: Omit<HttpApiOptions, 'errorPage'> = {}) {
  const now = deps.now ?? (() => new Date());
  const errorPage = errorPageFor({ service: dashboardService, links: [{ href: stockPagePath, text: 'Record the number of homes' }, { href: '/officer/kpis', text: 'See the KPIs' }] });

  const record = (request: HttpRequest, body: unknown, idempotencyKey: string | undefined) =>
    recordHousingStock(
      { body, principal: request.principal, idempotencyKey },
      { claims: deps.claims, publish: deps.publish, councilId: deps.councilId, now: now() },
    );

  const stockPage = async (request: HttpRequest, values: FormFields, errors: FormErrors, status?: number) => {
    const cursor = request.query.cursor;
    const listed = await deps.figures.list({ limit: listPageSize(request.query.limit), ...(cursor ? { cursor } : {}) });
    const recordedId = request.query.recorded;
    const recordedAsOf = request.query.asOf;
    const kept = recordedId && recordedAsOf && /^\d{4}-\d{2}-\d{2}$/.test(recordedAsOf) ? await deps.figures.at(recordedAsOf) : undefined;
    return page(
      'kpis/housing-stock.njk',
      {
        service: dashboardService,
        values,
        errors,
        formToken: values.formToken || formToken(),
        rows: listed.figures.map(rowOf),
        recorded: recordedBanner(kept, recordedId),
        firstPage: !cursor,
        ...(listed.next ? { olderHref: `${stockPagePath}?cursor=${encodeURIComponent(listed.next)}#counts` } : {}),
      },
      status ? { status } : {},
    );
  };

  return httpApi(
    housingStock,
    {
      'POST /housing-stock': async (request) => {
        const recorded = await record(request, readBody(request.event).value, header(request.event, 'idempotency-key'));
        const { alreadyRecorded, ...answer } = recorded;
        return alreadyRecorded ? json(200, { ...answer, alreadyRecorded: true }) : json(201, answer);
      },
      'GET /housing-stock': async ({ query }) =>
        json(200, await deps.figures.list({ limit: listPageSize(query.limit), ...(query.cursor ? { cursor: query.cursor } : {}) }), { 'cache-control': 'no-store' }),
      'GET /officer/kpis/housing-stock': (request) => stockPage(request, {}, noErrors),
      'POST /officer/kpis/housing-stock': (request) =>
        handleForm(request, {
          fieldIds: housingStockFieldIds,
          fallback: 'homes',
          redisplay: ({ fields }, errors) => stockPage(request, fields, errors, 422),
          act: async ({ fields }) => {
            const token = (fields.formToken ?? '').trim();
            const recorded = await record(request, fields, token || undefined);
            // The KPI counters keep the count asynchronously: wait a little, so the list shows it.
            await waitUntil(async () => (await deps.figures.at(recorded.asOf))?.eventId === recorded.eventId, deps.showWithinMs);
            return redirect(`${stockPagePath}?recorded=${encodeURIComponent(recorded.eventId)}&asOf=${recorded.asOf}`);
          },
        }),
    },
    { ...options, errorPage },
  );
}
