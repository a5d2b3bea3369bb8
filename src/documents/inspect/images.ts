// Images: a "pixel flood" (a small file declaring billions of pixels) takes a reviewer's viewer
// down. The declared dimensions are read from each format's own headers, every frame or page
// of them, and judged against checkLimits.imagePixels before anyone decodes a pixel.
import type { FileHandle } from 'node:fs/promises';
import { checkLimits, FileWindow, readAt, refuse } from './common.js';

const megapixels = () => `at most ${checkLimits.imagePixels / 1e6} megapixels`;

function checkPixels(kind: string, w: number, h: number, what = '') {
  if (w === 0 || h === 0)
    throw refuse(`The ${kind} is damaged: ${what || 'it'} declares ${w} x ${h} pixels.`);
  if (w * h > checkLimits.imagePixels)
    throw refuse(`The ${kind} claims ${w} x ${h} pixels${what ? ` (${what})` : ''}; ${megapixels()}.`);
}

/** PNG: IHDR, the first chunk, holds the size of the image (APNG frames fit inside it). */
export async function inspectPng(fh: FileHandle) {
  const h = await readAt(fh, 0, 24);
  if (h.length < 24 || h.toString('latin1', 12, 16) !== 'IHDR') throw refuse('The PNG is damaged (no IHDR).');
  checkPixels('PNG', h.readUInt32BE(16), h.readUInt32BE(20));
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic) and DHP, which declare a size. */
const frameMarkers = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf, 0xde,
]);

/**
 * JPEG: every marker segment of the file is walked (entropy-coded data is skipped to the next
 * marker), and every frame header (SOFn, DHP) is judged: a second frame after the first scan
 * is found as well. Thumbnails inside APP segments are data, not frames of this image.
 */
export async function inspectJpeg(fh: FileHandle, size: number) {
  const src = new FileWindow(fh, size, 256 * 1024);
  let pos = 2;
  let frames = 0;
  while (pos < size - 1) {
    const marker = await nextMarker(src, pos);
    if (marker < 0) break;
    const code = (await src.get(marker + 1, 1)).subarray(0, 1)[0] ?? 0;
    pos = marker + 2;
    if (code === 0xd9) break; // EOI
    if (code === 0x01 || (code >= 0xd0 && code <= 0xd8)) continue; // no length: TEM, RSTn, SOI
    const seg = (await src.get(pos, 7)).subarray(0, 7);
    if (seg.length < 2) break;
    const length = seg.readUInt16BE(0);
    if (length < 2) throw refuse('The JPEG is damaged (a segment of length 0).');
    if (frameMarkers.has(code)) {
      if (seg.length < 7) throw refuse('The JPEG is damaged (a cut frame header).');
      frames += 1;
      checkPixels('JPEG', seg.readUInt16BE(5), seg.readUInt16BE(3), `frame ${frames}`);
    }
    pos += length;
  }
  if (frames === 0) throw refuse('The JPEG is damaged: it has no frame header.');
}

/** The next marker at or after `pos`: 0xFF then a code that is not stuffing (00), fill (FF) or a restart. */
async function nextMarker(src: FileWindow, pos: number): Promise<number> {
  const step = 256 * 1024;
  for (let at = pos; at < src.size - 1; at += step - 1) {
    const chunk = (await src.get(at, step)).subarray(0, step);
    let i = chunk.indexOf(0xff);
    while (i >= 0 && i < chunk.length - 1) {
      const code = chunk[i + 1] ?? 0;
      if (code !== 0x00 && code !== 0xff && !(code >= 0xd0 && code <= 0xd7)) return at + i;
      i = chunk.indexOf(0xff, i + 1);
    }
  }
  return -1;
}

/**
 * TIFF: every image file directory (each page, and the sub-images of SubIFDs) declares
 * ImageWidth (256) and ImageLength (257); each is judged. Chains that loop or point outside the
 * file are refused; BigTIFF (64-bit offsets, for files over 4 GiB) is not a PoE.
 */
export async function inspectTiff(fh: FileHandle, size: number) {
  const src = new FileWindow(fh, size, 256 * 1024);
  const head = (await src.get(0, 8)).subarray(0, 8);
  if (head.length < 8) throw refuse('The TIFF is damaged (a cut header).');
  const le = head.toString('latin1', 0, 2) === 'II';
  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  if (u16(head, 2) === 43)
    throw refuse('BigTIFF files are not accepted; save the scan as a TIFF, PDF or PNG.');
  const queue = [u32(head, 4)];
  const seen = new Set<number>();
  let pages = 0;
  while (queue.length > 0) {
    const offset = queue.shift() ?? 0;
    if (offset === 0) continue;
    if (seen.has(offset)) throw refuse('The TIFF is damaged (its pages point back at each other).');
    seen.add(offset);
    if (++pages > checkLimits.tiffPages)
      throw refuse(`The TIFF has more than ${checkLimits.tiffPages} pages.`);
    const countBytes = (await src.get(offset, 2)).subarray(0, 2);
    if (offset < 8 || countBytes.length < 2) throw refuse('The TIFF is damaged (a page outside the file).');
    const n = u16(countBytes, 0);
    const ifd = Buffer.from((await src.get(offset + 2, n * 12 + 4)).subarray(0, n * 12 + 4));
    if (ifd.length < n * 12 + 4) throw refuse('The TIFF is damaged (a cut page directory).');
    let width = -1;
    let height = -1;
    for (let i = 0; i < n; i++) {
      const e = i * 12;
      const tag = u16(ifd, e);
      const type = u16(ifd, e + 2);
      const count = u32(ifd, e + 4);
      const value = type === 3 ? u16(ifd, e + 8) : u32(ifd, e + 8);
      if (tag === 256) width = value;
      else if (tag === 257) height = value;
      else if (tag === 330 && (type === 4 || type === 13) && count > 0) {
        // SubIFDs: one offset in place, or a list of them elsewhere.
        if (count > checkLimits.tiffPages) throw refuse('The TIFF is damaged (too many sub-images).');
        if (count === 1) queue.push(value);
        else {
          const list = Buffer.from((await src.get(value, count * 4)).subarray(0, count * 4));
          if (list.length < count * 4) throw refuse('The TIFF is damaged (a cut list of sub-images).');
          for (let k = 0; k < count; k++) queue.push(u32(list, k * 4));
        }
      }
    }
    if (width < 0 || height < 0) throw refuse(`The TIFF is damaged: page ${pages} declares no size.`);
    checkPixels('TIFF', width, height, `page ${pages}`);
    queue.push(u32(ifd, n * 12));
  }
}
