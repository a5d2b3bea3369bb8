// Use case (api.md "Bulk import"): the rows of a CSV file become drafts of one organization,
// all or none, in one transaction. Each row goes through `draftOf` / `checkDraft` /
// `writeDrafts`, the code of a single create; the rule context (catalog, the organization's
// locations, the tenants) is read once for all rows, and the rows are written in chunks. Imported claims are drafts (domain.md R-SUB-1: a claim is
// submitted with its PoE, which a CSV cannot carry). A dry run checks every row and writes
// nothing.
import type { Deps } from '../../deps.js';
import { inTransaction, withCaller } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, validationFailed } from '../../domain/errors.js';
import type { RowError } from '../../lib/csv-import.js';
import { rowErrorsOf, type ClaimRow } from '../claims-import.js';
import { loadProducts, loadTenants, organizationOfClaim, ruleFacts } from '../claims-repository.js';
import { authorizeCreate, checkDraft, draftOf, writeDrafts } from './create-claim.js';

/** Drafts written per step (the command line's progress moves by as many). */
const writeChunk = 500;

export interface ImportReport {
  /** How many rows the file had. */
  rows: number;
  created: string[];
  errors: RowError[];
}

/** What a rolled-back import answers (a dry run, or a row was refused). */
class RolledBack extends Error {
  constructor(readonly report: ImportReport) {
    super('rolled back');
  }
}

/**
 * Who imports for which organization: a partner user who writes claims, for its own
 * organization (R-ROLE-1); a platform admin, for the organization it names (a migration from
 * another system, the command line). Reviewers never create claims.
 */
export async function importingOrganization(
  deps: Deps,
  actor: Actor,
  organizationId: string | undefined,
): Promise<string> {
  if (actor.roles.includes('platform_admin') && !actor.organizationId) {
    if (!organizationId)
      throw validationFailed([
        { path: 'organizationId', message: 'is required for a platform admin', code: 'required' },
      ]);
    if (!(await withCaller(deps.db, actor, (q) => organizationOfClaim(q, organizationId))))
      throw validationFailed([
        { path: 'organizationId', message: 'is not an organization', code: 'not_found' },
      ]);
    return organizationId;
  }
  const own = authorizeCreate(actor);
  if (organizationId !== undefined && organizationId !== own)
    throw forbidden('Partner users import claims for their own organization only.');
  return own;
}

export async function importClaims(
  deps: Deps,
  actor: Actor,
  job: {
    organizationId: string;
    rows: ClaimRow[];
    /** Rows already refused while reading the file: nothing is created. */
    errors: RowError[];
    dryRun: boolean;
    /** Called after each row (the command line's progress). */
    progress?: (done: number) => void;
  },
): Promise<ImportReport> {
  const total = job.rows.length + new Set(job.errors.map((e) => e.row)).size;
  try {
    return await inTransaction(deps.db, actor, async (tx) => {
      const now = deps.clock.now();
      const drafts = job.rows.map((r) => ({ ...r, claim: draftOf(job.organizationId, r.input) }));
      const [products, { organizationMpnIds: organizationMpns, disabled }, tenants] = await Promise.all([
        loadProducts(tx),
        ruleFacts(tx, null, job.organizationId),
        loadTenants(tx, [...new Set(drafts.flatMap((d) => (d.claim.tenantId ? [d.claim.tenantId] : [])))]),
      ]);
      const errors = [...job.errors];
      const good: typeof drafts = [];
      for (const d of drafts) {
        try {
          checkDraft(d.claim, {
            products,
            tenant: (d.claim.tenantId && tenants.get(d.claim.tenantId)) || null,
            organizationMpnIds: organizationMpns,
            disabled,
          });
          good.push(d);
        } catch (e) {
          if (!(e instanceof DomainError) || e.code !== 'validation_failed') throw e;
          errors.push(...rowErrorsOf(d.row, e.errors, e.message));
        }
      }
      errors.sort((a, b) => a.row - b.row);
      if (errors.length > 0) throw new RolledBack({ rows: total, created: [], errors });
      // A dry run writes too (then rolls back): what the database itself refuses shows.
      for (let i = 0; i < good.length; i += writeChunk) {
        await writeDrafts(tx, actor, good.slice(i, i + writeChunk), now);
        job.progress?.(Math.min(i + writeChunk, good.length));
      }
      if (job.dryRun) throw new RolledBack({ rows: total, created: [], errors: [] });
      return { rows: total, created: good.map((d) => d.claim.id), errors: [] };
    });
  } catch (e) {
    if (e instanceof RolledBack) return e.report;
    throw e;
  }
}
