// Proof under faults (issue 11 point 5): mixed writes from several clients against the real
// server on PostgreSQL, which is killed with SIGKILL at random moments and restarted; then
// every write answered 2xx is checked to be there, every history chain whole, every create
// retried with its Idempotency-Key made once, every queued mail sent, one association per
// workload. Used in a short bounded run by test/faults.test.ts (CI) and in full by
// scripts/faults.ts, whose figures are in docs/reliability.md.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { m365Claim, poeText, contactVerified } from '../harness.js';
import { startMailServer } from '../mail-server.js';
import { eventually, freePort, spawnCpor, type Child } from '../processes.js';
import { mulberry32 } from '../seeded.js';

export interface FaultOptions {
  /** An empty PostgreSQL database the server may use. */
  databaseUrl: string;
  kills: number;
  clients: number;
  /** Each life is killed after a random time in this range (ms of load). */
  lifeMs: [number, number];
  seed?: number;
  log?: (line: string) => void;
}

export interface FaultFigures {
  kills: number;
  requests: number;
  acknowledged: number;
  cutOff: number;
  retriedCreates: number;
  claims: number;
  historyEntries: number;
  mailsQueued: number;
  /** Mails a killed sender had leased, made due again. */
  leasesExpired: number;
  mailsDelivered: number;
  mailDuplicates: number;
  invariantsChecked: number;
  violations: string[];
}

const steps = ['create', 'document', 'submit', 'comment', 'start-review', 'approve'] as const;
type Step = (typeof steps)[number];
const statusAfter: Partial<Record<Step, string>> = {
  create: 'draft',
  submit: 'submitted',
  'start-review': 'in_review',
  approve: 'approved',
};
const statusOrder = ['draft', 'submitted', 'in_review', 'approved'];

interface Tracked {
  name: string;
  key: string;
  body: Record<string, unknown>;
  id?: string;
  acked: Step[];
  comments: string[];
}

export async function runFaults(opts: FaultOptions): Promise<FaultFigures> {
  const log = opts.log ?? (() => undefined);
  const random = mulberry32(opts.seed ?? 1);
  const dir = await mkdtemp(join(tmpdir(), 'cpor-faults-'));
  const smtp = await startMailServer();
  const figures: FaultFigures = {
    kills: 0,
    requests: 0,
    acknowledged: 0,
    cutOff: 0,
    retriedCreates: 0,
    claims: 0,
    historyEntries: 0,
    mailsQueued: 0,
    leasesExpired: 0,
    mailsDelivered: 0,
    mailDuplicates: 0,
    invariantsChecked: 0,
    violations: [],
  };
  let server: Child | null = null;
  let base = '';
  const start = async () => {
    const port = await freePort();
    server = spawnCpor('src/main.ts', {
      CPOR_DATA_DIR: dir,
      DATABASE_URL: opts.databaseUrl,
      CPOR_SMTP_URL: smtp.url,
      CPOR_PUBLIC_URL: 'http://faults.test',
      CPOR_SCHEDULER_INTERVAL_MS: '200',
      CPOR_ADMIN_EMAIL: 'admin@faults.example',
      CPOR_ADMIN_PASSWORD: 'faults-password-1',
      CPOR_LOG_LEVEL: 'warn',
      PORT: String(port),
      NODE_ENV: 'test',
    });
    base = `http://127.0.0.1:${port}/api/v1`;
    await eventually(
      async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok ?? false,
      120_000,
      'the server to start',
    );
  };
  const send = async (token: string | null, method: string, path: string, body?: unknown, key?: string) => {
    figures.requests += 1;
    const form = body instanceof FormData;
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(form || body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: form ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    return { status: res.status, json: json ?? {} };
  };
  const must = async (token: string | null, method: string, path: string, body?: unknown) => {
    const r = await send(token, method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  };

  const tracked: Tracked[] = [];
  try {
    await start();
    const tokenOf = async (email: string, password: string) =>
      (await must(null, 'POST', '/auth/token', { email, password })).token as string;
    const admin = await tokenOf('admin@faults.example', 'faults-password-1');
    const org = await must(admin, 'POST', '/organizations', {
      name: 'Fault Partners',
      locations: [{ mpnId: '1234567', name: 'Seattle' }],
    });
    for (const [email, roles, organizationId] of [
      ['partner@faults.example', ['global_admin'], org.id],
      ['reviewer@faults.example', ['reviewer'], undefined],
    ] as const)
      await must(admin, 'POST', '/users', {
        email,
        name: email,
        password: 'faults-password-2',
        roles,
        organizationId,
      });
    const partner = await tokenOf('partner@faults.example', 'faults-password-2');
    const reviewer = await tokenOf('reviewer@faults.example', 'faults-password-2');

    // One client: claims taken step by step until the server goes away under it.
    const client = async (alive: () => boolean) => {
      while (alive()) {
        const name = `Fault ${randomUUID().slice(0, 8)}`;
        const t: Tracked = {
          name,
          key: randomUUID(),
          body: m365Claim({
            name,
            customer: {
              domain: `${name.replace(' ', '-').toLowerCase()}.onmicrosoft.com`,
              tenantId: randomUUID(),
            },
          }),
          acked: [],
          comments: [],
        };
        tracked.push(t);
        for (const step of steps) {
          let r: { status: number; json: Record<string, unknown> };
          try {
            if (step === 'create') r = await send(partner, 'POST', '/claims', t.body, t.key);
            else if (step === 'document') {
              const form = new FormData();
              form.append('file', new Blob([poeText()], { type: 'text/plain' }), 'sow.txt');
              r = await send(partner, 'POST', `/claims/${t.id}/documents`, form, `${t.key}-doc`);
            } else if (step === 'comment') {
              r = await send(
                partner,
                'POST',
                `/claims/${t.id}/comments`,
                { text: `note ${t.name}` },
                `${t.key}-c`,
              );
            } else if (step === 'submit') r = await send(partner, 'POST', `/claims/${t.id}/submit`);
            else
              r = await send(
                reviewer,
                'POST',
                `/claims/${t.id}/${step}`,
                step === 'approve' ? contactVerified : undefined,
              );
          } catch {
            figures.cutOff += 1;
            return; // the server died under this request: its outcome is unknown
          }
          if (r.status >= 300) {
            figures.violations.push(`${step} of ${t.name} answered ${r.status} ${JSON.stringify(r.json)}`);
            break;
          }
          figures.acknowledged += 1;
          t.acked.push(step);
          if (step === 'create') t.id = r.json.id as string;
          if (step === 'comment') t.comments.push(r.json.id as string);
        }
      }
    };

    for (let life = 0; life < opts.kills; life++) {
      let alive = true;
      const load = Promise.all(Array.from({ length: opts.clients }, () => client(() => alive)));
      const [lo, hi] = opts.lifeMs;
      await new Promise((r) => setTimeout(r, lo + random() * (hi - lo)));
      alive = false;
      await (server as Child | null)?.crash();
      figures.kills += 1;
      await load;
      log(`life ${life + 1}: killed after ${figures.acknowledged} acknowledged writes so far`);
      await start();
    }

    // The clients retry what was cut off: a create with its key makes the claim once.
    for (const t of tracked.filter((x) => !x.acked.includes('create'))) {
      figures.retriedCreates += 1;
      const r = await send(partner, 'POST', '/claims', t.body, t.key);
      if (r.status !== 201) figures.violations.push(`retried create of ${t.name} answered ${r.status}`);
      else t.id = r.json.id as string;
    }

    // Invariants, through the API and in the database.
    const check = (ok: boolean, what: string) => {
      figures.invariantsChecked += 1;
      if (!ok) figures.violations.push(what);
    };
    for (const t of tracked) {
      if (!t.id) continue;
      const claim = await send(reviewer, 'GET', `/claims/${t.id}`);
      check(claim.status === 200, `acknowledged claim ${t.name} is missing (${claim.status})`);
      if (claim.status !== 200) continue;
      const lastStatus = [...t.acked]
        .reverse()
        .map((s) => statusAfter[s])
        .find(Boolean);
      const status = claim.json.status as string;
      if (lastStatus)
        check(
          statusOrder.indexOf(status) >= statusOrder.indexOf(lastStatus),
          `${t.name} is ${status} after an acknowledged ${lastStatus}`,
        );
      if (t.acked.includes('document'))
        check(Number(claim.json.documentCount) >= 1, `${t.name} lost its acknowledged document`);
      if (t.comments.length) {
        const comments = (await must(reviewer, 'GET', `/claims/${t.id}/comments`)).items as { id: string }[];
        for (const c of t.comments)
          check(
            comments.some((x) => x.id === c),
            `${t.name} lost comment ${c}`,
          );
      }
      const verdict = await must(reviewer, 'GET', `/claims/${t.id}/history/verify`);
      check(verdict.valid === true, `${t.name}: history chain broken at ${String(verdict.brokenAt)}`);
      figures.historyEntries += Number(verdict.length);
    }

    const db = new pg.Client({ connectionString: opts.databaseUrl });
    await db.connect();
    try {
      const q = async (text: string) => (await db.query(text)).rows as Record<string, unknown>[];
      const dupNames = await q(`SELECT name FROM claims GROUP BY name HAVING count(*) > 1`);
      check(dupNames.length === 0, `claims created twice: ${dupNames.map((r) => String(r.name)).join(', ')}`);
      figures.claims = Number((await q(`SELECT count(*) AS n FROM claims`))[0]?.n);
      const doubleHeld = await q(
        `SELECT tenant_id, product_id FROM associations WHERE ended_at IS NULL
         GROUP BY tenant_id, product_id, subscription_id HAVING count(*) > 1`,
      );
      check(doubleHeld.length === 0, `workloads held twice: ${JSON.stringify(doubleHeld)}`);
      // Every mail queued is sent, once per Message-ID. A sender killed mid-send left its rows
      // leased for 5 minutes (outbox-sender.ts): that time is made to pass here.
      figures.leasesExpired =
        (
          await db.query(
            `UPDATE outbox SET available_at = now() WHERE kind = 'email' AND sent_at IS NULL
           AND failed_at IS NULL AND available_at > now()`,
          )
        ).rowCount ?? 0;
      await eventually(
        async () =>
          Number(
            (
              await q(
                `SELECT count(*) AS n FROM outbox WHERE kind = 'email' AND sent_at IS NULL AND failed_at IS NULL`,
              )
            )[0]?.n,
          ) === 0,
        120_000,
        'the outbox to drain',
      );
      figures.mailsQueued = Number((await q(`SELECT count(*) AS n FROM outbox WHERE kind = 'email'`))[0]?.n);
      const failed = Number(
        (await q(`SELECT count(*) AS n FROM outbox WHERE kind = 'email' AND failed_at IS NOT NULL`))[0]?.n,
      );
      check(failed === 0, `${failed} mails failed`);
      const ids = smtp.mails.map((m) => m.parsed.messageId ?? '');
      figures.mailsDelivered = new Set(ids).size;
      figures.mailDuplicates = ids.length - figures.mailsDelivered;
      check(
        figures.mailsDelivered >= figures.mailsQueued,
        `${figures.mailsQueued} mails queued, ${figures.mailsDelivered} delivered`,
      );
    } finally {
      await db.end();
    }
  } finally {
    await (server as Child | null)?.crash();
    await smtp.close();
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
}
