/**
 * The one list of functions, assembled from the capabilities' own declarations
 * (functions/capabilities.ts). The CDK stacks (infra/cdk) and the local runtime (infra/local)
 * are both generated from it.
 */
import { capabilities } from '../functions/capabilities.ts';
import { specOf, type FunctionSpec } from './topology/types.ts';

export * from './topology/types.ts';

export const topology: readonly FunctionSpec[] = capabilities.flatMap((c) => c.functions.map((fn) => specOf(c.name, fn)));
