// What the runtime role and row-level security cost (issue 11 point 1), measured on the very
// queries of the claim view, the claim list and a write, side by side in one process so that
// the load of a shared machine falls on both sides alike: each round runs the owner's bare
// queries (no role, no policy, no transaction: what main did before issue 11) and the same
// queries as the application runs them now (withCaller / inTransaction as a partner, under
// the policies), interleaved; the medians are printed. Figures, not assertions. Usage:
//   npx tsx scripts/bench-rls.ts [--rounds 400]
// Runs on PGlite, and on the PostgreSQL server too when TEST_DATABASE_URL is set.
import { performance } from 'node:perf_hooks';
import { associationsOfClaims } from '../src/associations/associations-repository.js';
import { claimsMeta, loadClaim, loadClaims, pageOfClaimIds } from '../src/claims/claims-repository.js';
import { inTransaction, withCaller, type Queryable } from '../src/db/transaction.js';
import type { Actor } from '../src/domain/actor.js';
import { peopleAuthenticator } from '../src/people/authenticator.js';
import { sha256 } from '../src/people/passwords.js';
import { client, dbTargets, m365Claim, seedWorld, testApp } from '../test/harness.js';

const i = process.argv.indexOf('--rounds');
const rounds = i > 0 ? Number(process.argv[i + 1]) : 400;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  for (const target of dbTargets()) {
    const t = await testApp(target);
    const w = await seedWorld(t);
    const partner = client(t.app, w.tokens.partnerA);
    const first = await partner.post('/api/v1/claims', m365Claim());
    const id = first.json<{ id: string }>().id;
    for (let n = 0; n < 200; n++) await partner.post('/api/v1/claims', m365Claim({ name: `claim ${n}` }));
    const actor: Actor = {
      kind: 'user',
      id: null,
      name: 'p',
      roles: ['global_admin'],
      organizationId: w.orgA.id,
    };
    const owner = t.database.db;
    const view = async (q: Queryable) => {
      const c = await loadClaim(q, id);
      await Promise.all([claimsMeta(q, [c!.id]), associationsOfClaims(q, [c!.id])]);
    };
    const list = async (q: Queryable) => {
      const rows = await pageOfClaimIds(q, { organizationId: w.orgA.id, sort: 'newest', limit: 51 });
      await loadClaims(
        q,
        rows.map((r) => r.id),
      );
    };
    // A write: one comment row on the claim (its policy checks the claim through claims').
    let k = 0;
    const comment = (q: Queryable) =>
      q
        .insertInto('comments')
        .values({
          id: `bench-${target}-${k++}`,
          claim_id: id,
          author_id: null,
          author_name: 'bench',
          author_role: 'global_admin',
          text: 'x',
          created_at: new Date(),
        })
        .execute();
    // Authentication: a bearer token's lookup as every request makes it (the authenticator:
    // scope `auth`, since migration 0014b through cpor_actor_by_token), against the same join
    // as the owner, bare (what it was before issue 11).
    const auth = peopleAuthenticator(t.deps.db, t.clock);
    const tokenHash = sha256(w.tokens.partnerA);
    const tokenJoin = () =>
      owner
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select([
          'users.id',
          'users.name',
          'users.roles',
          'users.organization_id',
          'api_tokens.id as token_id',
        ])
        .where('api_tokens.token_hash', '=', tokenHash)
        .where('api_tokens.revoked_at', 'is', null)
        .where('api_tokens.expires_at', '>', t.clock.now())
        .whereRef('api_tokens.credential_epoch', '=', 'users.credential_epoch')
        .where('users.disabled_at', 'is', null)
        .executeTakeFirstOrThrow();
    const cases: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
      [
        'authentication (bearer token)',
        tokenJoin,
        async () => {
          if (!(await auth.byToken(w.tokens.partnerA))) throw new Error('the token was not found');
        },
      ],
      ['claim view (3 queries)', () => view(owner), () => withCaller(t.deps.db, actor, view)],
      ['claim list, 50 (2 queries)', () => list(owner), () => withCaller(t.deps.db, actor, list)],
      [
        'write, one row in a transaction',
        () => owner.transaction().execute(comment),
        () => inTransaction(t.deps.db, actor, comment),
      ],
    ];
    for (const [name, before, after] of cases) {
      for (let n = 0; n < 20; n++) await Promise.all([before(), after()]); // warm up
      const a: number[] = [];
      const b: number[] = [];
      for (let n = 0; n < rounds; n++) {
        let s = performance.now();
        await before();
        a.push(performance.now() - s);
        s = performance.now();
        await after();
        b.push(performance.now() - s);
      }
      const [ma, mb] = [median(a), median(b)];
      console.log(
        `${target.padEnd(8)} ${name.padEnd(32)} owner, bare ${ma.toFixed(3)} ms   cpor_app + RLS ${mb.toFixed(3)} ms   ` +
          `+${(mb - ma).toFixed(3)} ms (x${(mb / ma).toFixed(2)})`,
      );
    }
    await t.close();
  }
}

await main();
