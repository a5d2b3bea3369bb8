// A claim's comments in the order they were written. They were read by (created_at, id): two
// comments of the same instant (the test clock stands still; two writers in one millisecond)
// came back in the order of their random ids, and the next page's cursor could skip between
// them. Each comment now takes a number from one sequence when it is written (the claim's row
// is locked then: add-comment.ts), which orders a claim's comments and their cursor. Comments
// written before are numbered in the order they were shown.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE comments ADD COLUMN seq bigint`.execute(db);
  await sql`UPDATE comments SET seq = o.n
    FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM comments) o
    WHERE comments.id = o.id`.execute(db);
  await sql`ALTER TABLE comments ALTER COLUMN seq SET NOT NULL`.execute(db);
  await sql`ALTER TABLE comments ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY`.execute(db);
  await sql`SELECT setval(pg_get_serial_sequence('comments', 'seq'), coalesce(max(seq), 0) + 1, false)
    FROM comments`.execute(db);
  await sql`CREATE UNIQUE INDEX comments_claim_seq ON comments(claim_id, seq)`.execute(db);
  await sql`DROP INDEX comments_claim`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX comments_claim ON comments(claim_id, created_at)`.execute(db);
  await sql`DROP INDEX comments_claim_seq`.execute(db);
  await sql`ALTER TABLE comments DROP COLUMN seq`.execute(db);
}
