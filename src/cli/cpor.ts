// `npx cpor <command>` (docs/api.md "Command line"): one program for the server, the worker
// and the operator's tasks, with the server's settings (read from the environment).
// Exit codes: 0 done, 1 a failure the command reports, 2 bad usage (arguments or settings).
// Each command is a function of its feature; this file only parses arguments (commander).
// The program's modules are imported when a command runs, not before: `--help` and bad usage
// answer at once instead of loading the server, the database drivers and the PDF writer.
import { join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config.js';
import type { Deps } from '../deps.js';

/** A failure the command reports in words (exit 1). */
export class CliFailure extends Error {}
/** Bad usage the program finds after parsing, e.g. a file that is not there (exit 2). */
export class UsageError extends Error {}

export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream;
}

const defaultIo: Io = { out: process.stdout, err: process.stderr, env: process.env, stdin: process.stdin };

/** Runs `fn` with the program's dependencies, and closes the database afterwards. */
async function withDeps<T>(io: Io, fn: (deps: Deps) => Promise<T>): Promise<T> {
  const config = settings(io);
  const { openDeps } = await import('../boot.js');
  const deps = await openDeps(config);
  try {
    return await fn(deps);
  } finally {
    await deps.db.destroy();
  }
}

function settings(io: Io): Config {
  return loadConfig(io.env);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

export function program(io: Io = defaultIo): Command {
  const say = (s: string) => io.out.write(`${s}\n`);
  const cpor = new Command('cpor')
    .description(
      'cpor: customer association claims (CPOR). Settings come from the environment, as for the server (README "Settings").',
    )
    .showHelpAfterError('(cpor --help lists the commands; cpor <command> --help explains one)')
    .configureOutput({
      writeOut: (s) => io.out.write(s),
      writeErr: (s) => io.err.write(s),
    })
    .exitOverride();

  cpor
    .command('serve')
    .description(
      'Run the web UI, the API and the scheduler (what `npm start` runs); stops on SIGTERM / SIGINT.',
    )
    .action(async () => {
      const config = settings(io);
      const [{ serve }, { stopOnSignal }] = await Promise.all([import('../serve.js'), import('../boot.js')]);
      stopOnSignal((await serve(config)).stop);
    });

  cpor
    .command('worker')
    .description(
      'Run the scheduler alone (deadlines, mail, webhooks), no API; as many as you like on one PostgreSQL server.',
    )
    .action(async () => {
      const config = settings(io);
      const [{ runWorker }, { stopOnSignal }] = await Promise.all([
        import('../run-worker.js'),
        import('../boot.js'),
      ]);
      stopOnSignal((await runWorker(config)).stop);
    });

  cpor
    .command('migrate')
    .description('Apply the database migrations not applied yet, and say which.')
    .action(async () => {
      const config = settings(io);
      const { migrate, openDatabase } = await import('../db/database.js');
      const db = await openDatabase({
        url: config.DATABASE_URL,
        dataDir: join(resolve(config.CPOR_DATA_DIR), 'db'),
      });
      try {
        const applied = await migrate(db);
        say(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
      } finally {
        await db.destroy();
      }
    });

  cpor
    .command('create-admin')
    .description('Create a platform admin. Without --password-stdin a one-time password is printed.')
    .requiredOption('--email <email>', 'sign-in email of the new admin')
    .option('--name <name>', 'display name', 'Platform admin')
    .option(
      '--password-stdin',
      'read the password from standard input (not from the command line, where others see it)',
    )
    .action(async (o: { email: string; name: string; passwordStdin?: boolean }) => {
      const { newSecret } = await import('../people/passwords.js');
      const password = o.passwordStdin ? (await readAll(io.stdin)).replace(/\r?\n$/, '') : newSecret(12);
      await withDeps(io, async (deps) => {
        const { createPlatformAdmin } = await import('../people/people-commands.js');
        const user = await createPlatformAdmin(deps, {
          email: o.email,
          name: o.name,
          password,
          // A printed password must be changed at the first sign-in.
          mustChangePassword: !o.passwordStdin,
        });
        say(`platform admin ${user.email} created (id ${user.id})`);
        if (!o.passwordStdin) say(`one-time password: ${password}`);
      });
    });

  cpor
    .command('export')
    .description(
      'Write every claim or every association in force as CSV to standard output (as the API exports them).',
    )
    .argument('<what>', 'claims | associations')
    .option('--status <statuses>', 'claims only: comma-separated statuses, e.g. approved,rejected')
    .action(async (what: string, o: { status?: string }) => {
      if (what !== 'claims' && what !== 'associations')
        throw new UsageError(`export: "${what}" is not claims or associations`);
      if (o.status && what !== 'claims') throw new UsageError('export: --status applies to claims only');
      const statuses = o.status?.split(',').map((x) => x.trim());
      const { statuses: known } = await import('../domain/claim.js');
      const unknown = statuses?.filter((x) => !(known as readonly string[]).includes(x)) ?? [];
      if (unknown.length)
        throw new UsageError(`export: unknown status ${unknown.join(', ')} (known: ${known.join(', ')})`);
      const operator = operatorActor('cpor export');
      await withDeps(io, async (deps) => {
        const progress = (await import('./progress.js')).progressOn(io.err);
        progress.start(null, `${what}`);
        let n = 0;
        const lines =
          what === 'claims'
            ? (await import('../claims/claims-export.js')).claimsCsv(deps, operator, {
                status: statuses,
              })
            : await associationLines(deps);
        for await (const line of lines) {
          if (!io.out.write(line)) await new Promise((r) => io.out.once('drain', r));
          if (n++ % 1000 === 0) progress.update(n);
        }
        progress.stop();
      });
    });

  cpor
    .command('import-claims')
    .description(
      'Import claims from a CSV file (the columns of GET /api/v1/claims/import-template) as drafts of one organization: all rows or none (api.md "Bulk import").',
    )
    .argument('<file>', 'the CSV file (UTF-8, a header row)')
    .requiredOption('--organization <id>', 'the id of the organization the claims are for')
    .option('--dry-run', 'check every row and create nothing')
    .action(async (file: string, o: { organization: string; dryRun?: boolean }) => {
      const [{ claimImportLimits, readClaimsCsv }, { importClaims, importingOrganization }] =
        await Promise.all([
          import('../claims/claims-import.js'),
          import('../claims/commands/import-claims.js'),
        ]);
      const text = await csvFile(file, claimImportLimits);
      await withDeps(io, async (deps) => {
        const actor = operatorActor('cpor import-claims');
        const organizationId = await importingOrganization(deps, actor, o.organization);
        const read = await rowsOf(() => readClaimsCsv(text), claimImportLimits.maxRows);
        const progress = (await import('./progress.js')).progressOn(io.err);
        progress.start(read.rows.length, 'claims');
        const report = await importClaims(deps, actor, {
          organizationId,
          rows: read.rows,
          errors: read.errors,
          dryRun: o.dryRun === true,
          progress: (n) => progress.update(n),
        });
        progress.stop();
        sayReport(report, 'claims imported as drafts', o.dryRun === true);
      });
    });

  cpor
    .command('import-associations')
    .description(
      'Import legacy associations (R-UNIQ-4) from a CSV file with the header mpnId,tenantId,productId,subscriptionId,expiresAt: all rows or none.',
    )
    .argument('<file>', 'the CSV file (UTF-8, a header row)')
    .option('--dry-run', 'check every row and create nothing')
    .action(async (file: string, o: { dryRun?: boolean }) => {
      const { importLegacyAssociations, legacyImportLimits, readLegacyCsv } =
        await import('../associations/associations-import.js');
      const text = await csvFile(file, legacyImportLimits);
      await withDeps(io, async (deps) => {
        const read = await rowsOf(() => readLegacyCsv(text), legacyImportLimits.maxRows);
        const progress = (await import('./progress.js')).progressOn(io.err);
        progress.start(read.records.length, 'associations');
        const report = await importLegacyAssociations(deps, operatorActor('cpor import-associations'), {
          rows: read.records,
          errors: read.errors,
          dryRun: o.dryRun === true,
          progress: (n) => progress.update(n),
        });
        progress.stop();
        sayReport(report, 'legacy associations imported', o.dryRun === true);
      });
    });

  /** An import's outcome: every error by row and column (exit 1), or what was done. */
  function sayReport(
    report: { rows: number; created: string[]; errors: { row: number; field: string; message: string }[] },
    done: string,
    dryRun: boolean,
  ) {
    for (const e of report.errors) say(`row ${e.row}, ${e.field}: ${e.message}`);
    if (report.errors.length > 0)
      throw new CliFailure(
        `${new Set(report.errors.map((e) => e.row)).size} of ${report.rows} rows have errors; nothing was imported`,
      );
    say(
      dryRun
        ? `${report.rows} rows checked, no errors; nothing was imported (dry run)`
        : `${report.created.length} ${done}`,
    );
  }

  cpor
    .command('verify-history')
    .description(
      "Recompute every claim history's hash chain (R-HIST-1); exit 1 and name the broken claims when any chain is broken.",
    )
    .action(async () => {
      const [{ verifyEveryHistory }, { historyCount }, { progressOn }, { withCaller }, { systemActor }] =
        await Promise.all([
          import('../claims/claims-queries.js'),
          import('../claims/claims-repository.js'),
          import('./progress.js'),
          import('../db/transaction.js'),
          import('../domain/actor.js'),
        ]);
      await withDeps(io, async (deps) => {
        const progress = progressOn(io.err);
        // Every claim's history: the system's view (row-level security, issue 11 point 1).
        const totals = await withCaller(deps.db, systemActor, async (q) => {
          progress.start(await historyCount(q), 'history entries');
          return verifyEveryHistory(q, {
            broken: (claimId, v) => say(`broken: claim ${claimId} at entry ${v.brokenAt} of ${v.length}`),
            progress: (read) => progress.update(read),
          });
        });
        progress.stop();
        say(`${totals.claims} claims, ${totals.entries} history entries, ${totals.broken} broken chains`);
        if (totals.broken > 0) throw new CliFailure(`${totals.broken} claim histories are broken`);
      });
    });

  cpor
    .command('generate')
    .description(
      'Load realistic organizations, users, tenants and claims in every status (history, deadlines, associations) for benchmarks; --due adds approved claims whose consent windows have passed.',
    )
    .requiredOption('--claims <n>', 'how many claims', count('--claims'))
    .option(
      '--due <m>',
      'approved claims whose consent window is due now, for the scheduler to drain',
      count('--due'),
      0,
    )
    .option(
      '--seed <n>',
      'seed of the random choices (the same seed, the same kind of data)',
      count('--seed'),
      1,
    )
    .action(async (o: { claims: number; due: number; seed: number }) => {
      const config = settings(io);
      const [{ openDepsAndOwner }, { generate }, { progressOn }, { listHolidays }] = await Promise.all([
        import('../boot.js'),
        import('../demo/generate.js'),
        import('./progress.js'),
        import('../calendar/holidays-repository.js'),
      ]);
      const { deps, owner } = await openDepsAndOwner(config);
      try {
        const progress = progressOn(io.err);
        const started = Date.now();
        progress.start(o.claims + o.due, 'claims');
        const r = await generate(owner, deps.storage, {
          claims: o.claims,
          due: o.due,
          seed: o.seed,
          now: deps.clock.now(),
          limits: deps.limits,
          timeZone: config.CPOR_TIME_ZONE,
          holidays: (await listHolidays(deps.db)).map((h) => h.date),
          progress: (n) => progress.update(n),
        });
        progress.stop();
        const statuses = Object.entries(r.byStatus)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([s, n]) => `${s} ${n}`)
          .join(', ');
        say(`${r.organizations} organizations, ${r.users} users, ${r.tenants} tenants`);
        say(`${r.claims} claims (${statuses}), ${r.history} history entries, ${r.associations} associations`);
        say(`${r.deadlinesDue} deadlines due now; ${((Date.now() - started) / 1000).toFixed(1)} s`);
        say(`every generated user signs in with the password ${r.password}`);
      } finally {
        await owner.destroy();
      }
    });

  cpor
    .command('demo')
    .description('Load the demo organizations, users, tenants and claims into an empty database.')
    .action(async () => {
      const { loadDemo } = await import('../demo/demo-data.js');
      await withDeps(io, async (deps) => {
        if (!(await loadDemo(deps, say)))
          throw new CliFailure('the database has organizations already: the demo loads into an empty one');
      });
    });

  return cpor;
}

/** A whole number >= 0 given on the command line (bad usage otherwise). */
function count(flag: string) {
  return (v: string) => {
    if (!/^[0-9]+$/.test(v)) throw new InvalidArgumentError(`${flag} takes a whole number, not "${v}"`);
    return Number(v);
  };
}

/** The operator at the machine acts as a platform admin does (history names the command). */
function operatorActor(name: string) {
  return {
    kind: 'system' as const,
    id: null,
    name,
    roles: ['platform_admin' as const],
    organizationId: null,
  };
}

/** An import's file: missing is bad usage (2); too large is a reported failure (1). */
async function csvFile(file: string, limits: { maxBytes: number }): Promise<string> {
  const { readFile, stat } = await import('node:fs/promises');
  const size = await stat(file).then(
    (s) => s.size,
    () => {
      throw new UsageError(`${file}: no such file`);
    },
  );
  if (size > limits.maxBytes)
    throw new CliFailure(`${file} is larger than ${limits.maxBytes} bytes, the limit of an import`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
  } catch {
    throw new CliFailure(`${file} is not UTF-8 text (save the CSV as UTF-8)`);
  }
}

/** Reads the rows, or fails naming the limit. */
async function rowsOf<T>(read: () => T, maxRows: number): Promise<T> {
  const { TooManyRows } = await import('../lib/csv-import.js');
  try {
    return read();
  } catch (e) {
    if (e instanceof TooManyRows) throw new CliFailure(`the file has more than ${maxRows} rows; split it`);
    throw e;
  }
}

/** Every association in force, as `GET /associations?format=csv` writes them for a platform admin. */
async function associationLines(deps: Deps) {
  const [{ associationsCsv, pageOf }, { associationsInForce }, { withCaller }, { systemActor }] =
    await Promise.all([
      import('../associations/associations-queries.js'),
      import('../associations/associations-repository.js'),
      import('../db/transaction.js'),
      import('../domain/actor.js'),
    ]);
  return associationsCsv((cursor) =>
    pageOf(
      (after, limit) =>
        withCaller(deps.db, systemActor, (q) =>
          associationsInForce(q, { organizationId: null, after, limit }),
        ),
      (a) => a.since,
      200,
      cursor,
    ),
  );
}

/** Runs the program on `argv` (without node and the script); resolves to the exit code. */
export async function run(argv: string[], io: Io = defaultIo): Promise<number> {
  try {
    await program(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ConfigError || e instanceof UsageError) {
      io.err.write(`${e.message}\n`);
      return 2;
    }
    io.err.write(`cpor: ${e instanceof Error ? e.message : String(e)}\n`);
    // A refused input names its fields (a DomainError's `errors`, as problem+json does).
    const fields = (e as { errors?: { path: string; message: string }[] }).errors;
    for (const f of fields ?? []) io.err.write(`  ${f.path}: ${f.message}\n`);
    if (!(e instanceof CliFailure) && io.env.CPOR_LOG_LEVEL === 'debug')
      io.err.write(`${String((e as Error).stack)}\n`);
    return 1;
  }
}
