// One contract, two storages: local files and S3 (against a real s3rver on 127.0.0.1).
// Then the whole app on S3: upload, download (whole and by range), delete.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseS3Url } from '../src/storage/s3-storage.js';
import { localStorage, readAll, type Storage } from '../src/storage/storage.js';
import { storageFromConfig } from '../src/storage/storage-from-config.js';
import { loadConfig } from '../src/config.js';
import { client, m365Claim, seedWorld, testApp, type TestApp } from './harness.js';
import { s3At, startS3 } from './s3-server.js';
import { makePdf } from './poe-fixtures.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Target {
  name: string;
  setUp(): Promise<{ storage: Storage; tearDown(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'local files',
    async setUp() {
      const dir = await mkdtemp(join(tmpdir(), 'cpor-store-'));
      return { storage: localStorage(dir), tearDown: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'S3 (s3rver)',
    async setUp() {
      const dir = await mkdtemp(join(tmpdir(), 'cpor-s3rver-'));
      const { server, port } = await startS3(dir);
      return {
        storage: s3At(port),
        async tearDown() {
          await server.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

describe.each(targets)('storage contract: $name', (target) => {
  let storage: Storage;
  let tearDown: () => Promise<void>;
  let work: string;
  const file = async (bytes: Buffer) => {
    const path = join(work, `${sha(bytes)}.src`);
    await writeFile(path, bytes);
    return path;
  };
  beforeAll(async () => {
    ({ storage, tearDown } = await target.setUp());
    work = await mkdtemp(join(tmpdir(), 'cpor-src-'));
  });
  afterAll(async () => {
    await tearDown?.();
    await rm(work, { recursive: true, force: true });
  });

  it('stores bytes under their hash and gives them back, whole and by range', async () => {
    const bytes = randomBytes(300_000);
    const key = await storage.put(await file(bytes), sha(bytes), bytes.length);
    expect(key).toBe(sha(bytes));
    expect(await storage.exists(key)).toBe(true);
    expect((await readAll(await storage.open(key))).equals(bytes)).toBe(true);
    const part = await readAll(await storage.open(key, { start: 1000, end: 1999 }));
    expect(part.equals(bytes.subarray(1000, 2000))).toBe(true);
    const last = await readAll(await storage.open(key, { start: bytes.length - 1, end: bytes.length - 1 }));
    expect(last.equals(bytes.subarray(bytes.length - 1))).toBe(true);
  });

  it('keeps a 6 MiB file exactly (streamed both ways)', async () => {
    const bytes = randomBytes(6 * 1024 * 1024);
    const key = await storage.put(await file(bytes), sha(bytes), bytes.length);
    expect(sha(await readAll(await storage.open(key)))).toBe(key);
  });

  it('is idempotent: the same bytes twice are one object', async () => {
    const bytes = Buffer.from('same bytes twice');
    const path = await file(bytes);
    const a = await storage.put(path, sha(bytes), bytes.length);
    const b = await storage.put(path, sha(bytes), bytes.length);
    expect(a).toBe(b);
    expect((await readAll(await storage.open(a))).equals(bytes)).toBe(true);
  });

  it('rejects opening a missing key before streaming anything, and deletes quietly', async () => {
    const missing = sha(Buffer.from('never stored'));
    expect(await storage.exists(missing)).toBe(false);
    await expect(storage.open(missing)).rejects.toThrow();
    await storage.delete(missing);
    const bytes = Buffer.from('to be deleted');
    const key = await storage.put(await file(bytes), sha(bytes), bytes.length);
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
    await expect(storage.open(key)).rejects.toThrow();
  });

  it('lists what it holds, with when it was written (the orphan sweep reads it)', async () => {
    const bytes = randomBytes(1000);
    const key = await storage.put(await file(bytes), sha(bytes), bytes.length);
    const listed = async () => {
      const seen = new Map<string, Date>();
      for await (const page of storage.list()) for (const o of page) seen.set(o.key, o.modifiedAt);
      return seen;
    };
    const written = (await listed()).get(key);
    expect(written).toBeInstanceOf(Date);
    expect(Math.abs((written?.getTime() ?? 0) - Date.now())).toBeLessThan(10 * 60_000);
    await storage.delete(key);
    expect((await listed()).has(key)).toBe(false);
  });

  it('refuses keys that are not content hashes', async () => {
    const bytes = Buffer.from('x');
    const path = await file(bytes);
    await expect(storage.put(path, '../../etc/passwd', 1)).rejects.toThrow(/bad storage key/);
    await expect(storage.open('../secret')).rejects.toThrow(/bad storage key/);
    await expect(storage.exists('A'.repeat(64))).rejects.toThrow(/bad storage key/);
  });
});

describe('local storage writes through a temporary name', () => {
  it('leaves no temporary file, and a stray one is not an object', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cpor-store-'));
    try {
      const storage = localStorage(dir);
      const bytes = Buffer.from('atomic');
      const src = join(dir, 'src.bin');
      await writeFile(src, bytes);
      const key = await storage.put(src, sha(bytes), bytes.length);
      const sub = await readdir(join(dir, key.slice(0, 2)));
      expect(sub).toEqual([key]);
      // What a crash mid-write leaves: a .tmp file, never the final name.
      const other = sha(Buffer.from('half'));
      await mkdir(join(dir, other.slice(0, 2)), { recursive: true });
      await writeFile(join(dir, other.slice(0, 2), `${other}.1234.tmp`), 'ha');
      expect(await storage.exists(other)).toBe(false);
      // The orphan sweep removes it once it is older than the given time, never the object.
      expect(await storage.removeTemporaries(new Date(Date.now() - 3600_000))).toBe(0);
      expect(await storage.removeTemporaries(new Date(Date.now() + 1000))).toBe(1);
      expect(await readdir(join(dir, other.slice(0, 2)))).toEqual([]);
      expect(await readdir(join(dir, key.slice(0, 2)))).toEqual([key]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('storage settings', () => {
  it('chooses S3 from CPOR_STORAGE_URL and local files otherwise', () => {
    const local = storageFromConfig(loadConfig({}), '/data');
    expect(local.name).toBe('local:/data/documents');
    const s3 = storageFromConfig(
      loadConfig({
        CPOR_STORAGE_URL: 's3://poe-bucket/cpor',
        CPOR_S3_ENDPOINT: 'http://127.0.0.1:9000',
        CPOR_S3_ACCESS_KEY_ID: 'id',
        CPOR_S3_SECRET_ACCESS_KEY: 'secret',
        CPOR_S3_FORCE_PATH_STYLE: '1',
      }),
      '/data',
    );
    expect(s3.name).toBe('s3://poe-bucket/cpor');
    expect(parseS3Url('s3://b-1.x')).toEqual({ bucket: 'b-1.x', prefix: '' });
    expect(() => loadConfig({ CPOR_STORAGE_URL: 'https://bucket' })).toThrow(/CPOR_STORAGE_URL/);
    expect(() => loadConfig({ CPOR_STORAGE_URL: 's3://b', CPOR_S3_ACCESS_KEY_ID: 'only-id' })).toThrow(
      /CPOR_S3_SECRET_ACCESS_KEY/,
    );
  });
});

describe('the app with PoE on S3', () => {
  let t: TestApp;
  let s3: { server: S3rver; port: number };
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cpor-s3rver-'));
    s3 = await startS3(dir);
    t = await testApp('pglite');
    // Routes read deps.storage on each request: swapping it puts the whole app on S3.
    t.deps.storage = s3At(s3.port, 's3://cpor-poe');
  });
  afterAll(async () => {
    await t?.close();
    await s3?.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads, downloads exact bytes and ranges, and deletes from a draft', async () => {
    const w = await seedWorld(t);
    const partner = client(t.app, w.tokens.partnerA);
    const id = (await partner.post('/api/v1/claims', m365Claim())).json<{ id: string }>().id;
    const bytes = await makePdf('Stored in S3');
    const up = await partner.upload(`/api/v1/claims/${id}/documents`, 'sow.pdf', bytes);
    expect(up.statusCode, up.body).toBe(201);
    const doc = up.json<{ id: string; sha256: string }>();
    expect(await t.deps.storage.exists(doc.sha256)).toBe(true);
    const got = await partner.get(`/api/v1/claims/${id}/documents/${doc.id}`);
    expect(got.rawPayload.equals(bytes)).toBe(true);
    const range = await partner.get(`/api/v1/claims/${id}/documents/${doc.id}`, { range: 'bytes=0-7' });
    expect(range.statusCode).toBe(206);
    expect(range.rawPayload.toString('latin1')).toBe(bytes.subarray(0, 8).toString('latin1'));
    expect((await partner.delete(`/api/v1/claims/${id}/documents/${doc.id}`)).statusCode).toBe(204);
    expect(await t.deps.storage.exists(doc.sha256)).toBe(false);
  });
});
