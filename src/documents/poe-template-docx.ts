// R-POE-1: the PoE template as a Word document (`docx`). No font is needed: Word draws the text.
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { templateLabels, type TemplateLanguage } from './poe-template-labels.js';
import { blank, sectionsOf, type TemplateData } from './poe-template.js';

export async function poeTemplateDocx(d: TemplateData, lang: TemplateLanguage): Promise<Buffer> {
  const L = templateLabels[lang];
  const language = { value: lang, eastAsia: lang.startsWith('zh') ? lang : undefined };
  const run = (text: string, opts: { bold?: boolean; size?: number; color?: string } = {}) =>
    new TextRun({ text, language, ...opts });
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const table = (rows: [string, string][]) =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: rows.map(
        ([k, v]) =>
          new TableRow({
            children: [
              new TableCell({
                width: { size: 35, type: WidthType.PERCENTAGE },
                children: [new Paragraph({ children: [run(k, { bold: true })] })],
              }),
              new TableCell({
                width: { size: 65, type: WidthType.PERCENTAGE },
                children: [new Paragraph({ children: [run(v)] })],
              }),
            ],
          }),
      ),
    });
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [run(L.title)] }),
    new Paragraph({ children: [run(L.intro, { color: '555555' })] }),
  ];
  for (const s of sectionsOf(d, L)) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run(s.heading)] }));
    if (s.rows.length) children.push(table(s.rows));
  }
  children.push(
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run(L.workDone)] }),
    new Paragraph({ children: [run(L.workDoneHelp, { color: '555555' })] }),
    ...Array.from(
      { length: 8 },
      () =>
        new Paragraph({
          border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: '999999', space: 8 } },
          children: [run('')],
        }),
    ),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run(L.signature)] }),
    new Paragraph({ children: [run(L.signatureHelp, { color: '555555' })] }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: {
        top: none,
        bottom: none,
        left: none,
        right: none,
        insideHorizontal: none,
        insideVertical: none,
      },
      rows: (
        [
          [L.name, d.customerContact?.name ?? blank],
          [L.jobTitle, d.customerContact?.title ?? blank],
          [L.signed, blank],
          [L.date, blank],
        ] as [string, string][]
      ).map(
        ([k, v]) =>
          new TableRow({
            children: [
              new TableCell({
                borders: { top: none, bottom: none, left: none, right: none },
                children: [new Paragraph({ children: [run(k, { bold: true })] })],
              }),
              new TableCell({
                borders: { top: none, bottom: none, left: none, right: none },
                children: [new Paragraph({ children: [run(v)] })],
              }),
            ],
          }),
      ),
    }),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      children: [run(`${L.claim}: ${d.claimId}`, { size: 16, color: '888888' })],
    }),
  );
  const doc = new Document({
    creator: 'cpor',
    title: `${L.title} - ${d.claimName ?? d.claimId}`,
    description: d.claimId,
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
