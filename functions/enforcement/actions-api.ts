import { randomUUID } from 'node:crypto';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { UnsupportedMediaTypeError } from '#shared/errors';
import { httpApi, json, readBody, type HttpRequest } from '#shared/http';
import { events } from '#shared/publisher';
import { londonDateOf } from '#shared/london-time';
import { caseViewOf } from '../cases/case-model.ts';
import { buildLoadCase } from '../cases/case-repository.ts';
import { signedIn } from '../cases/principal.ts';
import { recordAction, type RecordDeps } from './record-action.ts';
import { actionsApi } from './capability.ts';

const loadCase = buildLoadCase(documents, setting('table'));

const deps: RecordDeps = {
  loadCase: async (caseId) => {
    const stored = await loadCase(caseId);
    return { view: caseViewOf(stored.summary, londonDateOf(new Date())), timeline: stored.timeline };
  },
  publish: async (entry) => void (await events().publish([entry])),
  newId: randomUUID,
};

const record = async ({ event, principal, path }: HttpRequest) => {
  const body = readBody(event);
  if (body.kind !== 'json') throw new UnsupportedMediaTypeError('send the action as application/json: { "detailType": …, …fields }');
  return json(202, await recordAction({ body: body.value, caseId: path.caseId, principal: signedIn(principal) }, deps));
};

export const handler = httpApi(actionsApi, {
  'POST /cases/{caseId}/actions': record,
  'POST /actions': record,
});
