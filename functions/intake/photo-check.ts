/**
 * Is an upload really a photo? The first bytes say which format it claims; the whole file must
 * then have that format's structure from its first byte to its last, and `image-size` must
 * read its dimensions. A JPEG header followed by HTML, a PNG with a damaged chunk or anything
 * after an image's end is refused: a file a browser could be talked into reading as a page is
 * never kept as a photo. Pure JavaScript, no native decoder.
 */
import { imageSize } from 'image-size';

export type PhotoType = { contentType: 'image/jpeg' | 'image/png' | 'image/heic'; extension: 'jpg' | 'png' | 'heic'; label: string };

export type PhotoCheckResult = { ok: true; type: PhotoType; width: number; height: number } | { ok: false; message: string };

const NOT_A_PHOTO = 'the selected file must be a JPG, PNG or HEIC';
/** The largest photo we keep: 100 megapixels, far above any phone's. */
const MAX_PIXELS = 100_000_000;

const JPEG: PhotoType = { contentType: 'image/jpeg', extension: 'jpg', label: 'JPG' };
const PNG: PhotoType = { contentType: 'image/png', extension: 'png', label: 'PNG' };
const HEIC: PhotoType = { contentType: 'image/heic', extension: 'heic', label: 'HEIC' };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/** The format a file claims by its first bytes (what the check then holds it to). */
export function sniffPhoto(bytes: Uint8Array): PhotoType | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return JPEG;
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return PNG;
  if (b.length >= 12 && b.toString('latin1', 4, 8) === 'ftyp' && HEIF_BRANDS.has(b.toString('latin1', 8, 12))) return HEIC;
  return undefined;
}

/**
 * One JPEG from SOI to EOI: marker segments with lengths that fit, a frame header (SOF) and a
 * scan (SOS) before the end, entropy-coded data holding only stuffed bytes, restart markers or
 * further segments (progressive scans). Answers where the image ends, or undefined.
 */
function jpegEnd(b: Buffer, start: number): number | undefined {
  if (b[start] !== 0xff || b[start + 1] !== 0xd8) return undefined;
  let i = start + 2;
  let frame = false;
  let scan = false;
  while (i + 1 < b.length) {
    if (b[i] !== 0xff) return undefined;
    let marker = b[i + 1] ?? 0;
    while (marker === 0xff && i + 2 < b.length) marker = b[++i + 1] ?? 0; // fill bytes
    i += 2;
    if (marker === 0xd9) return frame && scan ? i : undefined; // EOI
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // TEM, RSTn: no length
    if (marker === 0x00 || marker === 0xd8) return undefined;
    if (i + 2 > b.length) return undefined;
    const length = b.readUInt16BE(i);
    if (length < 2 || i + length > b.length) return undefined;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) frame = true;
    i += length;
    if (marker === 0xda) {
      if (!frame) return undefined;
      scan = true;
      // Entropy-coded data: an 0xFF is followed by 0x00 (a stuffed byte) or a restart marker; any other marker ends the scan.
      while (i < b.length) {
        if (b[i] !== 0xff) {
          i++;
          continue;
        }
        const next = b[i + 1];
        if (next === undefined) return undefined;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i += 2;
        else if (next === 0xff) i++;
        else break;
      }
    }
  }
  return undefined;
}

/** A JPEG, with nothing after its end but padding or more JPEGs (phones append previews and depth maps that way). */
function checkJpeg(b: Buffer): boolean {
  let end = jpegEnd(b, 0);
  if (end === undefined) return false;
  while (end < b.length) {
    if (b[end] === 0x00 || b[end] === 0xff) {
      if (b[end] === 0xff && b[end + 1] === 0xd8) {
        const next = jpegEnd(b, end);
        if (next === undefined) return false;
        end = next;
      } else end++;
      continue;
    }
    return false;
  }
  return true;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const byte of b) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A PNG: the signature, IHDR first, chunks whose CRCs hold, image data, IEND last, nothing after it. */
function checkPng(b: Buffer): boolean {
  let i = 8;
  let first = true;
  let data = false;
  while (i + 12 <= b.length) {
    const length = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    if (!/^[A-Za-z]{4}$/.test(type) || i + 12 + length > b.length) return false;
    if (crc32(b.subarray(i + 4, i + 8 + length)) !== b.readUInt32BE(i + 8 + length)) return false;
    if (first && type !== 'IHDR') return false;
    first = false;
    if (type === 'IDAT') data = true;
    i += 12 + length;
    if (type === 'IEND') return data && i === b.length;
  }
  return false;
}

/** HEIF (ISO base media file format): top-level boxes that exactly fill the file, ftyp first, then meta and mdat. */
function checkHeif(b: Buffer): boolean {
  let i = 0;
  const seen: string[] = [];
  while (i < b.length) {
    if (i + 8 > b.length) return false;
    let size = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    if (!/^[\x20-\x7e]{4}$/.test(type)) return false;
    if (size === 1) {
      if (i + 16 > b.length) return false;
      const large = b.readBigUInt64BE(i + 8);
      if (large > BigInt(b.length - i)) return false;
      size = Number(large);
    } else if (size === 0) size = b.length - i;
    if (size < 8 || i + size > b.length) return false;
    seen.push(type);
    i += size;
  }
  return seen[0] === 'ftyp' && seen.includes('meta') && seen.includes('mdat');
}

const structureHolds: Record<PhotoType['extension'], (b: Buffer) => boolean> = { jpg: checkJpeg, png: checkPng, heic: checkHeif };

/** Checks a whole upload: its claimed format's structure end to end, and dimensions image-size can read. */
export function checkPhoto(bytes: Uint8Array): PhotoCheckResult {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = sniffPhoto(b);
  if (!type || !structureHolds[type.extension](b)) return { ok: false, message: NOT_A_PHOTO };
  let size: { width?: number; height?: number };
  try {
    size = imageSize(b);
  } catch {
    return { ok: false, message: NOT_A_PHOTO };
  }
  const { width = 0, height = 0 } = size;
  if (width < 1 || height < 1) return { ok: false, message: NOT_A_PHOTO };
  if (width * height > MAX_PIXELS) return { ok: false, message: 'the selected photo has too many pixels: send a smaller copy of it' };
  return { ok: true, type, width, height };
}
