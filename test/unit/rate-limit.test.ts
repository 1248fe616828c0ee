import { describe, expect, it } from 'vitest';
import { rateLimitOf } from '#shared/rate-limit';

describe('unit: public rate limits from settings', () => {
  it('reads each route\'s own setting as requests/seconds', () => {
    const env = { SC_REPORT_RATE_LIMIT: '50/60', SC_CASE_REVIEW_RATE_LIMIT: '2/86400' };
    expect(rateLimitOf('reports', env)).toEqual({ limit: 50, windowSeconds: 60 });
    expect(rateLimitOf('case-reviews', env)).toEqual({ limit: 2, windowSeconds: 86400 });
  });

  it.each([undefined, '', 'twenty', '20', '0/3600', '20/0', '-1/60'])('falls back to the default when the setting is %s', (value) => {
    const env = { SC_REPORT_RATE_LIMIT: value, SC_CASE_REVIEW_RATE_LIMIT: value };
    expect(rateLimitOf('reports', env)).toEqual({ limit: 20, windowSeconds: 3600 });
    expect(rateLimitOf('case-reviews', env)).toEqual({ limit: 5, windowSeconds: 3600 });
  });
});
