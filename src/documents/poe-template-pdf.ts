// R-POE-1: the PoE template as a PDF (`pdf-lib`).
//
// PDF fonts: pdf-lib's standard fonts only encode WinAnsi (Latin-1). Unicode text uses
// DejaVu Sans (Debian fonts-dejavu-core) and CJK text Droid Sans Fallback (Debian
// fonts-droid-fallback, installed by .ci/run), embedded as subsets. Without them the PDF
// falls back to Helvetica: CJK claims get English labels, and characters Helvetica cannot
// encode become "?"; the answer's Content-Language then says "en". The DOCX needs no font.
import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { templateLabels, type TemplateLanguage } from './poe-template-labels.js';
import { blank, sectionsOf, type TemplateData } from './poe-template.js';

export const pdfFontPaths = {
  latin: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'],
  latinBold: ['/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  cjk: [
    '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
    '/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf',
  ],
};

interface FontFile {
  bytes: Uint8Array;
  covers(codePoint: number): boolean;
}

const fontCache = new Map<string, Promise<FontFile | null>>();

function loadFont(paths: string[]): Promise<FontFile | null> {
  const key = paths.join('|');
  let p = fontCache.get(key);
  if (!p) {
    p = (async () => {
      for (const path of paths) {
        try {
          const bytes = new Uint8Array(await readFile(path));
          const font = fontkit.create(bytes);
          return { bytes, covers: (cp: number) => font.hasGlyphForCodePoint(cp) };
        } catch {
          // Not installed here: try the next one.
        }
      }
      return null;
    })();
    fontCache.set(key, p);
  }
  return p;
}

interface FontSet {
  /** Picks a font for each run of the text; a character no font covers becomes "?". */
  runs(text: string, bold?: boolean): { text: string; font: PDFFont }[];
}

/** Characters Helvetica (WinAnsi) can encode. */
const winAnsi = (cp: number) =>
  (cp >= 0x20 && cp <= 0x7e) ||
  (cp >= 0xa0 && cp <= 0xff) ||
  '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'.includes(String.fromCodePoint(cp));

/**
 * Fonts for the texts in `sample`. The CJK font is embedded whole, and only when `sample` needs
 * it: @pdf-lib/fontkit's subsets of Droid Sans Fallback lose most glyphs (they render blank in
 * poppler), so a Chinese template is ~2.3 MB and an English one stays ~25 kB.
 */
async function fontSet(pdf: PDFDocument, sample: string): Promise<{ fonts: FontSet; cjk: boolean }> {
  pdf.registerFontkit(fontkit);
  const [latin, latinBold, cjk] = await Promise.all([
    loadFont(pdfFontPaths.latin),
    loadFont(pdfFontPaths.latinBold),
    loadFont(pdfFontPaths.cjk),
  ]);
  const embed = async (f: FontFile | null, std: StandardFonts) =>
    f
      ? { font: await pdf.embedFont(f.bytes, { subset: true }), covers: f.covers }
      : { font: await pdf.embedFont(std), covers: winAnsi };
  const regular = await embed(latin, StandardFonts.Helvetica);
  const bold = await embed(latinBold, StandardFonts.HelveticaBold);
  const needsWide =
    cjk !== null &&
    Array.from(sample).some((ch) => {
      const cp = ch.codePointAt(0) ?? 32;
      return !regular.covers(cp) && cjk.covers(cp);
    });
  const wide =
    cjk && needsWide ? { font: await pdf.embedFont(cjk.bytes, { subset: false }), covers: cjk.covers } : null;
  return {
    cjk: cjk !== null,
    fonts: {
      runs(text, isBold = false) {
        const primary = isBold ? bold : regular;
        const out: { text: string; font: PDFFont }[] = [];
        for (const ch of text) {
          const cp = ch.codePointAt(0) ?? 63;
          let pick = primary;
          let c = ch;
          if (!primary.covers(cp)) {
            if (wide?.covers(cp)) pick = wide;
            else if (!regular.covers(cp)) c = '?';
          }
          const last = out[out.length - 1];
          if (last && last.font === pick.font) last.text += c;
          else out.push({ text: c, font: pick.font });
        }
        return out;
      },
    },
  };
}

/** A page writer: wraps text to the width, starts a new page when one is full. */
class PdfWriter {
  private page: PDFPage;
  private y: number;
  private readonly margin = 50;
  private readonly width = 595.28;
  private readonly height = 841.89;
  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: FontSet,
  ) {
    this.page = pdf.addPage([this.width, this.height]);
    this.y = this.height - this.margin;
  }

  private ensure(space: number) {
    if (this.y - space < this.margin) {
      this.page = this.pdf.addPage([this.width, this.height]);
      this.y = this.height - this.margin;
    }
  }

  private measure(text: string, size: number, bold: boolean) {
    return this.fonts.runs(text, bold).reduce((w, r) => w + r.font.widthOfTextAtSize(r.text, size), 0);
  }

  /** Lines of at most `width` points: breaks at spaces, or anywhere in CJK text. */
  private wrap(text: string, size: number, bold: boolean, width: number): string[] {
    const tokens = text.match(
      /[^\s\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]+\s*|[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]\s*|\s+/g,
    ) ?? [''];
    const lines: string[] = [];
    let line = '';
    for (const t of tokens) {
      if (line && this.measure(line + t, size, bold) > width) {
        lines.push(line.trimEnd());
        line = t.trimStart();
      } else line += t;
    }
    lines.push(line.trimEnd());
    return lines;
  }

  private draw(text: string, x: number, size: number, bold: boolean, color = rgb(0, 0, 0)) {
    let cx = x;
    for (const r of this.fonts.runs(text, bold)) {
      this.page.drawText(r.text, { x: cx, y: this.y, size, font: r.font, color });
      cx += r.font.widthOfTextAtSize(r.text, size);
    }
  }

  text(
    text: string,
    opts: { size?: number; bold?: boolean; grey?: boolean; x?: number; width?: number } = {},
  ) {
    const size = opts.size ?? 10;
    const x = opts.x ?? this.margin;
    const width = opts.width ?? this.width - x - this.margin;
    for (const line of this.wrap(text, size, opts.bold ?? false, width)) {
      this.ensure(size * 1.5);
      this.y -= size * 1.3;
      this.draw(line, x, size, opts.bold ?? false, opts.grey ? rgb(0.35, 0.35, 0.35) : undefined);
    }
  }

  row(label: string, value: string) {
    const size = 10;
    const labelWidth = 160;
    const valueX = this.margin + labelWidth + 10;
    const labelLines = this.wrap(label, size, true, labelWidth);
    const valueLines = this.wrap(value, size, false, this.width - valueX - this.margin);
    const n = Math.max(labelLines.length, valueLines.length);
    this.ensure(n * size * 1.4 + 4);
    for (let i = 0; i < n; i++) {
      this.y -= size * 1.4;
      this.draw(labelLines[i] ?? '', this.margin, size, true);
      this.draw(valueLines[i] ?? '', valueX, size, false);
    }
  }

  gap(points: number) {
    this.y -= points;
  }

  rule() {
    this.ensure(24);
    this.y -= 22;
    this.page.drawLine({
      start: { x: this.margin, y: this.y },
      end: { x: this.width - this.margin, y: this.y },
      thickness: 0.5,
      color: rgb(0.6, 0.6, 0.6),
    });
  }
}

/** The PDF and the language it was actually written in (English when CJK fonts are missing). */
export async function poeTemplatePdf(
  d: TemplateData,
  requested: TemplateLanguage,
): Promise<{ bytes: Uint8Array; language: TemplateLanguage }> {
  const pdf = await PDFDocument.create();
  const cjkInstalled = (await loadFont(pdfFontPaths.cjk)) !== null;
  const lang = requested.startsWith('zh') && !cjkInstalled ? 'en' : requested;
  const L = templateLabels[lang];
  const { fonts } = await fontSet(pdf, JSON.stringify([L, d]));
  pdf.setTitle(`${L.title} - ${d.claimName ?? d.claimId}`);
  pdf.setSubject(d.claimId);
  pdf.setCreator('cpor');
  pdf.setLanguage(lang);
  pdf.setCreationDate(d.generatedAt);
  pdf.setModificationDate(d.generatedAt);
  const w = new PdfWriter(pdf, fonts);
  w.text(L.title, { size: 20, bold: true });
  w.gap(4);
  w.text(L.intro, { grey: true });
  for (const s of sectionsOf(d, L)) {
    w.gap(10);
    w.text(s.heading, { size: 13, bold: true });
    w.gap(2);
    for (const [k, v] of s.rows) w.row(k, v);
  }
  w.gap(10);
  w.text(L.workDone, { size: 13, bold: true });
  w.text(L.workDoneHelp, { grey: true });
  for (let i = 0; i < 8; i++) w.rule();
  w.gap(14);
  w.text(L.signature, { size: 13, bold: true });
  w.text(L.signatureHelp, { grey: true });
  w.gap(6);
  w.row(L.name, d.customerContact?.name ?? blank);
  w.row(L.jobTitle, d.customerContact?.title ?? blank);
  w.gap(8);
  w.row(L.signed, blank);
  w.gap(8);
  w.row(L.date, blank);
  w.gap(16);
  w.text(`${L.claim}: ${d.claimId}`, { size: 8, grey: true });
  return { bytes: await pdf.save(), language: lang };
}
