import { randomUUID } from 'node:crypto';
import { caseWithTimeline, publish } from '../cases/deps.ts';
import type { RecordDeps } from './record-action.ts';

/** Recording an action: the case as the rules read it, the bus, new event ids. */
export const recordDeps: RecordDeps = { loadCase: caseWithTimeline, publish, newId: randomUUID };
