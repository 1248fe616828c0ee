import { describe, expect, it } from 'vitest';
import { checkPhoto } from '../../functions/intake/photo-check.ts';
import { heifBoxes, JPEG, PNG } from '../support/fixtures/images.ts';

const HTML = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');
const refused = (bytes: Buffer) => {
  const result = checkPhoto(bytes);
  expect(result.ok, bytes.subarray(0, 16).toString('hex')).toBe(false);
  return result.ok ? '' : result.message;
};

describe('unit: a photo is checked by its whole structure, not its first bytes', () => {
  it('accepts a real JPEG, PNG and HEIF, with their sizes', () => {
    expect(checkPhoto(JPEG)).toMatchObject({ ok: true, type: { contentType: 'image/jpeg' }, width: 16, height: 16 });
    expect(checkPhoto(PNG)).toMatchObject({ ok: true, type: { contentType: 'image/png' }, width: 16, height: 16 });
    expect(checkPhoto(heifBoxes())).toMatchObject({ ok: true, type: { contentType: 'image/heic' }, width: 16, height: 16 });
  });

  it('refuses a JPEG header followed by HTML', () => {
    expect(refused(Buffer.concat([JPEG.subarray(0, 3), HTML]))).toMatch(/JPG, PNG or HEIC/);
    expect(refused(Buffer.concat([JPEG.subarray(0, 20), HTML]))).toMatch(/JPG, PNG or HEIC/);
    // Every header segment intact, then HTML where the image data and its end should be.
    expect(refused(Buffer.concat([JPEG.subarray(0, 300), HTML]))).toMatch(/JPG, PNG or HEIC/);
  });

  it('refuses a whole JPEG with HTML after its end, and one cut short', () => {
    refused(Buffer.concat([JPEG, HTML]));
    refused(JPEG.subarray(0, JPEG.length - 2));
  });

  it('accepts a JPEG followed by another JPEG (phones store a preview that way)', () => {
    expect(checkPhoto(Buffer.concat([JPEG, JPEG])).ok).toBe(true);
  });

  it('refuses a PNG header followed by HTML, a PNG with a damaged chunk, and a PNG with HTML after its end', () => {
    refused(Buffer.concat([PNG.subarray(0, 8), HTML]));
    refused(Buffer.concat([PNG.subarray(0, 40), HTML]));
    const damaged = Buffer.from(PNG);
    damaged[40] = (damaged[40] ?? 0) ^ 0xff;
    refused(damaged);
    refused(Buffer.concat([PNG, HTML]));
  });

  it('refuses a HEIF header followed by HTML, and HEIF boxes with HTML after them', () => {
    refused(Buffer.concat([heifBoxes().subarray(0, 24), HTML]));
    refused(heifBoxes('heic', HTML));
    refused(heifBoxes('avif'));
  });

  it('refuses HTML, an empty file and random bytes', () => {
    refused(HTML);
    refused(Buffer.alloc(0));
    refused(Buffer.from(Array.from({ length: 500 }, (_, i) => (i * 37) % 256)));
  });
});
