import { categories, categoryLabels, type Category } from '#events/intake';
import { AppError } from '#shared/errors';
import { readBody, type HttpRequest, type HttpResult, type RouteHandler } from '#shared/http';
import { site } from '../../web/site.ts';
import { councilAreaFrom, outsideArea, type CouncilArea } from '../intake/area.ts';
import type { ReportInput } from '../intake/report-input.ts';
import { formatOf, respond, respondErrors, splitFormat, type Format, type Open311Error } from './format.ts';
import { MAX_RESULTS, monthsBetween, parseListingQuery, type RequestState, type RequestStatus } from './listing-query.ts';
import { parseRequestFields, type FieldError } from './request-input.ts';
import type { StoredRequest } from './requests-repository.ts';
import { serviceDefinition, services } from './services.ts';
import type { RouteKeysOf } from '#shared/wiring';
import type { open311Api } from './capability.ts';

/** A refusal in the spec's shape: the status and `[{ code, description }]`. */
export class Open311Failure extends Error {
  override name = 'Open311Failure';
  constructor(
    readonly status: 400 | 403 | 404,
    readonly errors: readonly Open311Error[],
  ) {
    super(errors.map((e) => e.description).join('; '));
  }
}

const fail = (status: 400 | 403 | 404, description: string) => new Open311Failure(status, [{ code: status, description }]);
const fieldFailure = (errors: readonly FieldError[]) =>
  new Open311Failure(400, errors.map((e) => ({ code: 400, description: `${e.field}: ${e.message}` })));

export interface Open311Deps {
  /** The client an API key belongs to; undefined when the key is unknown or revoked. */
  readonly authenticate: (apiKey: string | undefined) => Promise<string | undefined>;
  /** Publishes the report (contact details stored apart), calling `record` before it goes out. */
  readonly receive: (report: ReportInput, record: (reportId: string, reference: string) => Promise<void>) => Promise<{ reference: string }>;
  readonly saveRequest: (request: StoredRequest) => Promise<void>;
  readonly getRequests: (references: readonly string[]) => Promise<StoredRequest[]>;
  readonly queryRequests: (client: string, months: readonly string[], from: Date, to: Date, limit: number) => Promise<StoredRequest[]>;
  /** Each report's status, with a note and the time it last changed where known. */
  readonly statusOf: (reportIds: readonly string[]) => Promise<Map<string, RequestState>>;
  /** Every client, for the public listing (GeoReport v2 lets anyone read requests without a key). */
  readonly clients: () => Promise<string[]>;
  /** The council's area (intake/area.ts); read from the settings when absent. */
  readonly area?: () => CouncilArea;
  readonly now?: () => Date;
  readonly onError?: (error: unknown) => void;
}

export const AGENCY = 'Safer Communities team';
/** Our report references, which are the service_request_ids. */
const REFERENCE = /^[A-Z0-9-]{1,32}$/;

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? undefined : value);

/**
 * What anyone may read of a request, with or without a key: its id, service, status and its
 * note, the agency, and the dates. No description, place, photo or contact: those the client
 * that sent it reads with its key.
 */
function publicView(request: StoredRequest, state: RequestState) {
  return {
    service_request_id: request.reference,
    status: state.status,
    ...(state.notes ? { status_notes: state.notes } : {}),
    service_name: categoryLabels[request.serviceCode],
    service_code: request.serviceCode,
    agency_responsible: AGENCY,
    requested_datetime: request.requestedAt,
    updated_datetime: state.updatedAt ?? request.requestedAt,
  };
}

/** What the client that made the request reads with its key: the public view and what it sent. */
function view(request: StoredRequest, state: RequestState) {
  return {
    ...publicView(request, state),
    description: request.description,
    address: request.address,
    lat: request.lat,
    long: request.long,
    media_url: request.mediaUrl,
  };
}

/**
 * The Open311 GeoReport v2 routes. Paths carry the format (`services.json`), so each route
 * reads `{resource}` or `{file}` and answers, errors included, in the format asked for.
 * Services are open data; so are the public fields of requests (publicView). Sending a request
 * needs the client's api_key, and with its key a client reads its own requests in full.
 */
export function open311Routes(deps: Open311Deps): Record<RouteKeysOf<typeof open311Api>, RouteHandler> {
  const now = () => deps.now?.() ?? new Date();

  const clientFor = async (apiKey: string | undefined) => {
    if (!apiKey) throw fail(403, 'api_key is required: ask the council for a key');
    const client = await deps.authenticate(apiKey);
    if (!client) throw fail(403, 'api_key is not valid: it is unknown or has been revoked');
    return client;
  };
  /** A reader: the client a key names (a wrong key is refused), or the public without one. */
  const readerFor = async (apiKey: string | undefined) => (apiKey === undefined || apiKey === '' ? undefined : { client: await clientFor(apiKey) });

  const withStatus = async (requests: readonly StoredRequest[], full: boolean, statuses?: ReadonlySet<RequestStatus>) => {
    const state = await deps.statusOf(requests.map((r) => r.reportId));
    return requests
      .map((r) => (full ? view : publicView)(r, state.get(r.reportId) ?? { status: 'open' }))
      .filter((v) => !statuses || statuses.has(v.status));
  };

  const guarded =
    (param: 'resource' | 'file', run: (request: HttpRequest, format: Format, name: string) => Promise<HttpResult>): RouteHandler =>
    async (request) => {
      const asked = splitFormat(request.path[param]);
      const format = formatOf(request.path[param]);
      try {
        if (!asked) throw fail(404, 'not found: Open311 resources end in .json or .xml');
        return await run(request, asked.format, asked.name);
      } catch (error) {
        if (error instanceof Open311Failure) return respondErrors(format, error.status, error.errors);
        if (error instanceof AppError) return respondErrors(format, error.status, [{ code: error.status, description: error.message }]);
        deps.onError?.(error);
        return respondErrors(format, 500, [{ code: 500, description: 'something went wrong on our side; please try again later' }]);
      }
    };

  /**
   * With a key, a client reads its own requests in full; without one, anyone reads the public
   * fields of every request (GeoReport v2: FixMyStreet follows its requests this way).
   */
  const listRequests = async (request: HttpRequest, format: Format) => {
    const reader = await readerFor(request.query.api_key);
    const parsed = parseListingQuery(request.query, now());
    if (!parsed.ok) throw fieldFailure(parsed.errors);
    const q = parsed.value;
    if (q.kind === 'ids') {
      const found = (await deps.getRequests(q.ids)).filter((r) => !reader || r.client === reader.client);
      const order = new Map(q.ids.map((id, i) => [id, i]));
      found.sort((a, b) => (order.get(a.reference) ?? 0) - (order.get(b.reference) ?? 0));
      return respond(format, 200, 'service_requests', await withStatus(found, reader !== undefined));
    }
    // Filters apply after the read, so read more than one answer's worth.
    const clients = reader ? [reader.client] : await deps.clients();
    const read: StoredRequest[] = [];
    for (const client of clients) read.push(...(await deps.queryRequests(client, monthsBetween(q.from, q.to), q.from, q.to, MAX_RESULTS * 5)));
    read.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
    const matching = read.filter((r) => !q.serviceCodes || q.serviceCodes.has(r.serviceCode)).slice(0, MAX_RESULTS * 5);
    return respond(format, 200, 'service_requests', (await withStatus(matching, reader !== undefined, q.statuses)).slice(0, MAX_RESULTS));
  };

  const submit = async (request: HttpRequest, format: Format) => {
    const body = readBody(request.event);
    if (body.kind !== 'form') throw fail(400, 'send the request form-encoded (application/x-www-form-urlencoded), as GeoReport v2 says');
    const fields = body.value as Record<string, string | string[]>;
    const client = await clientFor(single(fields.api_key));
    const parsed = parseRequestFields(fields, now());
    if (!parsed.ok) throw fieldFailure(parsed.errors);
    const { report, mediaUrl } = parsed.value;
    const away = outsideArea(report.location, (deps.area ?? (() => councilAreaFrom()))(), site.councilName);
    if (away.length) throw fieldFailure(away.map((d) => ({ field: d.path === 'location.lat' ? 'lat' : d.path, message: d.message })));
    const requestedAt = now().toISOString();
    const { reference } = await deps.receive(report, (reportId, ref) =>
      deps.saveRequest({
        reference: ref,
        reportId,
        client,
        serviceCode: report.category,
        description: report.description,
        requestedAt,
        ...(report.location.text ? { address: report.location.text } : {}),
        ...(report.location.lat !== undefined && report.location.lng !== undefined ? { lat: report.location.lat, long: report.location.lng } : {}),
        ...(mediaUrl ? { mediaUrl } : {}),
      }),
    );
    return respond(format, 201, 'service_requests', [
      { service_request_id: reference, service_notice: `Thank you. Quote ${reference} if you contact the council about this report.` },
    ]);
  };

  return {
    'GET /open311/v2/{resource}': guarded('resource', async (request, format, name) => {
      if (name === 'services') return respond(format, 200, 'services', services);
      if (name === 'requests') return listRequests(request, format);
      throw fail(404, 'not found: the resources here are services and requests');
    }),
    'POST /open311/v2/{resource}': guarded('resource', async (request, format, name) => {
      if (name !== 'requests') throw fail(404, 'not found: POST service requests to requests.json or requests.xml');
      return submit(request, format);
    }),
    'GET /open311/v2/services/{file}': guarded('file', async (_request, format, code) => {
      if (!(categories as readonly string[]).includes(code)) throw fail(404, 'there is no service with that service_code: see services.json');
      return respond(format, 200, 'service_definition', serviceDefinition(code as Category));
    }),
    'GET /open311/v2/requests/{file}': guarded('file', async (request, format, id) => {
      const reader = await readerFor(request.query.api_key);
      const wanted = id.toUpperCase();
      const [found] = REFERENCE.test(wanted) ? (await deps.getRequests([wanted])).filter((r) => !reader || r.client === reader.client) : [];
      if (!found) throw fail(404, reader ? 'there is no service request with that id for this api_key' : 'there is no service request with that id');
      return respond(format, 200, 'service_requests', await withStatus([found], reader !== undefined));
    }),
  };
}
