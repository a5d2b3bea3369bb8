// What an Office Open XML package (DOCX, XLSX, PPTX) may hold, part by part, as its entries
// are inflated (ooxml.ts). Refused:
// - relationships that load content from outside the file when it opens or is edited
//   (TargetMode="External": remote templates, OLE objects, frames, subdocuments, linked
//   pictures and media, linked workbooks), and any "mhtml:" target. Only hyperlinks to
//   http(s) and mailto stay allowed: nothing is fetched until the reader clicks one;
// - DDE: DDE and DDEAUTO fields (w:fldSimple, w:instrText, even split across runs or with a
//   name computed by a nested field), fields that include a remote file, Excel links to other
//   workbooks or DDE servers (externalLinks, ddeLink, oleLink), and formulas calling a DDE
//   server (app|topic!item);
// - PowerPoint actions that run a program or a macro (ppaction://program, ppaction://macro);
// - OLE objects and programs anywhere, and under embeddings/ anything but an image or an
//   Office package, which is then inspected like an upload of its own.
// XML is read by a streaming parser (saxes): entities, CDATA and attribute quoting are what
// Office sees, not what a regular expression guesses; a part that is not well-formed XML is
// refused, as Office refuses it.
import { SaxesParser } from 'saxes';
import { DomainError } from '../../domain/errors.js';
import { checkLimits, refuse } from './common.js';

const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);

/** External relationship types: what each one loads, for the refusal. */
const externalWhat: Record<string, string> = {
  attachedTemplate: 'a template',
  oleObject: 'an OLE object',
  frame: 'a frame',
  subDocument: 'a subdocument',
  image: 'a linked picture',
  externalLinkPath: 'a linked workbook',
  audio: 'linked audio',
  video: 'linked video',
  media: 'linked media',
  package: 'a linked package',
};

const allowedLinkSchemes = /^(https?|mailto):/i;

function checkRelationship(attrs: Record<string, string>) {
  const target = (attrs.Target ?? '').trim();
  const type = (attrs.Type ?? '').split('/').pop() ?? '';
  const shown = target.length > 80 ? `${target.slice(0, 77)}...` : target;
  if (/^mhtml:|!x-usc:/i.test(target))
    throw refuse(`Office files that load an "mhtml:" target are refused (${shown}).`);
  if ((attrs.TargetMode ?? '').toLowerCase() !== 'external') return;
  if (type === 'hyperlink') {
    if (allowedLinkSchemes.test(target)) return;
    throw refuse(
      `Office files with hyperlinks that open files or programs are refused (${shown}); only http, https and mailto links are accepted.`,
    );
  }
  throw refuse(
    `Office files that load ${externalWhat[type] ?? `a "${type}" relationship`} from outside the file are refused (${shown}); save it as a PDF or remove the link.`,
  );
}

const ddeRefusal = () =>
  refuse('Office files with DDE (fields or links that start other programs) are refused; save it as a PDF.');

/** A field instruction: refused when it is DDE, or includes a file from elsewhere. */
function checkInstruction(instruction: string) {
  const words = instruction.trim().split(/\s+/);
  const name = (words[0] ?? '').replace(/^\\+/, '').toUpperCase();
  if (name === 'DDE' || name === 'DDEAUTO') throw ddeRefusal();
  if (['INCLUDETEXT', 'INCLUDEPICTURE', 'LINK', 'IMPORT'].includes(name)) {
    // A URL, or a UNC path (\\server\share, written with its backslashes doubled or not): a
    // path on the author's own disk loads nothing on the reviewer's machine.
    const target = (words[1] ?? '').replace(/^"/, '');
    if (words.slice(1).join(' ').includes('://') || target.startsWith('\\\\'))
      throw refuse(
        `Office files with fields that load a file from elsewhere (${name}) are refused; save it as a PDF.`,
      );
  }
}

/** A formula calling a DDE server ("cmd|' /c calc'!A0"): a "|" outside string literals. */
function checkFormula(formula: string) {
  if (formula.replace(/"(?:[^"]|"")*"/g, '').includes('|')) throw ddeRefusal();
}

interface Field {
  instruction: string;
  checked: boolean;
}

/** Checks one XML part as it streams in. */
export class XmlPartCheck {
  private readonly parser = new SaxesParser({ position: false });
  private decoder: TextDecoder | null = null;
  private readonly fields: Field[] = [];
  /** Collecting the text of an element: instrText, f, definedName. */
  private collecting: { element: string; text: string } | null = null;
  private readonly spreadsheet: boolean;
  private readonly relationships: boolean;

  constructor(readonly name: string) {
    this.spreadsheet = /^xl\//i.test(name);
    this.relationships = /(^|\/)_rels\/[^/]*\.rels$/i.test(name);
    this.parser.on('doctype', () => {
      throw refuse(`The Office file is damaged or hostile (${name} declares a DTD).`);
    });
    this.parser.on('opentag', (tag) =>
      this.open(localName(tag.name), tag.attributes as Record<string, string>),
    );
    this.parser.on('closetag', (tag) => this.close(localName(tag.name)));
    const text = (t: string) => {
      if (!this.collecting) return;
      this.collecting.text += t;
      if (this.collecting.text.length > checkLimits.xmlTagBytes)
        throw refuse(`The Office file is damaged: ${name} has a field or formula longer than 1 MiB.`);
    };
    this.parser.on('text', text);
    this.parser.on('cdata', text);
  }

  write(chunk: Buffer) {
    if (!this.decoder) {
      // Office writes UTF-8; a byte order mark may say UTF-16, which Office reads too.
      const encoding =
        chunk[0] === 0xff && chunk[1] === 0xfe
          ? 'utf-16le'
          : chunk[0] === 0xfe && chunk[1] === 0xff
            ? 'utf-16be'
            : 'utf-8';
      this.decoder = new TextDecoder(encoding, { ignoreBOM: false });
    }
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  end() {
    this.feed(this.decoder?.decode() ?? '');
    try {
      this.parser.close();
    } catch (e) {
      throw this.damaged(e);
    }
  }

  private feed(text: string) {
    try {
      this.parser.write(text);
    } catch (e) {
      throw this.damaged(e);
    }
  }

  private damaged(e: unknown) {
    if (e instanceof DomainError) return e;
    return refuse(`The Office file is damaged: ${this.name} is not well-formed XML.`);
  }

  private open(name: string, attrs: Record<string, string>) {
    const attr = (local: string) => {
      for (const [k, v] of Object.entries(attrs)) if (localName(k) === local) return v;
      return undefined;
    };
    if (this.relationships && name === 'Relationship') checkRelationship(attrs);
    const action = attr('action');
    if (action && /^ppaction:\/\/(program|macro)/i.test(action.trim()))
      throw refuse('PowerPoint files with actions that run a program or a macro are refused.');
    switch (name) {
      case 'fldSimple':
        checkInstruction(attr('instr') ?? '');
        break;
      case 'fldChar': {
        const type = attr('fldCharType');
        if (type === 'begin') {
          // A field whose name comes from a nested field ({ {QUOTE 68 68 69...} ... }) hides it.
          const parent = this.fields.at(-1);
          if (parent && !parent.checked && parent.instruction.trim() === '')
            throw refuse('Office files with a field whose type is computed by another field are refused.');
          this.fields.push({ instruction: '', checked: false });
        } else if (type === 'separate' || type === 'end') {
          const field = this.fields.at(-1);
          if (field && !field.checked) {
            checkInstruction(field.instruction);
            field.checked = true;
          }
          if (type === 'end') this.fields.pop();
        }
        break;
      }
      case 'instrText':
        this.collecting = { element: name, text: '' };
        break;
      case 'ddeLink':
      case 'oleLink':
      case 'externalBook':
        if (this.spreadsheet) throw ddeRefusal();
        break;
      case 'f':
      case 'definedName':
        if (this.spreadsheet) this.collecting = { element: name, text: '' };
        break;
      default:
        break;
    }
  }

  private close(name: string) {
    if (!this.collecting || this.collecting.element !== name) return;
    const { text } = this.collecting;
    this.collecting = null;
    if (name === 'instrText') {
      const field = this.fields.at(-1);
      if (field && !field.checked) field.instruction += text;
      else checkInstruction(text);
    } else checkFormula(text);
  }
}

/** Parts whose content is XML to read: the package's own, by name. */
export const isXmlPart = (name: string) => /\.(xml|rels|vml)$/i.test(name);

export function checkPartName(name: string) {
  if (/^xl\/externalLinks\//i.test(name)) throw ddeRefusal();
}

/** What the first bytes of a non-XML part say it is; refuses what no PoE may carry. */
export function judgeBinaryPart(name: string, head: Buffer): 'package' | 'keep' {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))
    throw refuse(`Office files with embedded OLE objects (${name}) are refused; save it as a PDF.`);
  if (starts(0x4d, 0x5a) || starts(0x7f, 0x45, 0x4c, 0x46))
    throw refuse(`Office files with programs inside (${name}) are refused.`);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'package';
  if (/(^|\/)embeddings\//i.test(name) && !isImage(head))
    throw refuse(
      `Office files with embedded objects other than pictures and Office documents (${name}) are refused; save it as a PDF.`,
    );
  return 'keep';
}

function isImage(h: Buffer): boolean {
  if (h.length < 4) return false;
  const ascii = h.toString('latin1', 0, 8);
  return (
    ascii.startsWith('\x89PNG') ||
    (h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff) ||
    ascii.startsWith('GIF8') ||
    ascii.startsWith('BM') ||
    ascii.startsWith('II*\x00') ||
    ascii.startsWith('MM\x00*') ||
    (h.length >= 44 && h.readUInt32LE(0) === 1 && h.toString('latin1', 40, 44) === ' EMF') ||
    h.readUInt32LE(0) === 0x9ac6cdd7 ||
    ((h[0] === 1 || h[0] === 2) && h[1] === 0 && h[2] === 9 && h[3] === 0)
  );
}
