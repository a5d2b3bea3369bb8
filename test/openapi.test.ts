// The contract (issue 8 point 1): the OpenAPI document the server serves describes every
// operation (an operationId, tags, a described success answer, its error answers as
// problem+json) and passes Redocly's recommended rules; and an answer that does not fit its
// schema, or a status a route does not declare, fails loudly instead of drifting.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answers, ok } from '../src/http/contract.js';
import { client, testApp, type TestApp } from './harness.js';

interface Response {
  description?: string;
  content?: Record<string, { schema?: { $ref?: string } }>;
}
interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  responses?: Record<string, Response>;
}
interface Spec {
  openapi: string;
  info: { license?: { name?: string } };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const methods = ['get', 'put', 'post', 'patch', 'delete'];

/** A route whose answer breaks its schema, and one answering a status it does not declare. */
async function brokenRoutes(api: FastifyInstance) {
  const app = api.withTypeProvider<ZodTypeProvider>();
  const shape = z.strictObject({ id: z.string() });
  const config = { public: true };
  const schema = { hide: true, response: answers({ 200: ok(shape, 'An id') }, 401) };
  app.get(
    '/broken/extra-field',
    { config, schema },
    async () => ({ id: 'a', secret: 'b' }) as { id: string },
  );
  // On purpose: a handler whose answer has the wrong type, which the serializer must refuse.
  app.get('/broken/wrong-type', { config, schema }, async () => ({ id: 1 }) as unknown as { id: string });
  app.get('/broken/undeclared-status', { config, schema }, async (_req, reply) =>
    reply.status(404).send({ id: 'a' }),
  );
}

describe('the OpenAPI document (issue 8 point 1)', () => {
  let t: TestApp;
  let spec: Spec;
  let operations: { key: string; op: Operation }[];

  beforeAll(async () => {
    t = await testApp('pglite', { app: { plugins: [brokenRoutes] } });
    const res = await client(t.app).get('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    spec = res.json<Spec>();
    operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => methods.includes(method))
        .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
  });
  afterAll(async () => t?.close());

  it('names every operation once, tags it with a described tag and summarises it', () => {
    expect(operations.length).toBeGreaterThan(40);
    const ids = operations.map((o) => o.op.operationId);
    for (const { key, op } of operations) {
      expect(op.operationId, key).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.tags?.length, key).toBeGreaterThan(0);
      expect(op.summary, key).toBeTruthy();
      for (const tag of op.tags ?? [])
        expect(spec.tags?.find((x) => x.name === tag)?.description, `${key} tag ${tag}`).toBeTruthy();
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Nothing hidden leaks into the document.
    expect(Object.keys(spec.paths).some((p) => p.includes('broken'))).toBe(false);
  });

  it('describes a success answer and each error answer (problem+json) of every operation', () => {
    for (const { key, op } of operations) {
      const responses = Object.entries(op.responses ?? {});
      const success = responses.filter(([status]) => /^2\d\d$/.test(status));
      expect(success.length, key).toBeGreaterThan(0);
      for (const [status, r] of success) {
        expect(r.description, `${key} ${status}`).toBeTruthy();
        expect(r.description, `${key} ${status}`).not.toBe('Default Response');
        // A body is described by a schema (204 has none).
        if (status !== '204')
          for (const [type, c] of Object.entries(r.content ?? {}))
            expect(c.schema, `${key} ${status} ${type}`).toBeTruthy();
      }
      // 416 (a Range outside the file) answers with Content-Range and no body, as RFC 9110 says.
      const errors = responses.filter(([status]) => /^[45]\d\d$/.test(status) && status !== '416');
      expect(errors.length, key).toBeGreaterThan(0);
      for (const [status, r] of errors) {
        expect(r.content?.['application/problem+json']?.schema?.$ref, `${key} ${status}`).toBe(
          '#/components/schemas/Problem',
        );
      }
    }
    expect(spec.components.schemas.Problem).toBeTruthy();
  });

  it('says where it is served and that no license was chosen yet', () => {
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.servers?.[0]?.url).toBe(t.deps.config.CPOR_PUBLIC_URL);
    expect(spec.info.license?.name).toBe('No license chosen yet');
  });

  it("passes Redocly's recommended rules: no error, and warnings only of rules redocly.yaml gives a reason for", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cpor-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(spec));
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          'node_modules/@redocly/cli/bin/cli.js',
          'lint',
          file,
          '--config',
          'redocly.yaml',
          '--format',
          'json',
        ],
        { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      ).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
      const report = JSON.parse(stdout) as {
        problems: { ruleId: string; severity: string; message: string }[];
      };
      const config = await readFile('redocly.yaml', 'utf8');
      // A rule may warn only where redocly.yaml sets it to warn with a comment above it.
      const reasoned = [...config.matchAll(/#[^\n]*\n\s+([\w.-]+):\s*warn\b/g)].map((m) => m[1]);
      const errors = report.problems.filter((p) => p.severity === 'error');
      expect(errors.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      const unreasoned = report.problems.filter((p) => p.severity === 'warn' && !reasoned.includes(p.ruleId));
      expect(unreasoned.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("keeps the web UI's generated API types current (npm run api:generate, issue 8 point 2)", async () => {
    const { apiSchemaSource, schemaFile } = await import('../scripts/api-schema.js');
    const { servedDocument } = await import('../scripts/openapi-document.js');
    const fresh = await apiSchemaSource(await servedDocument());
    const current = await readFile(schemaFile, 'utf8');
    expect(current === fresh, `${schemaFile} is not current: run npm run api:generate`).toBe(true);
    // The domain's enums are named components: the UI reads their values from there.
    for (const name of ['ClaimStatus', 'Role', 'RejectionReason', 'InformationReason', 'ClaimAction'])
      expect(spec.components.schemas[name], name).toBeTruthy();
  }, 120_000);

  it('answers 500 rather than send a field its schema does not name, or a value of another type', async () => {
    const c = client(t.app);
    for (const path of ['/api/v1/broken/extra-field', '/api/v1/broken/wrong-type']) {
      const res = await c.get(path);
      expect(res.statusCode, path).toBe(500);
      expect(res.body, path).not.toContain('secret');
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('fails a test that meets a status its route does not declare (strict in tests)', async () => {
    const res = await client(t.app).get('/api/v1/broken/undeclared-status');
    expect(res.statusCode).toBe(500);
  });
});
