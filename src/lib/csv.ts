// CSV for exports (RFC 4180): quote when needed, and defuse spreadsheet formulas.
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV document written as it is read, one line at a time: exports of any size (RFC 4180). */
export async function* csvLines(header: string[], rows: AsyncIterable<unknown[]>): AsyncGenerator<string> {
  yield `${header.map(csvCell).join(',')}\r\n`;
  for await (const r of rows) yield `${r.map(csvCell).join(',')}\r\n`;
}
