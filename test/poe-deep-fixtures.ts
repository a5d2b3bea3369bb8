// Hostile samples one layer deeper, each with its clean twin, made here in code: PDFs written
// object by object (object streams in every standard filter, with encoders for them), JPEG and
// TIFF files with chosen declared sizes, emails with attachments (EML), and Office packages
// with chosen relationships, fields and parts.
import { deflateSync } from 'node:zlib';

// ---------------------------------------------------------------------------------------
// Encoders for PDF filters (the inverse of src/documents/inspect/pdf-filters.ts)

export const hexEncode = (b: Buffer) => Buffer.from(`${b.toString('hex')}>`);

export function a85Encode(b: Buffer): Buffer {
  let out = '';
  for (let i = 0; i < b.length; i += 4) {
    const chunk = Buffer.alloc(4);
    b.copy(chunk, 0, i, i + 4);
    const n = Math.min(4, b.length - i);
    let v = chunk.readUInt32BE(0);
    if (v === 0 && n === 4) {
      out += 'z';
      continue;
    }
    const digits: string[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode((v % 85) + 33));
      v = Math.floor(v / 85);
    }
    out += digits.slice(0, n + 1).join('');
  }
  return Buffer.from(`${out}~>`);
}

/** RunLength: literal runs of at most 128 bytes, then the end marker. */
export function runLengthEncode(b: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < b.length; i += 128) {
    const run = b.subarray(i, i + 128);
    parts.push(Buffer.from([run.length - 1]), run);
  }
  parts.push(Buffer.from([128]));
  return Buffer.concat(parts);
}

/** A run of `count` equal bytes in RunLength: 2 bytes in for every 128 out. */
export function runLengthBomb(count: number): Buffer {
  const parts: Buffer[] = [];
  for (let n = count; n > 0; n -= 128) parts.push(Buffer.from([257 - Math.min(128, n), 0x20]));
  parts.push(Buffer.from([128]));
  return Buffer.concat(parts);
}

/** LZW with 9- to 12-bit codes (EarlyChange 1), clearing the table when it is full. */
export function lzwEncode(b: Buffer): Buffer {
  const bits: number[] = [];
  let width = 9;
  const emit = (code: number) => {
    for (let k = width - 1; k >= 0; k--) bits.push((code >> k) & 1);
  };
  let table = new Map<string, number>();
  const reset = () => {
    table = new Map();
    for (let i = 0; i < 256; i++) table.set(String.fromCharCode(i), i);
    width = 9;
  };
  reset();
  emit(256);
  let next = 258;
  let w = '';
  for (const byte of b) {
    const c = String.fromCharCode(byte);
    if (table.has(w + c)) {
      w += c;
      continue;
    }
    emit(table.get(w) ?? 0);
    table.set(w + c, next++);
    // The reader adds each entry one code later, and widens one code early (EarlyChange 1).
    if (next >= 512 && width === 9) width = 10;
    if (next >= 1024 && width === 10) width = 11;
    if (next >= 2048 && width === 11) width = 12;
    if (next >= 4094) {
      emit(256);
      reset();
      next = 258;
    }
    w = c;
  }
  if (w) emit(table.get(w) ?? 0);
  // The reader has added one more entry by the time it reads the end code.
  if (next + 1 >= 512 && width === 9) width = 10;
  if (next + 1 >= 1024 && width === 10) width = 11;
  if (next + 1 >= 2048 && width === 11) width = 12;
  emit(257);
  while (bits.length % 8) bits.push(0);
  const out = Buffer.alloc(bits.length / 8);
  for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >> 3] = (out[i >> 3] ?? 0) | (0x80 >> (i & 7));
  return out;
}

/** Flate with the PNG "Up" predictor on every row (/Predictor 12 /Columns `columns`). */
export function flatePngUp(b: Buffer, columns: number): Buffer {
  const rows: Buffer[] = [];
  let previous = Buffer.alloc(columns);
  for (let i = 0; i < b.length; i += columns) {
    const row = Buffer.alloc(columns);
    b.copy(row, 0, i, i + columns);
    const encoded = Buffer.alloc(columns + 1);
    encoded[0] = 2;
    for (let k = 0; k < columns; k++) encoded[k + 1] = ((row[k] ?? 0) - (previous[k] ?? 0)) & 0xff;
    rows.push(encoded);
    previous = row;
  }
  return deflateSync(Buffer.concat(rows));
}

export type Filter = 'FlateDecode' | 'ASCIIHexDecode' | 'ASCII85Decode' | 'LZWDecode' | 'RunLengthDecode';

/** Encodes `data` so that the chain `filters` (in PDF order: the first is decoded first) gives it back. */
export function encodeChain(data: Buffer, filters: Filter[]): Buffer {
  let out = data;
  for (const f of [...filters].reverse()) {
    if (f === 'FlateDecode') out = deflateSync(out);
    else if (f === 'ASCIIHexDecode') out = hexEncode(out);
    else if (f === 'ASCII85Decode') out = a85Encode(out);
    else if (f === 'LZWDecode') out = lzwEncode(out);
    else out = runLengthEncode(out);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// PDFs written object by object

export interface PdfStream {
  dict: string;
  data: Buffer;
}
export type PdfObject = string | PdfStream;

/**
 * A PDF with these objects (numbered from 1), a page tree (objects 1-3 are the catalog, pages
 * and page unless `objects` gives its own), a cross-reference table and a trailer.
 */
export function writePdf(objects: PdfObject[], opts: { trailer?: string; header?: string } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from(`${opts.header ?? '%PDF-1.7'}\n%\xe2\xe3\xcf\xd3\n`, 'latin1')];
  let offset = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(offset);
    const body =
      typeof o === 'string'
        ? Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1')
        : Buffer.concat([
            Buffer.from(`${i + 1} 0 obj\n<< ${o.dict} /Length ${o.data.length} >>\nstream\n`, 'latin1'),
            o.data,
            Buffer.from('\nendstream\nendobj\n', 'latin1'),
          ]);
    parts.push(body);
    offset += body.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R ${opts.trailer ?? ''} >>`,
    'startxref',
    String(offset),
    '%%EOF',
    '',
  ].join('\n');
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

const pageTree = (catalogExtra = ''): PdfObject[] => [
  `<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`,
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
];

/** A PDF whose catalog opens action 5, kept in object stream 4 encoded with `filters`. */
export function pdfWithObjectStream(
  action: string,
  filters: Filter[],
  opts: { parms?: string; encode?: (b: Buffer) => Buffer; dictExtra?: string; writtenFilter?: string } = {},
): Buffer {
  const objects = `<< /Type /Action ${action} >>`;
  const header = '5 0 ';
  const plain = Buffer.from(`${header}${objects}`, 'latin1');
  const data = opts.encode ? opts.encode(plain) : encodeChain(plain, filters);
  const filter =
    opts.writtenFilter ??
    (filters.length === 1 ? `/${filters[0]}` : `[${filters.map((f) => `/${f}`).join(' ')}]`);
  return writePdf([
    ...pageTree('/OpenAction 5 0 R'),
    {
      dict: `/Type /ObjStm /N 1 /First ${header.length} /Filter ${filter} ${opts.parms ? `/DecodeParms ${opts.parms}` : ''} ${opts.dictExtra ?? ''}`,
      data,
    },
  ]);
}

export const plainPdf = (catalogExtra = '', more: PdfObject[] = [], trailer = '') =>
  writePdf([...pageTree(catalogExtra), ...more], { trailer });

// ---------------------------------------------------------------------------------------
// JPEG and TIFF with chosen declared sizes

/**
 * A baseline grey JPEG of w x h pixels, every block flat (one-symbol Huffman tables: each
 * 8x8 block is two zero bits). `claim` writes another size in the frame header; `secondFrame`
 * adds a frame header after the scan (as a hierarchical JPEG has).
 */
export function makeJpeg(
  w: number,
  h: number,
  opts: { claim?: [number, number]; secondFrame?: [number, number] } = {},
) {
  const seg = (marker: number, body: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(marker, 0);
    head.writeUInt16BE(body.length + 2, 2);
    return Buffer.concat([head, body]);
  };
  const sof = (width: number, height: number) => {
    const b = Buffer.alloc(9);
    b[0] = 8;
    b.writeUInt16BE(height, 1);
    b.writeUInt16BE(width, 3);
    b[5] = 1; // one component
    b[6] = 1;
    b[7] = 0x11;
    b[8] = 0;
    return seg(0xffc0, b);
  };
  const [cw, ch] = opts.claim ?? [w, h];
  const app0 = seg(0xffe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'));
  const dqt = seg(0xffdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)]));
  // One code of length 1 in each table: DC category 0, AC end-of-block.
  const huffman = (tc: number) => {
    const counts = Buffer.alloc(16);
    counts[0] = 1;
    return Buffer.concat([Buffer.from([tc << 4]), counts, Buffer.from([0])]);
  };
  const dht = seg(0xffc4, Buffer.concat([huffman(0), huffman(1)]));
  const sos = seg(0xffda, Buffer.from([1, 1, 0x00, 0, 63, 0]));
  const blocks = Math.ceil(w / 8) * Math.ceil(h / 8);
  const scan = Buffer.alloc(Math.ceil((blocks * 2) / 8), 0);
  const usedBits = blocks * 2;
  if (usedBits % 8) scan[scan.length - 1] = (1 << (8 - (usedBits % 8))) - 1; // padding ones
  const tail: Buffer[] = [];
  if (opts.secondFrame) tail.push(sof(...opts.secondFrame));
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    app0,
    dqt,
    sof(cw, ch),
    dht,
    sos,
    scan,
    ...tail,
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** An uncompressed 8-bit grey TIFF; each page [width, height] (pixels written only when honest). */
export function makeTiff(pages: [number, number][], opts: { loop?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(8, 4);
  parts.push(header);
  let offset = 8;
  const ifdSize = 2 + 8 * 12 + 4;
  const firstIfd = 8;
  pages.forEach(([w, h], i) => {
    const pixels = w * h <= 1_000_000 ? w * h : 16;
    const ifd = Buffer.alloc(ifdSize);
    const entries: [number, number, number][] = [
      [256, 4, w],
      [257, 4, h],
      [258, 3, 8],
      [259, 3, 1],
      [262, 3, 1],
      [273, 4, offset + ifdSize],
      [278, 4, h],
      [279, 4, pixels],
    ];
    ifd.writeUInt16LE(entries.length, 0);
    entries.forEach(([tag, type, value], k) => {
      const at = 2 + k * 12;
      ifd.writeUInt16LE(tag, at);
      ifd.writeUInt16LE(type, at + 2);
      ifd.writeUInt32LE(1, at + 4);
      if (type === 3) ifd.writeUInt16LE(value, at + 8);
      else ifd.writeUInt32LE(value, at + 8);
    });
    const next = i < pages.length - 1 ? offset + ifdSize + pixels : opts.loop ? firstIfd : 0;
    ifd.writeUInt32LE(next, 2 + entries.length * 12);
    parts.push(ifd, Buffer.alloc(pixels, 0x80));
    offset += ifdSize + pixels;
  });
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------
// Emails

export interface EmlPart {
  type: string;
  name?: string;
  data: Buffer | string;
  encoding?: 'base64' | 'quoted-printable' | '7bit';
  disposition?: 'attachment' | 'inline';
}

/** An email with a text body and these parts (multipart/mixed), as a mail client writes it. */
export function makeEml(parts: EmlPart[], subject = 'Statement of work'): Buffer {
  const boundary = `b-${subject.length}-${parts.length}-mixed`;
  const lines = [
    'From: Chris Customer <chris@contoso.example>',
    'To: Paula Partner <paula@a.example>',
    `Subject: ${subject}`,
    'Date: Sun, 1 Mar 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Signed statement of work attached.',
  ];
  for (const p of parts) {
    const encoding = p.encoding ?? 'base64';
    const data = Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data);
    const body =
      encoding === 'base64'
        ? (data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n')
        : data.toString('utf8');
    lines.push(
      `--${boundary}`,
      `Content-Type: ${p.type}${p.name ? `; name="${p.name}"` : ''}`,
      `Content-Transfer-Encoding: ${encoding}`,
      ...(p.disposition !== undefined || p.name
        ? [`Content-Disposition: ${p.disposition ?? 'attachment'}${p.name ? `; filename="${p.name}"` : ''}`]
        : []),
      '',
      body,
    );
  }
  lines.push(`--${boundary}--`, '');
  return Buffer.from(lines.join('\r\n'));
}

/** An email whose only body is HTML, in a transfer encoding. */
export function makeHtmlEml(html: string, encoding: 'base64' | 'quoted-printable'): Buffer {
  const body =
    encoding === 'base64'
      ? (
          Buffer.from(html)
            .toString('base64')
            .match(/.{1,76}/g) ?? []
        ).join('\r\n')
      : // Soft line breaks every 3 characters: "<sc=\r\nrip=\r\nt>" is "<script>" once decoded.
        (html.match(/.{1,3}/g) ?? []).join('=\r\n');
  return Buffer.from(
    [
      'From: Chris Customer <chris@contoso.example>',
      'To: Paula Partner <paula@a.example>',
      'Subject: Approval',
      'Date: Sun, 1 Mar 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      `Content-Transfer-Encoding: ${encoding}`,
      '',
      body,
      '',
    ].join('\r\n'),
  );
}
