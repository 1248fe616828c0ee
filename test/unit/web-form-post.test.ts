import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/errors';
import type { HttpRequest } from '#shared/http';
import { checkFormOrigin, handleForm, readForm } from '../../web/form-post.ts';

const event = (headers: Record<string, string>, body = '', isBase64Encoded = false) =>
  ({ headers: { host: 'council.example', ...headers }, body, isBase64Encoded, requestContext: { domainName: 'abc.execute-api.eu-west-2.amazonaws.com' } }) as unknown as APIGatewayProxyEventV2;

describe('unit: form posts (web/form-post.ts)', () => {
  it('lets a form from this site through and refuses one from another site', () => {
    expect(() => checkFormOrigin(event({}))).not.toThrow();
    expect(() => checkFormOrigin(event({ 'sec-fetch-site': 'same-origin', origin: 'null' }))).not.toThrow();
    expect(() => checkFormOrigin(event({ origin: 'https://council.example' }))).not.toThrow();
    expect(() => checkFormOrigin(event({ origin: 'https://abc.execute-api.eu-west-2.amazonaws.com' }))).not.toThrow();
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }, { origin: 'not a url' }] as Record<string, string>[]) {
      expect(() => checkFormOrigin(event(headers)), JSON.stringify(headers)).toThrow(expect.objectContaining({ status: 403 }));
    }
  });

  it('reads URL-encoded fields and multipart fields with a file', async () => {
    expect(await readForm(event({ 'content-type': 'application/x-www-form-urlencoded' }, 'amount=%C2%A31%2C234.56&project=A+%26+B'))).toEqual({ fields: { amount: '£1,234.56', project: 'A & B' }, files: {} });
    const data = new FormData();
    data.append('note', 'hello');
    data.append('file', new Blob(['type,stream\n'], { type: 'text/csv' }), 'f.csv');
    const request = new Request('http://x/', { method: 'POST', body: data });
    const body = Buffer.from(await request.arrayBuffer()).toString('base64');
    const form = await readForm(event({ 'content-type': request.headers.get('content-type') ?? '' }, body, true));
    expect(form).toEqual({ fields: { note: 'hello' }, files: { file: { name: 'f.csv', type: 'text/csv', size: 12, text: 'type,stream\n' } } });
    await expect(readForm(event({ 'content-type': 'application/json' }, '{}'))).rejects.toMatchObject({ status: 415 });
  });

  it('answers bad input with the page again (422) and the errors placed on their fields', async () => {
    const request = { event: event({ 'content-type': 'application/x-www-form-urlencoded' }, 'amount=x'), principal: undefined, path: {}, query: {} } as HttpRequest;
    const result = await handleForm(request, {
      fieldIds: { project: 'project', amount: 'amount' },
      aliases: { amountPence: 'amount' },
      act: async () => {
        throw new ValidationError('no', [{ path: 'amountPence', message: 'give the amount' }, { path: 'project', message: 'give the project' }]);
      },
      redisplay: async ({ fields }, errors) => ({ statusCode: 200, body: JSON.stringify({ fields, errors }) }),
    });
    expect(result.statusCode).toBe(422);
    expect(JSON.parse(String(result.body))).toEqual({
      fields: { amount: 'x' },
      errors: {
        summary: [
          { text: 'Give the project', href: '#project' },
          { text: 'Give the amount', href: '#amount' },
        ],
        fields: { amount: { text: 'Give the amount' }, project: { text: 'Give the project' } },
      },
    });
  });
});
