/**
 * Every capability, registered by one line each. infra/topology.ts builds the CDK stacks and
 * the local runtime from this list; the OpenAPI document lists its routes.
 */
import type { Capability } from '#shared/wiring';
import { web } from '../web/capability.ts';
import { archive } from './archive/capability.ts';
import { caseReviews } from './case-reviews/capability.ts';
import { cases } from './cases/capability.ts';
import { disc } from './disc/capability.ts';
import { enforcement } from './enforcement/capability.ts';
import { flyTipping } from './fly-tipping/capability.ts';
import { funding } from './funding/capability.ts';
import { health } from './health/capability.ts';
import { intake } from './intake/capability.ts';
import { kpis } from './kpis/capability.ts';
import { officerHomeCapability } from './officer-home/capability.ts';
import { open311 } from './open311/capability.ts';
import { privacy } from './privacy/capability.ts';
import { openapi } from './openapi/capability.ts';
import { staffSignIn } from './sign-in/capability.ts';
import { status } from './status/capability.ts';

export const capabilities: readonly Capability[] = [intake, web, archive, health, funding, disc, open311, cases, enforcement, kpis, flyTipping, caseReviews, status, officerHomeCapability, privacy, openapi, staffSignIn];
