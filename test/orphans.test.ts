// Issue 11 point 6: the orphan sweep removes stored PoE bytes no document references and the
// temporary files a crash leaves, on local disk and on S3 (a real s3rver), on PGlite and on
// PostgreSQL, and never the bytes of an upload in progress: neither when it runs between an
// upload's put and its row, nor while the upload's transaction holds the hash's lock.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedulerOf } from '../src/deadlines/scheduler.js';
import { sweepOrphans, uploadDirOf } from '../src/documents/orphans.js';
import { readAll, type Storage } from '../src/storage/storage.js';
import { client, dbTargets, m365Claim, seedWorld, testApp, type TestApp, type World } from './harness.js';
import { makePdf } from './poe-fixtures.js';
import { s3At, startS3 } from './s3-server.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const hours = (n: number) => n * 3600_000;

interface StorageTarget {
  name: string;
  local: boolean;
  /** Puts the app on this storage; returns how to take it down. */
  use(t: TestApp): Promise<() => Promise<void>>;
}

const storages: StorageTarget[] = [
  { name: 'local files', local: true, use: async () => async () => undefined },
  {
    name: 'S3 (s3rver)',
    local: false,
    async use(t) {
      const dir = await mkdtemp(join(tmpdir(), 'cpor-s3rver-'));
      const { server, port } = await startS3(dir);
      t.deps.storage = s3At(port);
      return async () => {
        await server.close();
        await rm(dir, { recursive: true, force: true });
      };
    },
  },
];

describe.each(dbTargets())('orphan sweep on %s', (target) => {
  describe.each(storages)('with $name', (storage) => {
    let t: TestApp;
    let world: World;
    let claimId: string;
    let tearDown: () => Promise<void>;
    let real: Storage;
    const url = () => `/api/v1/claims/${claimId}/documents`;
    beforeAll(async () => {
      t = await testApp(target);
      tearDown = await storage.use(t);
      real = t.deps.storage;
      world = await seedWorld(t);
      claimId = (await client(t.app, world.tokens.partnerA).post('/api/v1/claims', m365Claim())).json<{
        id: string;
      }>().id;
    });
    afterAll(async () => {
      await t?.close();
      await tearDown?.();
    });

    /** Bytes stored as an upload stores them, with no document row: what a crash leaves. */
    async function storeOrphan(bytes: Buffer): Promise<string> {
      const path = join(t.deps.config.CPOR_DATA_DIR, `${randomUUID()}.src`);
      await writeFile(path, bytes);
      const key = await real.put(path, sha(bytes), bytes.length);
      await rm(path);
      return key;
    }

    it('removes unreferenced bytes and stale temporary files, keeps referenced and recent ones', async () => {
      const partner = client(t.app, world.tokens.partnerA);
      const kept = await makePdf('Referenced PoE');
      const up = await partner.upload(url(), 'kept.pdf', kept);
      expect(up.statusCode, up.body).toBe(201);
      const orphan = await storeOrphan(randomBytes(4096));

      // Temporary files: an interrupted upload and (local storage) an interrupted put.
      const uploads = uploadDirOf(t.deps);
      await mkdir(uploads, { recursive: true });
      const staleUpload = join(uploads, `${randomUUID()}.upload`);
      const freshUpload = join(uploads, `${randomUUID()}.upload`);
      await writeFile(staleUpload, 'half a file');
      await writeFile(freshUpload, 'being received');
      const twoHoursAgo = new Date(Date.now() - hours(2));
      await utimes(staleUpload, twoHoursAgo, twoHoursAgo);
      const root = join(t.deps.config.CPOR_DATA_DIR, 'documents');
      const staleTmp = join(root, orphan.slice(0, 2), `${orphan}.${randomUUID()}.tmp`);
      if (storage.local) {
        await writeFile(staleTmp, 'half');
        await utimes(staleTmp, twoHoursAgo, twoHoursAgo);
      }

      // Now: the orphan is younger than the grace period (an upload may be about to reference it).
      const first = await sweepOrphans(t.deps);
      expect(first).toMatchObject({
        orphansRemoved: 0,
        uploadsRemoved: 1,
        temporariesRemoved: storage.local ? 1 : 0,
      });
      expect(await real.exists(orphan)).toBe(true);
      expect((await readdir(uploads)).sort()).toEqual([freshUpload.split('/').pop()]);

      // Two hours on, it is an orphan; the referenced bytes stay.
      const later = await sweepOrphans(t.deps, { now: Date.now() + hours(2) });
      expect(later.orphansRemoved).toBe(1);
      expect(later.objects).toBe(2);
      expect(await real.exists(orphan)).toBe(false);
      const doc = up.json<{ id: string; sha256: string }>();
      expect(await real.exists(doc.sha256)).toBe(true);
      const got = await partner.get(`${url()}/${doc.id}`);
      expect(got.rawPayload.equals(kept)).toBe(true);
      // Two hours on, the upload that was being received is stale as well.
      expect(later.uploadsRemoved).toBe(1);
    });

    it('never removes the bytes of an upload in progress', async () => {
      const partner = client(t.app, world.tokens.partnerA);
      // Two hours on for the stored bytes only: the upload's own received file, in the uploads
      // folder, is not what this test is about (its own folder keeps it out of the sweep).
      const elsewhere = await mkdtemp(join(tmpdir(), 'cpor-sweep-'));
      const sweepLater = () =>
        sweepOrphans(
          { ...t.deps, storage: real, config: { ...t.deps.config, CPOR_DATA_DIR: elsewhere } },
          { now: Date.now() + hours(2) },
        );

      // 1. The sweep runs between the upload's put and its transaction: it removes the bytes
      //    (no row holds them yet), and the upload stores them again under the hash's lock.
      let duringPut: Promise<number> | null = null;
      t.deps.storage = {
        ...real,
        async put(path, hash, size) {
          const key = await real.put(path, hash, size);
          if (!duringPut) duringPut = sweepLater().then((r) => r.orphansRemoved);
          await duringPut;
          return key;
        },
      };
      const first = await makePdf('Uploaded while the sweep ran');
      const a = await partner.upload(url(), 'a.pdf', first);
      t.deps.storage = real;
      expect(a.statusCode, a.body).toBe(201);
      expect(await duringPut).toBe(1);
      const aDoc = a.json<{ id: string; sha256: string }>();
      expect((await partner.get(`${url()}/${aDoc.id}`)).rawPayload.equals(first)).toBe(true);

      // 2. The sweep starts while the upload's transaction holds the lock (its bytes are
      //    there, its row not yet committed): it waits, finds the row, keeps the bytes.
      let underLock: Promise<number> | null = null;
      t.deps.storage = {
        ...real,
        async exists(key) {
          underLock ??= sweepLater().then((r) => r.orphansRemoved);
          return real.exists(key);
        },
      };
      const second = await makePdf('Uploaded while the sweep waited');
      const b = await partner.upload(url(), 'b.pdf', second);
      t.deps.storage = real;
      expect(b.statusCode, b.body).toBe(201);
      expect(underLock).not.toBeNull();
      expect(await underLock).toBe(0);
      const bDoc = b.json<{ id: string; sha256: string }>();
      expect(await real.exists(bDoc.sha256)).toBe(true);
      expect((await readAll(await real.open(bDoc.sha256))).equals(second)).toBe(true);
      await rm(elsewhere, { recursive: true, force: true });
    });

    it('is run by the scheduler once an hour', async () => {
      const scheduler = schedulerOf(t.deps);
      const report = await scheduler.sweepOrphansWhenDue();
      expect(report).toMatchObject({ orphansRemoved: 0 });
      expect(await scheduler.sweepOrphansWhenDue()).toBeNull();
    });
  });
});
