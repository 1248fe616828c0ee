import { categories, categoryLabels, type Category } from '#events/intake';

/** Open311 services are our report categories (contract.md), grouped as on the web form. */
const groups: Record<string, string> = {
  asb: 'Anti-social behaviour',
  enviro: 'Environmental crime',
  retail: 'Retail crime',
  other: 'Other',
};

export const groupOf = (code: Category) => groups[code.split('.')[0] ?? ''] ?? 'Other';

export type Service = {
  readonly service_code: Category;
  readonly service_name: string;
  readonly description: string;
  readonly metadata: boolean;
  readonly type: 'realtime';
  readonly keywords: string;
  readonly group: string;
};

export const services: readonly Service[] = categories.map((code) => ({
  service_code: code,
  service_name: categoryLabels[code],
  description: `${categoryLabels[code]}: report it to the council's Safer Communities team (${groupOf(code).toLowerCase()})`,
  // Every service has attributes (the hate question, when it happened): see services/{code}.
  metadata: true,
  type: 'realtime',
  keywords: [code.split('.')[0], ...(code.split('.')[1]?.split('-') ?? [])].join(', '),
  group: groupOf(code),
}));

/** Attribute codes a POST may send as `attribute[<code>]`. */
export const HATE_ATTRIBUTE = 'hate_motivated';
export const OCCURRED_AT_ATTRIBUTE = 'occurred_at';

const attributes = [
  {
    variable: true,
    code: HATE_ATTRIBUTE,
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: 'yes or no; no if not given',
    order: 1,
    description:
      'Do you think this was motivated by hostility or prejudice based on disability, race, religion, sexual orientation or transgender identity?',
    values: [
      { key: 'yes', name: 'Yes' },
      { key: 'no', name: 'No' },
    ],
  },
  {
    variable: true,
    code: OCCURRED_AT_ATTRIBUTE,
    datatype: 'datetime',
    required: false,
    datatype_description: 'ISO 8601 date-time with an offset, like 2024-05-14T21:30:00+01:00; the time of the request if not given',
    order: 2,
    description: 'When did it happen?',
    values: [],
  },
] as const;

export function serviceDefinition(code: Category) {
  return { service_code: code, attributes };
}
