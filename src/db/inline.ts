// Issue 14 point 2: a query's parameters written into its text, so that the caller's settings
// can travel with it in one simple-protocol round trip (database.ts CallerConnection). Each
// value becomes a literal exactly as pg would send it as a parameter (pg's prepareValue, then
// pg's escapeLiteral), and an untyped literal takes its type from where it stands, as an
// untyped parameter does. The text is scanned for `$n` outside quoted literals and
// identifiers; anything the scan does not fully understand (a backslash anywhere, which an
// escape string or standard_conforming_strings off would read otherwise; a comment, a dollar
// quote, an unterminated quote, a `$` inside a name), a binary value, a NUL or a large value
// gives null, and the query is sent as it was, with parameters.
import pg from 'pg';
import { prepareValue } from 'pg/lib/utils.js';

/** Beyond this many characters of literals a query keeps its parameters (an upload's text). */
export const inlineLimit = 64 * 1024;

const tokens = /'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\d+)|['"$\\]|--|\/\*/g;

/** `text` with `$1`... replaced by `parameters` as literals, or null when that cannot be sure. */
export function inlined(text: string, parameters: readonly unknown[]): string | null {
  const split = splitOf(text);
  if (split === null) return null;
  let size = 0;
  let out = split.parts[0]!;
  for (let i = 0; i < split.slots.length; i++) {
    const n = split.slots[i]!;
    if (n >= parameters.length) return null;
    const literal = literalOf(parameters[n]);
    if (literal === null) return null;
    size += literal.length;
    if (size > inlineLimit) return null;
    out += literal + split.parts[i + 1]!;
  }
  return out;
}

/**
 * A query text cut at its placeholders: `parts` around them, `slots` the parameter (from 0) of
 * each; null when the scan is not sure. Kept per text (the hot queries' texts repeat; the
 * cache is emptied when it holds `splitsKept`).
 */
interface Split {
  parts: string[];
  slots: number[];
}
const splits = new Map<string, Split | null>();
const splitsKept = 1000;

function splitOf(text: string): Split | null {
  const kept = splits.get(text);
  if (kept !== undefined) return kept;
  const split = scan(text);
  if (splits.size >= splitsKept) splits.clear();
  splits.set(text, split);
  return split;
}

function scan(text: string): Split | null {
  if (text.includes('\\')) return null;
  const parts: string[] = [];
  const slots: number[] = [];
  let from = 0;
  for (const m of text.matchAll(tokens)) {
    const [token, n] = m;
    if (token.length > 1 && (token[0] === "'" || token[0] === '"')) continue;
    if (n === undefined || Number(n) < 1 || /[\w$]/.test(text[m.index - 1] ?? ' ')) return null;
    parts.push(text.slice(from, m.index));
    slots.push(Number(n) - 1);
    from = m.index + token.length;
  }
  parts.push(text.slice(from));
  return { parts, slots };
}

function literalOf(value: unknown): string | null {
  const prepared = prepareValue(value);
  if (prepared === null) return 'NULL';
  if (typeof prepared !== 'string' || prepared.includes('\0')) return null;
  return pg.escapeLiteral(prepared);
}
