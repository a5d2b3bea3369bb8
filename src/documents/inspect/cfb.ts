// DOC and MSG are both Compound File Binary containers; file-type cannot tell them apart. The
// container's directory is read (bounded reads, chains checked for loops) and its stream
// names decide.
import type { FileHandle } from 'node:fs/promises';
import { acceptedList, checkLimits, readAt, refuse } from './common.js';

/**
 * DOC and MSG are both Compound File Binary containers; file-type cannot tell them apart.
 * The directory's stream names can: "WordDocument" is Word, "__properties_version1.0" and
 * "__substg1.0_*" streams are Outlook. Macros ("Macros", "_VBA_PROJECT") and encrypted
 * OOXML ("EncryptedPackage") are refused.
 */
export async function inspectCfb(
  fh: FileHandle,
  size: number,
): Promise<'application/msword' | 'application/vnd.ms-outlook'> {
  const names = await cfbNames(fh, size);
  const has = (n: string) => names.has(n.toLowerCase());
  if (has('EncryptedPackage') || has('EncryptionInfo'))
    throw refuse('Encrypted Office files are refused: reviewers must be able to read the PoE.');
  const macros = has('Macros') || has('_VBA_PROJECT_CUR') || has('_VBA_PROJECT') || has('VBA');
  if (has('WordDocument')) {
    if (macros) throw refuse('Word documents with macros are refused; save the document without macros.');
    if (has('\u0001Ole10Native')) throw refuse('Word documents with embedded packages are refused.');
    return 'application/msword';
  }
  if (has('__properties_version1.0') && [...names].some((n) => n.startsWith('__substg1.0_')))
    return 'application/vnd.ms-outlook';
  if (has('Workbook') || has('Book'))
    throw refuse('Excel 97-2003 workbooks (XLS) are not accepted; save the workbook as XLSX.');
  if (has('PowerPoint Document'))
    throw refuse('PowerPoint 97-2003 files (PPT) are not accepted; save the presentation as PPTX.');
  throw refuse(
    `The content is an OLE container that is neither a Word document nor an Outlook message. ${acceptedList}.`,
  );
}

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;

async function cfbNames(fh: FileHandle, size: number): Promise<Set<string>> {
  const bad = (why: string) => refuse(`The Office file is damaged (${why}).`);
  const header = await readAt(fh, 0, 512);
  if (header.length < 512) throw bad('short header');
  const shift = header.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) throw bad('sector size');
  const sectorSize = 1 << shift;
  const sectors = Math.ceil(Math.max(0, size - sectorSize) / sectorSize);
  const perSector = sectorSize / 4;
  const fatCount = header.readUInt32LE(0x2c);
  if (fatCount > sectors) throw bad('FAT larger than the file');
  const sectorAt = (n: number) => readAt(fh, (n + 1) * sectorSize, sectorSize);

  // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++) {
    const s = header.readUInt32LE(0x4c + i * 4);
    if (s === FREESECT) break;
    fatSectors.push(s);
  }
  let difat = header.readUInt32LE(0x44);
  for (let guard = 0; fatSectors.length < fatCount && difat < sectors; guard++) {
    if (guard > sectors) throw bad('DIFAT loop');
    const buf = await sectorAt(difat);
    for (let i = 0; i < perSector - 1 && fatSectors.length < fatCount; i++)
      fatSectors.push(buf.readUInt32LE(i * 4));
    difat = buf.readUInt32LE((perSector - 1) * 4);
  }
  const fat: number[] = [];
  for (const s of fatSectors) {
    if (s >= sectors) throw bad('FAT sector out of bounds');
    const buf = await sectorAt(s);
    for (let i = 0; i < perSector; i++) fat.push(buf.readUInt32LE(i * 4));
  }

  const names = new Set<string>();
  let sector = header.readUInt32LE(0x30);
  const seen = new Set<number>();
  let entries = 0;
  while (sector !== ENDOFCHAIN) {
    if (sector >= sectors || seen.has(sector)) throw bad('directory chain');
    seen.add(sector);
    const buf = await sectorAt(sector);
    for (let off = 0; off + 128 <= buf.length; off += 128) {
      if (++entries > checkLimits.cfbDirectoryEntries) throw bad('too many directory entries');
      const type = buf.readUInt8(off + 0x42);
      const length = buf.readUInt16LE(off + 0x40);
      if (type === 0 || length < 2 || length > 64) continue;
      names.add(buf.toString('utf16le', off, off + length - 2).toLowerCase());
    }
    sector = fat[sector] ?? ENDOFCHAIN;
  }
  return names;
}
