// Bulk import of claims from CSV (api.md "Bulk import"): the columns and the template, and a
// row read into the same body a single `POST /claims` takes, checked by the same schema
// (claims-schemas.ts) and program rule (R-SCOPE-1); the draft rules then run in the command
// (commands/import-claims.ts -> draftIn), as for a single create.
import { DomainError, fieldCodeOf, type FieldError } from '../domain/errors.js';
import { checkProgram } from '../domain/claim-rules.js';
import { csvCell } from '../lib/csv.js';
import { readCsv, type RowError } from '../lib/csv-import.js';
import type { ClaimInput } from './commands/claim-input.js';
import { createClaimBody } from './claims-schemas.js';

/** Limits of one import (api.md "Bulk import"). */
export const claimImportLimits = { maxBytes: 10 * 1024 * 1024, maxRows: 10_000, maxErrors: 1000 };

/** Each column and the field of the claim body it fills. */
const columnPaths = {
  name: 'name',
  program: 'program',
  mpnId: 'mpnId',
  customerDomain: 'customer.domain',
  customerTenantId: 'customer.tenantId',
  solutionArea: 'solutionArea',
  activity: 'activity',
  products: 'products',
  customerContactName: 'customerContact.name',
  customerContactTitle: 'customerContact.title',
  customerContactEmail: 'customerContact.email',
  customerContactLanguage: 'customerContact.language',
  technicalContactName: 'technicalContact.name',
  technicalContactTitle: 'technicalContact.title',
  technicalContactEmail: 'technicalContact.email',
  partnerContactName: 'partnerContact.name',
  partnerContactEmail: 'partnerContact.email',
  revenueSolutionSellerName: 'revenue.solutionSellerName',
  revenueCustomerName: 'revenue.customerName',
  revenueIsvSolutionName: 'revenue.isvSolutionName',
} as const;
export const claimImportColumns = Object.keys(columnPaths) as (keyof typeof columnPaths)[];

const example: Record<keyof typeof columnPaths, string> = {
  name: 'Contoso mail migration',
  program: 'osu_microsoft_365',
  mpnId: '1234567',
  customerDomain: 'contoso.onmicrosoft.com',
  customerTenantId: '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  solutionArea: 'microsoft_365',
  activity: 'usage',
  products: 'exchange_online;teams',
  customerContactName: 'Chris Customer',
  customerContactTitle: 'CIO',
  customerContactEmail: 'chris@contoso.onmicrosoft.com',
  customerContactLanguage: 'en',
  technicalContactName: '',
  technicalContactTitle: '',
  technicalContactEmail: '',
  partnerContactName: 'Paula Partner',
  partnerContactEmail: 'paula@partner.example',
  revenueSolutionSellerName: '',
  revenueCustomerName: '',
  revenueIsvSolutionName: '',
};

/** The template: the header and one example row (`products`: `productId[:subscriptionId]`, `;` between). */
export function claimImportTemplate(): string {
  return [claimImportColumns, claimImportColumns.map((c) => example[c])]
    .map((r) => `${r.map(csvCell).join(',')}\r\n`)
    .join('');
}

/** `d365_sales:SUB-1;teams` -> [{productId, subscriptionId}, {productId}]. */
function productsOf(cell: string) {
  return cell
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const at = p.indexOf(':');
      return at < 0
        ? { productId: p }
        : { productId: p.slice(0, at).trim(), subscriptionId: p.slice(at + 1).trim() || null };
    });
}

function bodyOf(cells: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(cells)) {
    const path = columnPaths[column as keyof typeof columnPaths];
    if (path === 'products') {
      body.products = productsOf(value);
      continue;
    }
    const [head, leaf] = path.split('.') as [string, string | undefined];
    if (leaf === undefined) body[head] = value;
    else body[head] = { ...(body[head] as object | undefined), [leaf]: value };
  }
  return body;
}

/** An API field path (`customer.domain`, `products.1.subscriptionId`) -> the CSV column. */
export function columnOfPath(path: string): string {
  if (path === 'products' || path.startsWith('products.')) return 'products';
  for (const [column, p] of Object.entries(columnPaths)) if (p === path) return column;
  for (const [column, p] of Object.entries(columnPaths)) if (p.startsWith(`${path}.`)) return column;
  return path;
}

export const rowErrorsOf = (row: number, errors: FieldError[] | undefined, message: string): RowError[] =>
  errors?.length
    ? errors.map((e) => ({
        row,
        field: columnOfPath(e.path),
        message: e.message,
        code: e.code,
        params: e.params ?? {},
      }))
    : [{ row, field: 'file', message, code: 'invalid', params: {} }];

export interface ClaimRow {
  row: number;
  input: ClaimInput;
}

/** Reads the file into claim bodies, each checked as `POST /claims` checks its body. */
export function readClaimsCsv(text: string): { rows: ClaimRow[]; errors: RowError[] } {
  const parsed = readCsv(text, { columns: claimImportColumns, maxRows: claimImportLimits.maxRows });
  const errors = [...parsed.errors];
  const rows: ClaimRow[] = [];
  for (const r of parsed.records) {
    const checked = createClaimBody.safeParse(bodyOf(r.cells));
    if (!checked.success) {
      for (const issue of checked.error.issues)
        errors.push({
          row: r.row,
          field: columnOfPath(issue.path.join('.')),
          message: issue.message,
          ...fieldCodeOf(issue.code, issue, false),
        });
      continue;
    }
    try {
      checkProgram(checked.data);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      errors.push(...rowErrorsOf(r.row, e.errors, e.message));
      continue;
    }
    const { program: _program, ...input } = checked.data;
    rows.push({ row: r.row, input: input as ClaimInput });
  }
  return { rows, errors };
}
