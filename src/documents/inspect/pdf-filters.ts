// The PDF standard's general-purpose stream filters (ISO 32000-2, 7.4), decoded to read what an
// object stream holds, with the output counted against a budget: a compression bomb is refused
// as soon as it passes the budget, never inflated first. The image codecs (DCT, JPX, JBIG2,
// CCITT) produce pixels, not objects, and are never decoded here.
import { constants as zlibConstants, inflateRawSync, inflateSync } from 'node:zlib';
import { refuse } from './common.js';

/** A direct value of a PDF dictionary, as pdf.ts reads it (strings and streams are not needed). */
export type PdfValue =
  number | boolean | null | { name: string } | { ref: string } | { string: true } | PdfValue[] | PdfDict;
export interface PdfDict {
  dict: Map<string, PdfValue>;
}

export const isDict = (v: PdfValue | undefined): v is PdfDict =>
  typeof v === 'object' && v !== null && 'dict' in v;
export const isName = (v: PdfValue | undefined): v is { name: string } =>
  typeof v === 'object' && v !== null && 'name' in v;

const aliases: Record<string, string> = {
  Fl: 'FlateDecode',
  LZW: 'LZWDecode',
  AHx: 'ASCIIHexDecode',
  A85: 'ASCII85Decode',
  RL: 'RunLengthDecode',
  DCT: 'DCTDecode',
  CCF: 'CCITTFaxDecode',
};
/** Filters this module decodes. */
export const decodable = new Set([
  'FlateDecode',
  'LZWDecode',
  'ASCIIHexDecode',
  'ASCII85Decode',
  'RunLengthDecode',
]);
/** Standard filters whose output is an image: data, never objects. */
export const imageFilters = new Set(['DCTDecode', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode']);

export const filterName = (n: string) => aliases[n] ?? n;

export class DecodeBudget {
  constructor(public remaining: number) {}
  /** Throws when `n` more decoded bytes would pass the budget. */
  take(n: number) {
    this.remaining -= n;
    if (this.remaining < 0) throw bomb();
  }
}

const bomb = () => refuse('The PDF decodes past the size limit (a compression bomb).');
const undecodable = (filter: string, why: string) =>
  refuse(
    `The PDF has an object stream that cannot be decoded (${filter}: ${why}); it is refused rather than left unread.`,
  );

/** Decodes `data` through the filters in order, with their /DecodeParms (null where none). */
export function decodeChain(
  data: Buffer,
  filters: string[],
  parms: (PdfDict | null)[],
  budget: DecodeBudget,
): Buffer {
  let out = data;
  filters.forEach((raw, i) => {
    const filter = filterName(raw);
    const p = parms[i] ?? null;
    switch (filter) {
      case 'FlateDecode':
        out = predict(inflate(out, budget), p, filter, budget);
        break;
      case 'LZWDecode':
        out = predict(lzw(out, num(p, 'EarlyChange', 1) !== 0, budget), p, filter, budget);
        break;
      case 'ASCIIHexDecode':
        out = asciiHex(out);
        break;
      case 'ASCII85Decode':
        out = ascii85(out, budget);
        break;
      case 'RunLengthDecode':
        out = runLength(out, budget);
        break;
      default:
        throw undecodable(filter, imageFilters.has(filter) ? 'an image codec' : 'not a standard filter');
    }
  });
  return out;
}

function num(p: PdfDict | null, key: string, def: number): number {
  const v = p?.dict.get(key);
  return typeof v === 'number' ? v : def;
}

function inflate(data: Buffer, budget: DecodeBudget): Buffer {
  const opts = {
    // A stream cut short still gives what it holds (viewers show it too).
    finishFlush: zlibConstants.Z_SYNC_FLUSH,
    maxOutputLength: Math.max(1, budget.remaining),
  };
  let out: Buffer;
  try {
    out = inflateSync(data, opts);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw bomb();
    // Some writers leave out the zlib header; readers accept the raw deflate data.
    try {
      out = inflateRawSync(data, opts);
    } catch (e2) {
      if ((e2 as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e2 instanceof RangeError) throw bomb();
      throw undecodable('FlateDecode', 'not deflate data');
    }
  }
  budget.take(out.length);
  return out;
}

/** LZW as PDF and TIFF write it: 9- to 12-bit codes, most significant bit first, 256 clear, 257 end. */
function lzw(data: Buffer, earlyChange: boolean, budget: DecodeBudget): Buffer {
  const chunks: Buffer[] = [];
  let out = Buffer.alloc(64 * 1024);
  let outLen = 0;
  const emit = (bytes: Uint8Array) => {
    budget.take(bytes.length);
    if (outLen + bytes.length > out.length) {
      chunks.push(out.subarray(0, outLen));
      out = Buffer.alloc(Math.max(64 * 1024, bytes.length));
      outLen = 0;
    }
    out.set(bytes, outLen);
    outLen += bytes.length;
  };
  // The table: entry i is prefix[i] followed by suffix[i]; strings are rebuilt on output.
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const lengths = new Int32Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    lengths[i] = 1;
  }
  let next = 258;
  let width = 9;
  let previous = -1;
  let bits = 0;
  let bitCount = 0;
  const scratch = new Uint8Array(4096);
  const stringOf = (code: number): Uint8Array => {
    const len = lengths[code] ?? 0;
    for (let c = code, k = len - 1; k >= 0; k--) {
      scratch[k] = suffix[c] ?? 0;
      c = prefix[c] ?? -1;
    }
    return scratch.subarray(0, len);
  };
  for (let i = 0; i < data.length; i++) {
    bits = ((bits << 8) | (data[i] ?? 0)) & 0xffffff;
    bitCount += 8;
    while (bitCount >= width) {
      const code = (bits >> (bitCount - width)) & ((1 << width) - 1);
      bitCount -= width;
      if (code === 256) {
        next = 258;
        width = 9;
        previous = -1;
        continue;
      }
      if (code === 257) return finish();
      let first: number;
      if (code < next && (code < 256 || code >= 258)) {
        const s = stringOf(code);
        first = s[0] ?? 0;
        emit(s);
      } else if (code === next && previous >= 0) {
        const s = stringOf(previous);
        first = s[0] ?? 0;
        emit(s);
        emit(Uint8Array.of(first));
      } else {
        throw undecodable('LZWDecode', 'a code outside the table');
      }
      if (previous >= 0 && next < 4096) {
        prefix[next] = previous;
        suffix[next] = first;
        lengths[next] = (lengths[previous] ?? 0) + 1;
        next += 1;
      }
      previous = code;
      const limit = next + (earlyChange ? 1 : 0);
      if (limit >= 512 && width === 9) width = 10;
      if (limit >= 1024 && width === 10) width = 11;
      if (limit >= 2048 && width === 11) width = 12;
    }
  }
  return finish();
  function finish() {
    chunks.push(out.subarray(0, outLen));
    return Buffer.concat(chunks);
  }
}

function asciiHex(data: Buffer): Buffer {
  const out = Buffer.alloc(Math.ceil(data.length / 2));
  let n = 0;
  let high = -1;
  for (const c of data) {
    if (c === 0x3e) break; // '>' ends the data
    const v =
      c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
    if (v < 0) {
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0) continue;
      throw undecodable('ASCIIHexDecode', 'a byte that is not a hex digit');
    }
    if (high < 0) high = v;
    else {
      out[n++] = (high << 4) | v;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high << 4;
  return out.subarray(0, n);
}

function ascii85(data: Buffer, budget: DecodeBudget): Buffer {
  // 'z' makes 4 bytes of 1: at most 4 out per byte in.
  const out = Buffer.alloc(data.length * 4 + 4);
  let n = 0;
  const group: number[] = [];
  const flush = (count: number) => {
    let v = 0;
    for (let k = 0; k < 5; k++) v = v * 85 + (group[k] ?? 84);
    if (v > 0xffffffff) throw undecodable('ASCII85Decode', 'a group past 2^32');
    for (let k = 0; k < count; k++) out[n++] = (v >>> (24 - 8 * k)) & 0xff;
    group.length = 0;
  };
  let i = 0;
  if (data[0] === 0x3c && data[1] === 0x7e) i = 2; // an optional "<~"
  for (; i < data.length; i++) {
    const c = data[i] ?? 0;
    if (c === 0x7e) break; // "~>" ends the data
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0) continue;
    if (c === 0x7a && group.length === 0) {
      n += 4; // Buffer.alloc gave zeros
      continue;
    }
    if (c < 0x21 || c > 0x75) throw undecodable('ASCII85Decode', 'a byte outside the alphabet');
    group.push(c - 0x21);
    if (group.length === 5) flush(4);
  }
  if (group.length === 1) throw undecodable('ASCII85Decode', 'a final group of one character');
  if (group.length > 1) flush(group.length - 1);
  budget.take(n);
  return out.subarray(0, n);
}

function runLength(data: Buffer, budget: DecodeBudget): Buffer {
  const chunks: Buffer[] = [];
  let i = 0;
  while (i < data.length) {
    const len = data[i++] ?? 128;
    if (len === 128) break;
    if (len < 128) {
      const run = data.subarray(i, i + len + 1);
      budget.take(run.length);
      chunks.push(run);
      i += len + 1;
    } else {
      budget.take(257 - len);
      chunks.push(Buffer.alloc(257 - len, data[i++] ?? 0));
    }
  }
  return Buffer.concat(chunks);
}

/** Undoes a TIFF (2) or PNG (10-15) predictor of Flate or LZW data; 1 is none. */
function predict(data: Buffer, p: PdfDict | null, filter: string, budget: DecodeBudget): Buffer {
  const predictor = num(p, 'Predictor', 1);
  if (predictor === 1) return data;
  const colors = num(p, 'Colors', 1);
  const bpc = num(p, 'BitsPerComponent', 8);
  const columns = num(p, 'Columns', 1);
  if (
    !Number.isInteger(colors) ||
    !Number.isInteger(columns) ||
    colors < 1 ||
    colors > 32 ||
    columns < 1 ||
    columns > 1 << 24 ||
    ![1, 2, 4, 8, 16].includes(bpc)
  )
    throw undecodable(filter, 'predictor parameters out of range');
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLength = Math.ceil((colors * bpc * columns) / 8);
  if (predictor === 2) {
    if (bpc !== 8) throw undecodable(filter, `TIFF predictor with ${bpc} bits per component`);
    const out = Buffer.from(data);
    for (let row = 0; row < out.length; row += rowLength)
      for (let i = row + colors; i < Math.min(row + rowLength, out.length); i++)
        out[i] = ((out[i] ?? 0) + (out[i - colors] ?? 0)) & 0xff;
    return out;
  }
  if (predictor < 10 || predictor > 15) throw undecodable(filter, `predictor ${predictor}`);
  const rows = Math.floor(data.length / (rowLength + 1));
  budget.take(rows * rowLength);
  const out = Buffer.alloc(rows * rowLength);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLength + 1)] ?? 0;
    const src = r * (rowLength + 1) + 1;
    const at = r * rowLength;
    for (let i = 0; i < rowLength; i++) {
      const raw = data[src + i] ?? 0;
      const left = i >= bpp ? (out[at + i - bpp] ?? 0) : 0;
      const up = r > 0 ? (out[at + i - rowLength] ?? 0) : 0;
      const upLeft = r > 0 && i >= bpp ? (out[at + i - rowLength - bpp] ?? 0) : 0;
      let v: number;
      switch (type) {
        case 0:
          v = raw;
          break;
        case 1:
          v = raw + left;
          break;
        case 2:
          v = raw + up;
          break;
        case 3:
          v = raw + ((left + up) >> 1);
          break;
        case 4: {
          const pa = Math.abs(up - upLeft);
          const pb = Math.abs(left - upLeft);
          const pc = Math.abs(left + up - 2 * upLeft);
          v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          throw undecodable(filter, `PNG row filter ${type}`);
      }
      out[at + i] = v & 0xff;
    }
  }
  return out;
}
