// The first schema. Plain SQL that PostgreSQL 15 (server) and 17 (PGlite) both accept.
import { sql, type Kysely } from 'kysely';

const schema = `
    CREATE TABLE organizations (
      id text PRIMARY KEY,
      name text NOT NULL,
      language text,
      created_at timestamptz NOT NULL
    );
    CREATE TABLE partner_locations (
      mpn_id text PRIMARY KEY CHECK (mpn_id ~ '^[0-9]{6,8}$'),
      organization_id text NOT NULL REFERENCES organizations(id),
      name text NOT NULL,
      country text
    );
    CREATE INDEX partner_locations_org ON partner_locations(organization_id);
    CREATE TABLE users (
      id text PRIMARY KEY,
      email text NOT NULL UNIQUE,
      name text NOT NULL,
      password_hash text NOT NULL,
      organization_id text REFERENCES organizations(id),
      roles jsonb NOT NULL,
      language text,
      created_at timestamptz NOT NULL
    );
    CREATE TABLE api_tokens (
      token_hash text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL
    );
    CREATE TABLE sessions (
      token_hash text PRIMARY KEY,
      user_id text NOT NULL REFERENCES users(id),
      csrf_token text NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE TABLE products (
      id text PRIMARY KEY,
      name text NOT NULL,
      solution_area text NOT NULL CHECK (solution_area IN ('microsoft_365', 'business_applications')),
      scope text NOT NULL CHECK (scope IN ('workload', 'subscription')),
      dynamics365 boolean NOT NULL,
      active boolean NOT NULL DEFAULT true
    );
    CREATE TABLE tenants (
      tenant_id text PRIMARY KEY,
      updated_at timestamptz NOT NULL
    );
    CREATE TABLE tenant_domains (
      tenant_id text NOT NULL REFERENCES tenants(tenant_id),
      domain text NOT NULL,
      PRIMARY KEY (tenant_id, domain)
    );
    CREATE TABLE tenant_subscriptions (
      id text PRIMARY KEY,
      tenant_id text NOT NULL REFERENCES tenants(tenant_id),
      product_id text NOT NULL REFERENCES products(id),
      expires_at timestamptz
    );
    CREATE TABLE claims (
      id text PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations(id),
      mpn_id text REFERENCES partner_locations(mpn_id),
      name text,
      tenant_id text,
      domain text,
      solution_area text,
      activity text,
      customer_contact jsonb,
      technical_contact jsonb,
      partner_contact jsonb,
      revenue jsonb,
      status text NOT NULL CHECK (status IN ('draft', 'submitted', 'in_review',
        'partner_action_required', 'approved', 'rejected', 'disputed')),
      status_reason text,
      requested_information jsonb,
      version integer NOT NULL,
      created_by text NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      submitted_at timestamptz,
      decided_at timestamptz,
      rejected_at timestamptz,
      disputed_at timestamptz,
      consent_state text CHECK (consent_state IN ('pending', 'completed', 'denied')),
      consent_ends_at timestamptz,
      due_at timestamptz,
      due_kind text
    );
    CREATE INDEX claims_org_created ON claims(organization_id, created_at DESC, id DESC);
    CREATE INDEX claims_created ON claims(created_at DESC, id DESC);
    CREATE INDEX claims_tenant ON claims(tenant_id);
    CREATE TABLE claim_products (
      claim_id text NOT NULL REFERENCES claims(id),
      position integer NOT NULL,
      product_id text NOT NULL REFERENCES products(id),
      subscription_id text,
      PRIMARY KEY (claim_id, position)
    );
    CREATE INDEX claim_products_product ON claim_products(product_id);
    CREATE TABLE documents (
      id text PRIMARY KEY,
      claim_id text NOT NULL REFERENCES claims(id),
      file_name text NOT NULL,
      content_type text NOT NULL,
      size integer NOT NULL,
      sha256 text NOT NULL,
      storage_key text NOT NULL,
      uploaded_by text NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL,
      UNIQUE (claim_id, sha256)
    );
    CREATE TABLE comments (
      id text PRIMARY KEY,
      claim_id text NOT NULL REFERENCES claims(id),
      author_id text REFERENCES users(id),
      author_name text NOT NULL,
      author_role text NOT NULL,
      text text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX comments_claim ON comments(claim_id, created_at);
    CREATE TABLE claim_history (
      id bigserial PRIMARY KEY,
      claim_id text NOT NULL REFERENCES claims(id),
      at timestamptz NOT NULL,
      type text NOT NULL,
      actor_id text,
      actor_name text NOT NULL,
      actor_role text NOT NULL,
      data jsonb NOT NULL
    );
    CREATE INDEX claim_history_claim ON claim_history(claim_id, id);
    -- R-HIST-1: history is append-only, enforced by the database itself.
    CREATE FUNCTION claim_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'claim_history is append-only';
    END $$;
    CREATE TRIGGER claim_history_no_change BEFORE UPDATE OR DELETE ON claim_history
      FOR EACH ROW EXECUTE FUNCTION claim_history_append_only();
    CREATE TABLE associations (
      id text PRIMARY KEY,
      claim_id text REFERENCES claims(id),
      organization_id text NOT NULL REFERENCES organizations(id),
      mpn_id text NOT NULL REFERENCES partner_locations(mpn_id),
      tenant_id text NOT NULL,
      product_id text NOT NULL REFERENCES products(id),
      subscription_id text,
      scope text NOT NULL CHECK (scope IN ('workload', 'subscription')),
      since timestamptz NOT NULL,
      expires_at timestamptz,
      ended_at timestamptz,
      end_reason text,
      consent_state text NOT NULL CHECK (consent_state IN ('pending', 'completed', 'legacy')),
      consent_completed_at timestamptz
    );
    -- R-UNIQ-2: one association in force per tenant + workload, and per subscription.
    -- A Business Applications claim without a subscription ID (the customer has a single
    -- subscription of the product) holds the tenant + product, so it collides with both.
    CREATE UNIQUE INDEX associations_one_workload ON associations(tenant_id, product_id)
      WHERE ended_at IS NULL AND (scope = 'workload' OR subscription_id IS NULL);
    CREATE UNIQUE INDEX associations_one_subscription ON associations(subscription_id)
      WHERE ended_at IS NULL AND subscription_id IS NOT NULL;
    CREATE INDEX associations_claim ON associations(claim_id);
    CREATE INDEX associations_tenant ON associations(tenant_id) WHERE ended_at IS NULL;
    CREATE TABLE deadlines (
      id text PRIMARY KEY,
      claim_id text NOT NULL REFERENCES claims(id),
      kind text NOT NULL,
      due_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      fired_at timestamptz,
      cancelled_at timestamptz
    );
    CREATE INDEX deadlines_due ON deadlines(due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
    CREATE INDEX deadlines_claim ON deadlines(claim_id);
    CREATE TABLE outbox (
      id text PRIMARY KEY,
      kind text NOT NULL,
      claim_id text REFERENCES claims(id),
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      available_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      sent_at timestamptz,
      last_error text
    );
    CREATE INDEX outbox_pending ON outbox(available_at) WHERE sent_at IS NULL;
    -- R-TIME-1: the business calendar's holidays, as calendar dates (YYYY-MM-DD).
    CREATE TABLE holidays (
      date text PRIMARY KEY CHECK (date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      name text NOT NULL
    );
    CREATE TABLE idempotency_keys (
      user_id text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      status_code integer NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (user_id, key)
    );
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  // One statement at a time: PGlite's extended protocol takes a single statement per query.
  for (const statement of splitStatements(schema)) await sql.raw(statement).execute(db);
}

/** Splits at a semicolon that ends a line and is followed by a new statement or comment. */
export function splitStatements(text: string): string[] {
  return text
    .split(/;\s*\n(?=\s*(?:CREATE|ALTER|INSERT|DROP|--)|\s*$)/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim().length > 0);
}

export async function down(): Promise<void> {
  throw new Error('the first migration is not reversible');
}
