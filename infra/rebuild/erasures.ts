/**
 * Erasures made again on the rebuilt tables. An erasure (functions/privacy) blanks a person's
 * words in the live read models, but the archive keeps the whole free text under `public-text/`
 * for two years (Object Lock), so a rebuild from it brings those words back into the reports and
 * Case Review applications it makes. Before the rebuilt tables are compared or swapped in, every
 * erasure the live access record holds is carried out again on them: the same plan the privacy
 * function made, read from the rebuilt table (its reporter index and reports, as the rebuild made
 * them), so an erased person stays erased and the compare finds the two sides alike.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { buildAccessRecord } from '../../functions/privacy/access-record.ts';
import { applyErasure, planErasure, tally } from '../../functions/privacy/erasure.ts';
import { buildReadHoldings } from '../../functions/privacy/holdings.ts';

export interface ErasuresApplied {
  /** The people (contactRefs) the live access record says were erased. */
  readonly people: number;
  /** What was deleted or blanked in the rebuilt table, by kind (report, case-review, reporter-index, …). */
  readonly changed: Readonly<Record<string, number>>;
}

/** Carries out on `rebuilt` every erasure recorded in `live`'s access record. Safe to run again (each step is). */
export async function reapplyErasures(documents: DynamoDBDocumentClient, tables: { live: string; rebuilt: string }): Promise<ErasuresApplied> {
  const access = buildAccessRecord(documents, tables.live);
  const refs = new Set((await access.all({})).flatMap((e) => (e.action === 'erasure' && e.contactRef ? [e.contactRef] : [])));
  const readRebuilt = buildReadHoldings(documents, tables.rebuilt, access);
  const changed: Record<string, number> = {};
  for (const contactRef of refs) {
    const steps = planErasure(await readRebuilt({ contactRef }));
    await applyErasure(documents, tables.rebuilt, steps);
    for (const [what, n] of Object.entries(tally(steps))) changed[what] = (changed[what] ?? 0) + n;
  }
  return { people: refs.size, changed };
}
