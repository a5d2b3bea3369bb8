// PDF: active content (JavaScript, launch actions, embedded files, forms that submit or import)
// and encryption are refused, one encoding deeper than the file's bytes. The file is read in
// windows, never whole: a lexer follows the PDF syntax (strings, comments, dictionaries) so
// that only a real `stream` keyword after a dictionary starts stream data, and:
// - names that run something are looked for in every byte outside stream data;
// - object streams (/Type /ObjStm, or /N with /First: where PDF 1.5+ writers put most
//   dictionaries) are decoded through their filter chain (pdf-filters.ts) and looked into, or
//   refused when they cannot be decoded or are larger than checkLimits.pdfObjectStreamBytes;
// - other streams are data a viewer never reads objects from (pages, images, fonts): they are
//   not decoded, but their filters must be standard ones, and their bytes, like those of
//   strings and comments, must not hide an object header ("12 0 obj") that a cross-reference
//   table could point a viewer at;
// - stream data kept in another file (/F in a stream dictionary) is refused.
import type { FileHandle } from 'node:fs/promises';
import { checkLimits, FileWindow, refuse } from './common.js';
import {
  DecodeBudget,
  decodable,
  decodeChain,
  filterName,
  imageFilters,
  isDict,
  isName,
  type PdfDict,
  type PdfValue,
} from './pdf-filters.js';

/** PDF names that run code, launch programs, open other files or carry files inside. */
const activeNames = new Set([
  'JavaScript',
  'JS',
  'Launch',
  'EmbeddedFile',
  'EmbeddedFiles',
  'EF',
  'FileAttachment',
  'RichMedia',
  'XFA',
  'ImportData',
  'SubmitForm',
  'GoToE',
  'GoToR',
]);

const regular = '[^\\x00\\t\\n\\f\\r ()<>\\[\\]{}/%]';
const delimiter = '[\\x00\\t\\n\\f\\r ()<>\\[\\]{}/%]';
/** A name token followed by a delimiter: one cut at the end of a window is seen whole next time. */
const nameToken = new RegExp(`/(${regular}{1,127})(?=${delimiter})`, 'g');

const decodeName = (raw: string) =>
  raw.replace(/#([0-9A-Fa-f]{2})/g, (_s, h: string) => String.fromCharCode(parseInt(h, 16)));

/** Refuses text holding a name that runs something, or /Encrypt. */
function checkNames(text: string) {
  for (const m of text.matchAll(nameToken)) {
    const name = decodeName(m[1] ?? '');
    if (name === 'Encrypt')
      throw refuse(
        'Encrypted PDFs are refused: reviewers must be able to read the PoE. Save it without a password.',
      );
    if (activeNames.has(name))
      throw refuse(`PDFs with active content (/${name}) are refused; print it to a plain PDF.`);
  }
}

// PDF white space includes NUL.
// eslint-disable-next-line no-control-regex
const hiddenHeader = /[0-9]{1,10}[\x00\t\n\f\r ]+[0-9]{1,5}[\x00\t\n\f\r ]+$/;
const hiddenObject = () =>
  refuse('The PDF hides an object inside a string, a comment or stream data; print it to a plain PDF.');

/** Refuses bytes holding "N G obj" (what a cross-reference entry points at). */
function checkNoObjectHeader(bytes: Buffer) {
  for (let i = bytes.indexOf('obj'); i >= 0; i = bytes.indexOf('obj', i + 3)) {
    const after = bytes[i + 3];
    if (after !== undefined && !isWhite(after) && !isDelimiter(after)) continue;
    if (hiddenHeader.test(bytes.toString('latin1', Math.max(0, i - 24), i))) throw hiddenObject();
  }
}

const isWhite = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0;
const isDelimiter = (c: number) =>
  c === 0x28 ||
  c === 0x29 ||
  c === 0x3c ||
  c === 0x3e ||
  c === 0x5b ||
  c === 0x5d ||
  c === 0x7b ||
  c === 0x7d ||
  c === 0x2f ||
  c === 0x25;

const enum State {
  Normal,
  Comment,
  String,
  Hex,
  Name,
  Word,
}

interface Container {
  dict: boolean;
  items: PdfValue[];
}

interface StreamStart {
  dict: PdfDict | 'overflow';
  /** Just after the `stream` keyword. */
  at: number;
}

const maxNesting = 256;
const maxElements = 1_000_000;
const objectHeaderCarry = 24;

class PdfScanner {
  private readonly src: FileWindow;
  private readonly budget = new DecodeBudget(checkLimits.pdfDecodedBytes);
  private state = State.Normal;
  private stringDepth = 0;
  private escaped = false;
  private token = '';
  private stack: Container[] = [];
  private elements = 0;
  private lastDict: PdfDict | 'overflow' | null = null;
  /** The previous token closed a top-level dictionary: a `stream` keyword now starts data. */
  private dictJustClosed = false;
  /** Start (in the current window) of the string, hex string or comment being read. */
  private regionFrom = 0;
  private regionCarry = Buffer.alloc(0);
  private nameCarry = '';

  constructor(
    fh: FileHandle,
    private readonly size: number,
  ) {
    this.src = new FileWindow(fh, size);
  }

  async run() {
    let pos = 0;
    while (pos < this.size) {
      const buf = await this.src.get(pos, 64 * 1024);
      if (buf.length === 0) break;
      const eof = pos + buf.length >= this.size;
      const found = this.lex(buf, pos, eof);
      const next = found ? found.at : pos + this.stopped;
      checkNames(this.nameCarry + buf.toString('latin1', 0, next - pos));
      this.nameCarry = buf.toString('latin1', Math.max(0, next - pos - 200), next - pos);
      if (found) {
        pos = await this.stream(found);
        this.nameCarry = '';
        this.state = State.Normal;
        this.dictJustClosed = false;
        this.lastDict = null;
      } else pos = next;
    }
    this.endToken();
  }

  /** Where lex() stopped in its window when it found no stream. */
  private stopped = 0;

  /** Lexes `buf` (at file position `base`) up to its end, or to a `stream` keyword it returns. */
  private lex(buf: Buffer, base: number, eof: boolean): StreamStart | null {
    // One byte is kept for the next window, which sees "<<" and ">>" whole, unless at the end.
    const limit = eof ? buf.length : buf.length - 1;
    const inRegion = () =>
      this.state === State.String || this.state === State.Comment || this.state === State.Hex;
    if (inRegion()) this.regionFrom = 0;
    let i = 0;
    for (; i < limit; i++) {
      const c = buf[i] ?? 0;
      switch (this.state) {
        case State.Comment:
          if (c === 0x0a || c === 0x0d) this.endRegion(buf, i);
          continue;
        case State.String:
          if (this.escaped) this.escaped = false;
          else if (c === 0x5c) this.escaped = true;
          else if (c === 0x28) this.stringDepth += 1;
          else if (c === 0x29 && --this.stringDepth === 0) {
            this.endRegion(buf, i);
            this.push({ string: true });
          }
          continue;
        case State.Hex:
          if (c === 0x3e) {
            this.endRegion(buf, i);
            this.push({ string: true });
          }
          continue;
        case State.Name:
        case State.Word:
          if (!isWhite(c) && !isDelimiter(c)) {
            if (this.token.length < 256) this.token += String.fromCharCode(c);
            continue;
          }
          if (this.endToken()) {
            this.stopped = i;
            return { dict: this.lastDict ?? 'overflow', at: base + i };
          }
          break;
        case State.Normal:
          break;
      }
      // Normal state: c starts a token (or is white space).
      if (isWhite(c)) continue;
      switch (c) {
        case 0x25: // %
          this.state = State.Comment;
          this.regionFrom = i;
          break;
        case 0x28: // (
          this.state = State.String;
          this.stringDepth = 1;
          this.escaped = false;
          this.regionFrom = i;
          break;
        case 0x3c: // <
          if (buf[i + 1] === 0x3c) {
            i += 1;
            this.open(true);
          } else {
            this.state = State.Hex;
            this.regionFrom = i;
          }
          break;
        case 0x3e: // >
          if (buf[i + 1] === 0x3e) i += 1;
          this.close(true);
          break;
        case 0x5b: // [
          this.open(false);
          break;
        case 0x5d: // ]
          this.close(false);
          break;
        case 0x2f: // /
          this.state = State.Name;
          this.token = '';
          break;
        case 0x7b:
        case 0x7d:
          break;
        default:
          this.state = State.Word;
          this.token = String.fromCharCode(c);
      }
    }
    // The window ends inside a string or a comment: what was read of it is checked now.
    if (inRegion()) this.checkRegion(buf, i);
    this.stopped = i;
    return null;
  }

  private endRegion(buf: Buffer, i: number) {
    this.checkRegion(buf, i);
    this.regionCarry = Buffer.alloc(0);
    this.state = State.Normal;
  }

  private checkRegion(buf: Buffer, end: number) {
    const bytes = Buffer.concat([this.regionCarry, buf.subarray(this.regionFrom, end)]);
    checkNoObjectHeader(bytes);
    this.regionCarry = bytes.subarray(Math.max(0, bytes.length - objectHeaderCarry));
    this.regionFrom = end;
  }

  /** Ends a name or word token; true when it was a `stream` keyword after a dictionary. */
  private endToken(): boolean {
    const state = this.state;
    this.state = State.Normal;
    if (state === State.Name) {
      this.push({ name: decodeName(this.token) });
      return false;
    }
    if (state !== State.Word) return false;
    const word = this.token;
    if (word === 'stream') return this.dictJustClosed && this.lastDict !== null;
    if (word === 'obj' || word === 'endobj') {
      // A viewer parses each object on its own: what an earlier one left open ends here.
      this.stack = [];
      this.elements = 0;
      this.dictJustClosed = false;
      return false;
    }
    if (word === 'R') {
      const items = this.stack.at(-1)?.items;
      const gen = items?.at(-1);
      const num = items?.at(-2);
      if (items && typeof gen === 'number' && typeof num === 'number') {
        items.splice(-2, 2, { ref: `${num} ${gen}` });
        return false;
      }
    }
    const n = Number(word);
    this.push(
      word === 'true' ? true : word === 'false' ? false : word === 'null' || Number.isNaN(n) ? null : n,
    );
    return false;
  }

  private push(v: PdfValue) {
    this.dictJustClosed = false;
    const top = this.stack.at(-1);
    if (!top) return;
    if (++this.elements <= maxElements) top.items.push(v);
  }

  private open(dict: boolean) {
    this.dictJustClosed = false;
    if (this.stack.length >= maxNesting) throw refuse('The PDF is damaged (dictionaries nested too deep).');
    this.stack.push({ dict, items: [] });
  }

  private close(dict: boolean) {
    const top = this.stack.at(-1);
    this.dictJustClosed = false;
    if (!top || top.dict !== dict) return; // unbalanced: ignored, as viewers do
    this.stack.pop();
    let value: PdfValue;
    if (dict) {
      const map = new Map<string, PdfValue>();
      for (let k = 0; k + 1 < top.items.length; k += 2) {
        const key = top.items[k];
        if (isName(key)) map.set(key.name, top.items[k + 1] ?? null);
      }
      value = { dict: map };
    } else value = top.items;
    if (this.stack.length > 0) {
      this.push(value);
      return;
    }
    if (dict) {
      this.lastDict = this.elements > maxElements ? 'overflow' : (value as PdfDict);
      this.dictJustClosed = true;
    }
    this.elements = 0;
  }

  /** Reads (and for object streams, decodes) the data of a stream; returns where it ends. */
  private async stream(start: StreamStart): Promise<number> {
    if (start.dict === 'overflow')
      throw refuse('The PDF is damaged (a stream dictionary too large to read).');
    const d = start.dict.dict;
    if (d.has('F') || d.has('FFilter') || d.has('FDecodeParms'))
      throw refuse('PDFs whose stream data lives in another file are refused; print it to a plain PDF.');
    const type = d.get('Type');
    const objectStream = (isName(type) && type.name === 'ObjStm') || (d.has('N') && d.has('First'));
    const { filters, parms } = filtersOf(d.get('Filter'), d.get('DecodeParms'), objectStream);

    // Data starts after the end of line that follows the keyword.
    const head = await this.src.get(start.at, 2);
    let dataStart = start.at;
    if (head[0] === 0x0d && head[1] === 0x0a) dataStart += 2;
    else if (head[0] === 0x0a || head[0] === 0x0d) dataStart += 1;

    // /Length is trusted when "endstream" follows it, as viewers do; otherwise the first
    // "endstream" ends the data.
    let end = -1;
    const length = d.get('Length');
    if (
      typeof length === 'number' &&
      Number.isInteger(length) &&
      length >= 0 &&
      dataStart + length <= this.size
    ) {
      const after = (await this.src.get(dataStart + length, 64)).subarray(0, 64).toString('latin1');
      // eslint-disable-next-line no-control-regex -- PDF white space includes NUL
      if (/^[\x00\t\n\f\r ]*endstream/.test(after)) end = dataStart + length;
    }
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let carry = Buffer.alloc(0);
    let pos = dataStart;
    while (end < 0 || pos < end) {
      let chunk = await this.src.get(pos, 64 * 1024);
      if (chunk.length === 0) break;
      if (end >= 0) chunk = chunk.subarray(0, end - pos);
      const text = Buffer.concat([carry, chunk]);
      let take = chunk.length;
      if (end < 0) {
        const k = text.indexOf('endstream');
        if (k >= 0) {
          end = pos - carry.length + k;
          take = Math.max(0, end - pos);
        }
      }
      checkNoObjectHeader(text.subarray(0, carry.length + take));
      if (objectStream) {
        keptBytes += take;
        if (keptBytes > checkLimits.pdfObjectStreamBytes)
          throw refuse(
            `The PDF has an object stream larger than ${checkLimits.pdfObjectStreamBytes / 1024 / 1024} MiB; it is refused rather than left unread.`,
          );
        kept.push(Buffer.from(chunk.subarray(0, take)));
      }
      pos += chunk.length;
      carry = text.subarray(Math.max(0, text.length - objectHeaderCarry));
    }
    if (end < 0) end = this.size;
    if (objectStream) {
      const data = Buffer.concat(kept).subarray(0, end - dataStart);
      checkNames(`${decodeChain(data, filters, parms, this.budget).toString('latin1')} `);
    }
    return end;
  }
}

/** The filter chain of a stream; refused when a viewer could decode it and we cannot look. */
function filtersOf(
  filter: PdfValue | undefined,
  decodeParms: PdfValue | undefined,
  objectStream: boolean,
): { filters: string[]; parms: (PdfDict | null)[] } {
  const list = filter === undefined || filter === null ? [] : Array.isArray(filter) ? filter : [filter];
  const parmList = Array.isArray(decodeParms) ? decodeParms : [decodeParms ?? null];
  const filters: string[] = [];
  for (const f of list) {
    if (!isName(f)) {
      if (objectStream)
        throw refuse(
          'The PDF has an object stream whose filters cannot be read; it is refused rather than left unread.',
        );
      return { filters: [], parms: [] };
    }
    const name = filterName(f.name);
    if (name === 'Crypt')
      throw refuse(
        'Encrypted PDFs are refused: reviewers must be able to read the PoE. Save it without a password.',
      );
    if (!decodable.has(name) && !imageFilters.has(name))
      throw refuse(
        `The PDF uses a stream filter that is not standard (/${f.name}); print it to a plain PDF.`,
      );
    filters.push(name);
  }
  if (objectStream && decodeParms !== undefined && decodeParms !== null) {
    if (!parmList.every((p) => p === null || isDict(p)))
      throw refuse(
        'The PDF has an object stream whose filters cannot be read; it is refused rather than left unread.',
      );
  }
  return { filters, parms: parmList.map((p) => (isDict(p) ? p : null)) };
}

export async function inspectPdf(fh: FileHandle, size: number) {
  await new PdfScanner(fh, size).run();
}
