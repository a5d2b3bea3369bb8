// Rows of the claims import (api.md "Bulk import") for tests: a complete row, and a file of rows.
import { randomUUID } from 'node:crypto';
import { claimImportColumns } from '../src/claims/claims-import.js';

/** A complete row for partner A (mpnId 1234567), one claim per customer tenant. */
export function row(i: number, over: Partial<Record<(typeof claimImportColumns)[number], string>> = {}) {
  const cells: Record<string, string> = {
    name: `Imported claim ${i}`,
    mpnId: '1234567',
    customerDomain: `customer${i}.onmicrosoft.com`,
    customerTenantId: randomUUID(),
    solutionArea: 'microsoft_365',
    activity: 'usage',
    products: 'exchange_online;teams',
    customerContactName: `Customer ${i}`,
    customerContactTitle: 'CIO',
    customerContactEmail: `it${i}@customer${i}.example`,
    partnerContactName: 'Paula Partner',
    partnerContactEmail: 'paula@a.example',
    ...over,
  };
  return cells;
}

/** The rows as a CSV file with the columns they use, in the template's order. */
export function csvOf(rows: Record<string, string>[]) {
  const header = claimImportColumns.filter((c) => rows.some((r) => c in r));
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header.join(','), ...rows.map((r) => header.map((c) => quote(r[c] ?? '')).join(','))].join('\r\n');
}
