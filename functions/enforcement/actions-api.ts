import { randomUUID } from 'node:crypto';
import { UnsupportedMediaTypeError } from '#shared/errors';
import { httpApi, json, readBody, type HttpRequest } from '#shared/http';
import { caseWithTimeline, publish } from '../cases/deps.ts';
import { signedIn } from '../cases/principal.ts';
import { recordAction, type RecordDeps } from './record-action.ts';
import { actionsApi } from './capability.ts';

const deps: RecordDeps = { loadCase: caseWithTimeline, publish, newId: randomUUID };

const record = async ({ event, principal, path }: HttpRequest) => {
  const body = readBody(event);
  if (body.kind !== 'json') throw new UnsupportedMediaTypeError('send the action as application/json: { "detailType": …, …fields }');
  return json(202, await recordAction({ body: body.value, caseId: path.caseId, principal: signedIn(principal) }, deps));
};

export const handler = httpApi(actionsApi, {
  'POST /cases/{caseId}/actions': record,
  'POST /actions': record,
});
