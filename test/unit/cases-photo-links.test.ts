import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NotFoundError } from '#shared/errors';
import { s3Origin } from '#shared/s3-origin';
import { buildPresignGet } from '#shared/s3-presign';
import type { Photo } from '../../functions/intake/photo-records.ts';
import { buildPhotoLinks, imageSourcesFor, photoPath } from '../../functions/cases/photo-links.ts';
import { buildPhotoRedirect, PHOTO_LINK_SECONDS, presignedGet } from '../../functions/cases/photo-redirect.ts';

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const photo = (reportId: string, n: number): Photo => ({ n, key: `photos/${reportId}/${n}.jpg`, contentType: 'image/jpeg', bytes: 1000, addedAt: '2026-12-01T10:00:00Z' });
/** The photo records as intake keeps them: report r1 has photos 1 and 3 (2 was refused), r2 none. */
const records = new Map<string, Photo[]>([['r1', [photo('r1', 1), photo('r1', 3)]], ['r2', []]]);
const getPhotos = async (reportId: string) => records.get(reportId) ?? [];

describe('unit: photo links on the officer pages (functions/cases/photo-links.ts)', () => {
  it('links each photo a report has to OfficerPhotos, with its number and what it shows', async () => {
    const links = await buildPhotoLinks({ getPhotos }).forReports([{ reportId: 'r1', reference: 'SC-1234' }, { reportId: 'r2' }]);
    expect(links.get('r1')).toEqual([
      { n: 1, href: '/officer/photos/r1/1', alt: 'Photo 1 sent with report SC-1234' },
      { n: 3, href: '/officer/photos/r1/3', alt: 'Photo 3 sent with report SC-1234' },
    ]);
    expect(links.get('r2')).toEqual([]);
  });

  it('puts the report id in the path as one segment, whatever it holds', () => {
    expect(photoPath('a/b?c', 2)).toBe('/officer/photos/a%2Fb%3Fc/2');
  });

  it('asks the page to allow images from the bucket only when it shows a photo', () => {
    const bucket = () => 'https://s3.eu-west-2.amazonaws.com';
    expect(imageSourcesFor([[], []], bucket)).toEqual([]);
    expect(imageSourcesFor([[], [{ n: 1, href: photoPath('r1', 1), alt: '' }]], bucket)).toEqual(['https://s3.eu-west-2.amazonaws.com']);
  });
});

describe('unit: the photo redirect (functions/cases/photo-redirect.ts)', () => {
  const signing = new DynamoDBClient({ region: 'eu-west-2', credentials }).config;
  const redirect = buildPhotoRedirect({ getPhotos, sign: presignedGet(buildPresignGet(signing, () => s3Origin({ AWS_REGION: 'eu-west-2' })), 'sc-intake') });
  afterEach(() => vi.useRealTimers());

  it('answers 302 to a presigned GET of that photo, working five minutes, never cached', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-02T09:00:00Z'), toFake: ['Date'] });
    const answer = await redirect('r1', '3');
    expect(answer.statusCode).toBe(302);
    expect(answer.headers?.['cache-control']).toBe('no-store');
    const location = new URL(String(answer.headers?.location));
    expect(location.origin).toBe('https://s3.eu-west-2.amazonaws.com');
    expect(location.pathname).toBe('/sc-intake/photos/r1/3.jpg');
    expect(PHOTO_LINK_SECONDS).toBe(300);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(location.searchParams.get('X-Amz-Date')).toBe('20261202T090000Z');
    expect(location.searchParams.get('X-Amz-Credential')).toBe(`${credentials.accessKeyId}/20261202/eu-west-2/s3/aws4_request`);
    expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['a photo the report does not have', 'r1', '2'],
    ['a report without photos', 'r2', '1'],
    ['a report there is not', 'nobody', '1'],
    ['a number past the most a report can have', 'r1', '4'],
    ['photo 0', 'r1', '0'],
    ['a number written another way', 'r1', '01'],
    ['a number with a fraction', 'r1', '1.0'],
    ['not a number', 'r1', 'first'],
    ['an empty report id', '', '1'],
  ])('answers "not found" for %s, signing nothing', async (_, reportId, n) => {
    const signed: string[] = [];
    const guarded = buildPhotoRedirect({ getPhotos, sign: async (key) => (signed.push(key), `https://example.invalid/${key}`) });
    const refused = await guarded(reportId, n).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotFoundError);
    expect((refused as NotFoundError).message).toContain(`has no photo ${n}`);
    expect(signed).toEqual([]);
  });

});
