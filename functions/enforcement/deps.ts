import { randomUUID } from 'node:crypto';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { caseWithTimeline, publish } from '../cases/deps.ts';
import type { RecordDeps } from './record-action.ts';
import { buildSubjectActions } from './subject-index.ts';

/** Recording an action: the case as the rules read it, the subject's actions across cases, the bus, new event ids. */
export const recordDeps: RecordDeps = {
  loadCase: caseWithTimeline,
  subjectActions: buildSubjectActions(documents, setting('table')),
  publish,
  newId: randomUUID,
};
