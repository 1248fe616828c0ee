import type { HttpResult } from '#shared/http';
import { toXml, type XmlValue } from './xml.ts';

/** Open311 names every resource with its format: `services.json`, `requests/SC-1234-ABCD.xml`. */
export type Format = 'json' | 'xml';

export function splitFormat(file: string | undefined): { name: string; format: Format } | undefined {
  const match = /^(.+)\.(json|xml)$/i.exec(file ?? '');
  if (!match?.[1] || !match[2]) return undefined;
  return { name: match[1], format: match[2].toLowerCase() as Format };
}

/** The format to answer an error in: the one the caller asked for, else JSON. */
export const formatOf = (file: string | undefined): Format => splitFormat(file)?.format ?? 'json';

/** Repeated elements of each Open311 list. */
const itemNames = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  errors: 'error',
} as const;

export type ListName = keyof typeof itemNames;

/**
 * One Open311 answer: JSON is the value itself; XML wraps it in the spec's root element
 * (`<services>`, `<service_requests>`, `<service_definition>`, …).
 */
export function respond(format: Format, statusCode: number, root: string, value: XmlValue): HttpResult {
  return format === 'json'
    ? { statusCode, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) }
    : { statusCode, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: toXml(root, value, itemNames) };
}

export interface Open311Error {
  readonly code: number;
  readonly description: string;
}

/** The spec's error list: `[{ code, description }]`, or `<errors><error>…` in XML. */
export const respondErrors = (format: Format, statusCode: number, errors: readonly Open311Error[]): HttpResult =>
  respond(format, statusCode, 'errors', errors.map((e) => ({ code: e.code, description: e.description })));
