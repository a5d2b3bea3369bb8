// The `cpor` command line through its own binary (bin/cpor.mjs), as an operator runs it:
// help, exit codes (0 done, 1 reported failure, 2 bad usage), and the commands against a real
// database (the embedded one, and the PostgreSQL server when TEST_DATABASE_URL is set).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import parse from 'parse-prometheus-text-format';
import { openDatabase } from '../src/db/database.js';
import { dbTargets, type DbTarget } from './harness.js';
import { freePort, spawnCpor } from './processes.js';
import { cpor, emptyDatabase } from './cli-run.js';

describe('cpor: usage', () => {
  it('--help lists every command and exits 0', async () => {
    const r = await cpor(['--help'], {});
    expect(r.code).toBe(0);
    for (const c of ['serve', 'worker', 'migrate', 'create-admin', 'demo']) expect(r.stdout).toContain(c);
  });

  it('each command has its own --help', async () => {
    const r = await cpor(['create-admin', '--help'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--email <email>');
    expect(r.stdout).toContain('--password-stdin');
  });

  it('bad usage exits 2 and says what is wrong', async () => {
    const unknown = await cpor(['frobnicate'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const missing = await cpor(['create-admin'], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--email');
    const none = await cpor([], {});
    expect(none.code).toBe(2);
  });

  it('a bad setting exits 2 naming the variable', async () => {
    const r = await cpor(['migrate'], { PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PORT');
  });
});

// The commands once, on the server when there is one (each run of the binary opens the
// database anew: the embedded one costs seconds per start), else on the embedded database.
const target: DbTarget = dbTargets().includes('postgres') ? 'postgres' : 'pglite';

describe(`cpor on ${target}`, { timeout: 180_000 }, () => {
  let database: Awaited<ReturnType<typeof emptyDatabase>>;
  beforeAll(async () => {
    database = await emptyDatabase(target);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('migrate applies the migrations, then says the database is up to date', async () => {
    const first = await cpor(['migrate'], database.env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^applied: 0001-initial, /);
    const again = await cpor(['migrate'], database.env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('the database is up to date');
  });

  it('create-admin makes a platform admin who can sign in; the same email again fails with exit 1', async () => {
    const made = await cpor(
      ['create-admin', '--email', 'ops@cli.example', '--name', 'Ops', '--password-stdin'],
      database.env,
      'a-long-password-1\n',
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('platform admin ops@cli.example created');
    expect(made.stdout).not.toContain('one-time password');
    const twice = await cpor(['create-admin', '--email', 'ops@cli.example'], database.env);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('email');

    const generated = await cpor(['create-admin', '--email', 'ops2@cli.example'], database.env);
    expect(generated.code, generated.stderr).toBe(0);
    const password = /one-time password: (\S+)/.exec(generated.stdout)?.[1];
    expect(password).toBeTruthy();

    // The server, started by `cpor serve`, takes both sign-ins, and stops on SIGTERM with 0.
    const port = await freePort();
    const server = spawnCpor('bin/cpor.mjs', { ...database.env, PORT: String(port), NODE_ENV: 'test' }, [
      'serve',
    ]);
    try {
      await server.waitFor(/Server listening/);
      for (const [email, pw] of [
        ['ops@cli.example', 'a-long-password-1'],
        ['ops2@cli.example', password!],
      ]) {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: pw }),
        });
        expect(res.status, email).toBe(200);
      }
    } finally {
      await server.stop();
    }
    expect(server.proc.exitCode).toBe(0);
  });

  it('cpor worker serves its own /healthz and /metrics on CPOR_WORKER_PORT (api.md "Health")', async () => {
    const port = await freePort();
    const worker = spawnCpor('bin/cpor.mjs', { ...database.env, CPOR_WORKER_PORT: String(port) }, ['worker']);
    try {
      await worker.waitFor(/health and metrics on/);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      const families = parse(await metrics.text());
      const value = (name: string) => Number(families.find((f) => f.name === name)?.metrics[0]?.value);
      expect(value('cpor_deadlines_due')).toBe(0);
      expect(value('cpor_webhook_deliveries_dead')).toBe(0);
      expect(families.map((f) => f.name)).toEqual(
        expect.arrayContaining(['cpor_outbox_pending', 'cpor_claims_overdue', 'process_cpu_seconds_total']),
      );
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/claims`)).status).toBe(404);
    } finally {
      await worker.stop();
    }
    expect(worker.proc.exitCode).toBe(0);
  });

  it('demo loads into an empty database once; a second time is a reported failure', async () => {
    const first = await cpor(['demo'], database.env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Demo data loaded');
    const second = await cpor(['demo'], database.env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('organizations already');
  });

  it('export writes claims and associations as CSV to stdout, filtered by status; bad usage exits 2', async () => {
    const all = await cpor(['export', 'claims'], database.env);
    expect(all.code, all.stderr).toBe(0);
    const lines = all.stdout.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,name,status,/);
    expect(lines.length).toBeGreaterThan(5);
    const approved = await cpor(['export', 'claims', '--status', 'approved'], database.env);
    expect(approved.code, approved.stderr).toBe(0);
    const rows = approved.stdout.trim().split('\r\n').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(lines.length - 1);
    for (const r of rows) expect(r.split(',')[2]).toBe('approved');
    const associations = await cpor(['export', 'associations'], database.env);
    expect(associations.code, associations.stderr).toBe(0);
    expect(associations.stdout).toMatch(/^id,claimId,organizationId,/);
    expect(associations.stdout.trim().split('\r\n').length).toBeGreaterThan(1);
    const wrong = await cpor(['export', 'tenants'], database.env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('not claims or associations');
    const badStatus = await cpor(['export', 'claims', '--status', 'won'], database.env);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('unknown status won');
  });

  it('verify-history passes on the demo; an entry rewritten behind the server names its claim, exit 1 (R-HIST-1)', async () => {
    const clean = await cpor(['verify-history'], database.env);
    expect(clean.code, clean.stderr).toBe(0);
    const [, claims, entries] =
      /(\d+) claims, (\d+) history entries, 0 broken chains/.exec(clean.stdout) ?? [];
    expect(Number(claims)).toBeGreaterThan(5);
    expect(Number(entries)).toBeGreaterThan(Number(claims));

    // As the owner, with the append-only trigger set aside: what an attacker with the
    // database's password could do. The chain still tells.
    const db = await openDatabase(
      database.env.DATABASE_URL
        ? { url: database.env.DATABASE_URL }
        : { dataDir: join(database.env.CPOR_DATA_DIR!, 'db') },
    );
    let victim: string;
    try {
      const { rows } = await sql<{ claim_id: string }>`
        SELECT claim_id FROM claim_history WHERE seq = 2 ORDER BY claim_id LIMIT 1`.execute(db);
      victim = rows[0]!.claim_id;
      await sql`ALTER TABLE claim_history DISABLE TRIGGER claim_history_no_change`.execute(db);
      await sql`UPDATE claim_history SET actor_name = 'Someone else' WHERE claim_id = ${victim} AND seq = 2`.execute(
        db,
      );
      await sql`ALTER TABLE claim_history ENABLE TRIGGER claim_history_no_change`.execute(db);
    } finally {
      await db.destroy();
    }
    const broken = await cpor(['verify-history'], database.env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`broken: claim ${victim} at entry 2 of `);
    expect(broken.stdout).toContain(', 1 broken chains');
    expect(broken.stderr).toContain('1 claim histories are broken');
  });

  it('import-claims and import-associations: a dry run, the import, bad rows (exit 1, row and column named), bad usage (exit 2)', async () => {
    const open = () =>
      openDatabase(
        database.env.DATABASE_URL
          ? { url: database.env.DATABASE_URL }
          : { dataDir: join(database.env.CPOR_DATA_DIR!, 'db') },
      );
    const db = await open();
    const count = async (table: 'claims' | 'associations') =>
      Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db)).rows[0]?.n,
      );
    let location: { organization_id: string; mpn_id: string };
    let claims: number;
    let associations: number;
    try {
      location = (
        await sql<{ organization_id: string; mpn_id: string }>`
          SELECT organization_id, mpn_id FROM partner_locations ORDER BY mpn_id LIMIT 1`.execute(db)
      ).rows[0]!;
      [claims, associations] = [await count('claims'), await count('associations')];
    } finally {
      await db.destroy();
    }
    const dir = await mkdtemp(join(tmpdir(), 'cpor-import-'));
    const file = async (name: string, lines: string[]) => {
      const path = join(dir, name);
      await writeFile(path, lines.join('\n'));
      return path;
    };
    const claimRow = (i: number, mpnId = location.mpn_id) =>
      `CLI claim ${i},${mpnId},cli${i}.onmicrosoft.com,${randomUUID()},microsoft_365,usage,exchange_online`;
    const claimsHeader = 'name,mpnId,customerDomain,customerTenantId,solutionArea,activity,products';
    const good = await file('good.csv', [claimsHeader, claimRow(1), claimRow(2), claimRow(3)]);
    const org = ['--organization', location.organization_id];

    const dry = await cpor(['import-claims', good, ...org, '--dry-run'], database.env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('3 rows checked, no errors; nothing was imported (dry run)');
    const done = await cpor(['import-claims', good, ...org], database.env);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('3 claims imported as drafts');
    // Not a terminal: plain progress lines on stderr, stdout kept for the outcome.
    expect(done.stderr).toContain('claims: 3/3 (100%)');
    const bad = await file('bad.csv', [claimsHeader, claimRow(4), claimRow(5, '12'), claimRow(6)]);
    const refused = await cpor(['import-claims', bad, ...org], database.env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('row 3, mpnId: must be 6 to 8 digits');
    expect(refused.stderr).toContain('1 of 3 rows have errors; nothing was imported');
    expect((await cpor(['import-claims', join(dir, 'missing.csv'), ...org], database.env)).code).toBe(2);
    expect((await cpor(['import-claims', good], database.env)).code).toBe(2);
    const noOrg = await cpor(['import-claims', good, '--organization', randomUUID()], database.env);
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toContain('organizationId: is not an organization');

    const legacyHeader = 'mpnId,tenantId,productId,subscriptionId,expiresAt';
    const legacy = await file('legacy.csv', [
      legacyHeader,
      `${location.mpn_id},${randomUUID()},teams,,2099-12-31`,
      `${location.mpn_id},${randomUUID()},intune,,2099-12-31T00:00:00Z`,
    ]);
    const legacyDry = await cpor(['import-associations', legacy, '--dry-run'], database.env);
    expect(legacyDry.code, legacyDry.stderr).toBe(0);
    expect(legacyDry.stdout).toContain('2 rows checked, no errors');
    const legacyDone = await cpor(['import-associations', legacy], database.env);
    expect(legacyDone.code, legacyDone.stderr).toBe(0);
    expect(legacyDone.stdout).toContain('2 legacy associations imported');
    // The same file again: each row collides with what the first import created.
    const twice = await cpor(['import-associations', legacy], database.env);
    expect(twice.code).toBe(1);
    expect(twice.stdout).toContain('row 2, productId: is associated already');
    expect(twice.stdout).toContain('row 3, productId: is associated already');

    const after = await open();
    try {
      const now = async (table: 'claims' | 'associations') =>
        Number(
          (await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(after)).rows[0]?.n,
        );
      expect(await now('claims')).toBe(claims + 3);
      expect(await now('associations')).toBe(associations + 2);
    } finally {
      await after.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
