import { UnsupportedMediaTypeError } from '#shared/errors';
import { httpApi, json, readBody, type HttpRequest } from '#shared/http';
import { signedIn } from '../cases/principal.ts';
import { actionsApi } from './capability.ts';
import { recordDeps } from './deps.ts';
import { recordAction } from './record-action.ts';

const record = async ({ event, principal, path }: HttpRequest) => {
  const body = readBody(event);
  if (body.kind !== 'json') throw new UnsupportedMediaTypeError('send the action as application/json: { "detailType": …, …fields }');
  return json(202, await recordAction({ body: body.value, caseId: path.caseId, principal: signedIn(principal) }, recordDeps));
};

export const handler = httpApi(actionsApi, {
  'POST /cases/{caseId}/actions': record,
  'POST /actions': record,
});
