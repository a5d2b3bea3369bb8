// Emails taken apart: an EML by mailparser (streamed: attachments go to scratch files, never
// whole in memory), an Outlook MSG by @kenjiuno/msgreader (which reads the container whole:
// it is at most CPOR_MAX_UPLOAD_BYTES). Each attachment, an attached email included, passes
// the same allowlist and inspection as an upload (file-checks.ts, one level deeper, at most
// checkLimits.nestingDepth), and its name must match its content. The HTML body, decoded
// from its transfer encoding and charset, must not run code. Outlook attachments that are
// only a path or a link to a file, OLE objects, and a reminder that plays a sound file from a
// path (CVE-2023-23397) are refused.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import MsgReaderModule, { type FieldsData } from '@kenjiuno/msgreader';
import { MailParser, type AttachmentStream, type MessageText } from 'mailparser';
import { DomainError } from '../../domain/errors.js';
import { removeQuietly } from '../../storage/storage.js';
import { refuse, type InspectContext } from './common.js';
import { emailMarkup } from './text.js';

// The package is CommonJS with `exports.default`: Node's ESM loader gives the class as
// `.default`; bundlers and Vitest hand over the class itself.
const MsgReader: typeof MsgReaderModule.default =
  (MsgReaderModule as { default?: typeof MsgReaderModule.default }).default ??
  (MsgReaderModule as unknown as typeof MsgReaderModule.default);

const scriptInBody = () =>
  refuse('An email whose HTML part runs scripts is refused; print it to a PDF instead.');

/** Writes one part to a scratch file, inspects it as an upload, and always removes it. */
async function inspectPart(
  ctx: InspectContext,
  write: (path: string) => Promise<void>,
  name: string | undefined,
  where: string,
) {
  const path = join(ctx.scratchDir, `${randomUUID()}.upload`);
  try {
    await write(path);
    const { size } = await stat(path);
    if (size === 0) return; // an empty attachment carries nothing
    await ctx.inspectNested({ path, size, name, where });
  } finally {
    await removeQuietly(path);
  }
}

export async function inspectEml(path: string, ctx: InspectContext) {
  const parser = new MailParser({
    // Only what is needed to judge it: no HTML-to-text rendering, no links made.
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
  });
  const source = createReadStream(path);
  source.pipe(parser);
  let index = 0;
  try {
    for await (const data of parser as AsyncIterable<AttachmentStream | MessageText>) {
      if (data.type === 'text') {
        if (typeof data.html === 'string' && emailMarkup.test(data.html)) throw scriptInBody();
        continue;
      }
      index += 1;
      await inspectPart(
        ctx,
        async (to) => {
          await pipeline(data.content as Readable, createWriteStream(to));
          data.release();
        },
        data.filename,
        `attachment ${index} of the email`,
      );
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw refuse('The email is damaged: its MIME structure cannot be read.');
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/** MAPI PidTagAttachMethod values. */
const attachMethod = {
  byValue: 1,
  byReference: 2,
  byRefResolve: 3,
  byRefOnly: 4,
  embeddedMessage: 5,
  ole: 6,
};

/** A fixed-size property as a number (msgreader gives numbers; its types say string). */
function numberProp(fields: FieldsData, tag: string): number | undefined {
  const value: unknown = fields.rawProps?.find((p) => p.propertyTag === tag)?.value;
  return typeof value === 'number' || typeof value === 'string' ? Number(value) : undefined;
}

export async function inspectMsg(path: string, ctx: InspectContext) {
  const bytes = await readFile(path);
  let reader: InstanceType<typeof MsgReader>;
  let data: FieldsData;
  try {
    reader = new MsgReader(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
    );
    reader.parserConfig = { includeRawProps: true };
    data = reader.getFileData();
  } catch {
    throw refuse('The Outlook message is damaged: its properties cannot be read.');
  }
  if (data.error) throw refuse('The Outlook message is damaged: its properties cannot be read.');
  const html = data.bodyHtml ?? (data.html ? Buffer.from(data.html).toString('latin1') : '');
  if (html && emailMarkup.test(html)) throw scriptInBody();
  // PidLidReminderFileParameter: a sound file played by the reminder, fetched from any path.
  const reminderSound = data.rawProps?.find(
    (p) => p.propertyLid === '0000851f' && p.propertySet === '00062008-0000-0000-c000-000000000046',
  );
  if (reminderSound?.value && String(reminderSound.value).trim())
    throw refuse('Outlook items whose reminder plays a sound file from a path are refused.');
  const attachments = data.attachments ?? [];
  for (const [i, att] of attachments.entries()) {
    const where = `attachment ${i + 1} of the Outlook message`;
    const methodNumber = numberProp(att, '37050003');
    if (
      methodNumber === attachMethod.byReference ||
      methodNumber === attachMethod.byRefResolve ||
      methodNumber === attachMethod.byRefOnly
    )
      throw refuse(
        `The Outlook message links to a file instead of attaching it (${where}); attach the file itself.`,
      );
    if (methodNumber === attachMethod.ole)
      throw refuse(`Outlook messages with embedded OLE objects are refused (${where}); save it as a PDF.`);
    if (!att.innerMsgContent && att.dataId === undefined) continue; // no content: a web link
    // An attached Outlook item has a subject, not a file name: its content alone is judged.
    const name = att.innerMsgContent ? undefined : (att.fileName ?? att.fileNameShort);
    let content: Uint8Array;
    try {
      content = reader.getAttachment(att).content;
    } catch {
      throw refuse(`The Outlook message is damaged: ${where} cannot be read.`);
    }
    await inspectPart(ctx, (to) => writeFile(to, content), name, where);
  }
}
