// Reading an uploaded CSV file for a bulk import (api.md "Bulk import", "Legacy associations"):
// a header row naming known columns, then one record per row. Pure: the caller validates the
// cells. Rows are numbered as a spreadsheet shows them: the header is row 1.
import { parse } from 'csv-parse/sync';
import type { FieldErrorCode } from '../domain/errors.js';

/** One problem of an import, where a person can find it. */
export interface RowError {
  row: number;
  field: string;
  message: string;
  /** The field problem's stable code and its parameters (api.md "Conventions"). */
  code: FieldErrorCode;
  params: Record<string, number | string | string[]>;
}

export interface CsvRecord {
  row: number;
  /** The cells by column, trimmed; empty cells are left out. */
  cells: Record<string, string>;
}

export interface ParsedCsv {
  records: CsvRecord[];
  /** Problems of the file itself (its header, a malformed row); the rows are not checked further. */
  errors: RowError[];
}

export class TooManyRows extends Error {
  constructor(readonly max: number) {
    super(`The file has more than ${max} rows.`);
  }
}

export function readCsv(
  text: string,
  opts: { columns: readonly string[]; required?: readonly string[]; maxRows: number },
): ParsedCsv {
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // One more than allowed tells the file is too long without reading all of it.
      to: opts.maxRows + 1 + 1,
    }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    return {
      records: [],
      errors: [
        {
          row: line ?? 1,
          field: 'file',
          message: `is not valid CSV: ${(e as Error).message}`,
          code: 'invalid_format',
          params: { format: 'csv' },
        },
      ],
    };
  }
  const [header, ...body] = rows;
  if (!header)
    return {
      records: [],
      errors: [{ row: 1, field: 'file', message: 'is empty', code: 'empty', params: {} }],
    };
  if (body.length > opts.maxRows) throw new TooManyRows(opts.maxRows);
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (!opts.columns.includes(name))
      errors.push({
        row: 1,
        field: name || 'file',
        message: `is not a known column (${opts.columns.join(', ')})`,
        code: 'unknown_field',
        params: { options: [...opts.columns] },
      });
    else if (seen.has(name))
      errors.push({
        row: 1,
        field: name,
        message: 'appears twice in the header',
        code: 'duplicate',
        params: {},
      });
    seen.add(name);
  }
  for (const name of opts.required ?? [])
    if (!seen.has(name))
      errors.push({ row: 1, field: name, message: 'is a required column', code: 'required', params: {} });
  if (body.length === 0)
    errors.push({
      row: 2,
      field: 'file',
      message: 'has no rows after the header',
      code: 'empty',
      params: {},
    });
  if (errors.length) return { records: [], errors };
  const records: CsvRecord[] = [];
  body.forEach((cells, i) => {
    const row = i + 2;
    if (cells.length !== header.length) {
      errors.push({
        row,
        field: 'file',
        message: `has ${cells.length} cells; the header has ${header.length}`,
        code: 'invalid_format',
        params: { format: 'csv' },
      });
      return;
    }
    const named: Record<string, string> = {};
    header.forEach((name, j) => {
      const v = cells[j] ?? '';
      if (v !== '') named[name] = v;
    });
    records.push({ row, cells: named });
  });
  return { records, errors };
}
