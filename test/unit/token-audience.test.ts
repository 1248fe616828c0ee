import { describe, expect, it } from 'vitest';
import { audienceAccepted } from '#shared/token';

describe('unit: a bearer token\'s audience, judged as API Gateway\'s JWT authorizer does', () => {
  const accepted = ['client-1', 'reports-cli'];

  it('takes a token whose aud names an accepted audience, as a string or in a list', () => {
    expect(audienceAccepted({ aud: 'client-1' }, accepted)).toBe(true);
    expect(audienceAccepted({ aud: ['other', 'reports-cli'] }, accepted)).toBe(true);
  });

  it('refuses a token whose aud names none, whatever its client_id says', () => {
    expect(audienceAccepted({ aud: 'other' }, accepted)).toBe(false);
    expect(audienceAccepted({ aud: [] }, accepted)).toBe(false);
    expect(audienceAccepted({ aud: 'other', client_id: 'client-1' }, accepted)).toBe(false);
  });

  it('judges a token without aud (a Cognito access token) by its client_id', () => {
    expect(audienceAccepted({ client_id: 'client-1' }, accepted)).toBe(true);
    expect(audienceAccepted({ client_id: 'other' }, accepted)).toBe(false);
    expect(audienceAccepted({}, accepted)).toBe(false);
  });
});
