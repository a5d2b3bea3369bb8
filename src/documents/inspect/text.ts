// Plain text and the text of an email: UTF-8, no control bytes, no markup a browser or viewer
// would render or run. Read in pieces: a large file is never held whole.
import { createReadStream } from 'node:fs';
import { acceptedList, refuse } from './common.js';

/** What inspectText found: plain text, or an email (header lines, then a blank line). */
export type TextKind = 'text/plain' | 'message/rfc822';

/** Markup a browser or viewer would render or run; never plain text. */
const markup =
  /<\s*(script|html|svg|iframe|object|embed|body|head|meta|link|style|form|frameset|applet|math|xml|!doctype)\b|<\?xml|javascript\s*:|vbscript\s*:/i;
/**
 * An email's HTML part is ordinary (mail clients render it without scripts, and a download is
 * message/rfc822, never HTML): only what runs code is refused there.
 */
export const emailMarkup = /<\s*(script|iframe|object|embed|applet)\b|javascript\s*:|vbscript\s*:/i;
const emailHeader = /^(from|to|subject|date|message-id|received|mime-version|return-path|reply-to|cc):[ \t]/i;

export async function inspectText(path: string): Promise<TextKind> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let tail = '';
  let first = true;
  let email = false;
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let s: string;
    try {
      s = decoder.decode(chunk, { stream: true });
    } catch {
      stream.destroy();
      throw refuse(`The content is binary or not UTF-8 text. ${acceptedList}.`);
    }
    if (first) {
      s = s.replace(/^\ufeff/, '');
      first = false;
      email = looksLikeEmail(s.slice(0, 4096));
      if (s.startsWith('#!')) {
        stream.destroy();
        throw refuse('Scripts are refused.');
      }
    }
    // eslint-disable-next-line no-control-regex -- binary content hides as "text" with control bytes
    if (/[\u0000-\u0008\u000b\u000e-\u001a\u001c-\u001f\u007f]/.test(s)) {
      stream.destroy();
      throw refuse(`The content has control characters: it is not plain text. ${acceptedList}.`);
    }
    // Markup split across two chunks is still found: the last 64 characters carry over.
    const window = tail + s;
    if ((email ? emailMarkup : markup).test(window)) {
      stream.destroy();
      throw refuse('HTML, SVG, XML and script content is refused; send a PDF of it instead.');
    }
    tail = window.slice(-64);
  }
  try {
    decoder.decode();
  } catch {
    throw refuse(`The content is not UTF-8 text (it ends mid-character). ${acceptedList}.`);
  }
  return email ? 'message/rfc822' : 'text/plain';
}

/** An email: it starts with header lines, names a sender or a subject, and a blank line ends them. */
function looksLikeEmail(head: string): boolean {
  const end = head.search(/\r?\n\r?\n/);
  if (end <= 0) return false;
  const lines = head.slice(0, end).split(/\r?\n/);
  if (!lines.every((l) => /^[\x21-\x39\x3b-\x7e]+:/.test(l) || /^[ \t]/.test(l))) return false;
  const known = lines.filter((l) => emailHeader.test(l)).length;
  return known >= 2;
}
