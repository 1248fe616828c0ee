/**
 * The one list of functions. The CDK stack (infra/cdk) and the local runtime (infra/local)
 * are both generated from it: adding a function is an entry in its capability's file under
 * infra/topology/ plus its handler.
 */
import { archiveFunctions } from './topology/archive.ts';
import { casesFunctions } from './topology/cases.ts';
import { discFunctions } from './topology/disc.ts';
import { fundingFunctions } from './topology/funding.ts';
import { intakeFunctions } from './topology/intake.ts';
import { open311Functions } from './topology/open311.ts';
import { openApiFunctions } from './topology/openapi.ts';
import type { FunctionSpec } from './topology/types.ts';

export * from './topology/types.ts';

export const topology: readonly FunctionSpec[] = [...intakeFunctions, ...archiveFunctions, ...fundingFunctions, ...discFunctions, ...open311Functions, ...casesFunctions, ...openApiFunctions];
