import * as z from 'zod';
import { envelopeShape } from './envelope.ts';

/** An EventBridge pattern (the subset of the pattern language we generate). */
export type EventPattern = Record<string, unknown>;

export interface EventContract<
  Source extends string = string,
  DetailType extends string = string,
  Detail extends z.ZodType = z.ZodType,
> {
  readonly source: Source;
  readonly detailType: DetailType;
  readonly version: number;
  /** The whole `detail`: envelope fields plus the event's own. */
  readonly detail: Detail;
  /** The EventBridge pattern that matches exactly this contract. */
  readonly pattern: { source: [Source]; 'detail-type': [DetailType] };
}

export type DetailOf<C extends EventContract> = z.infer<C['detail']>;
/** What a producer supplies: the detail without the fields the put helper fills in. */
export type DetailInput<C extends EventContract> = Omit<DetailOf<C>, 'schemaVersion'> & { schemaVersion?: number };

export function defineEvent<Source extends string, DetailType extends string, Shape extends z.ZodRawShape>(def: {
  source: Source;
  detailType: DetailType;
  version?: number;
  /** The event's own fields, as a function: its zod schemas are built on the first use of `detail`. */
  fields: () => Shape;
  /** Cross-field rules (e.g. "complyBy is required for a CPW"). */
  refine?: (detail: z.infer<z.ZodObject<typeof envelopeShape & Shape>>, ctx: z.RefinementCtx) => void;
}) {
  const build = () => {
    const base = z.object({ ...envelopeShape, ...def.fields() });
    return def.refine ? base.superRefine(def.refine as never) : base;
  };
  let detail: ReturnType<typeof build> | undefined;
  return {
    source: def.source,
    detailType: def.detailType,
    version: def.version ?? 1,
    /**
     * Built on first use, not at module load: a function carries every contract of its
     * capability (and those it emits) but parses few of them, and zod schemas cost CPU to
     * build (docs/benchmarks.md, "What runs at module load").
     */
    get detail() {
      return (detail ??= build());
    },
    pattern: { source: [def.source] as [Source], 'detail-type': [def.detailType] as [DetailType] },
  } as const satisfies EventContract<Source, DetailType>;
}

/** One pattern matching any of the given contracts. */
export function patternFor(contracts: readonly EventContract[]): EventPattern {
  const sources = [...new Set(contracts.map((c) => c.source))];
  if (sources.length === 1) {
    return { source: sources, 'detail-type': [...new Set(contracts.map((c) => c.detailType))] };
  }
  return { $or: sources.map((s) => ({ source: [s], 'detail-type': contracts.filter((c) => c.source === s).map((c) => c.detailType) })) };
}
