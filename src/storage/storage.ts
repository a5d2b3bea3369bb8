// Where PoE bytes live, behind one interface (local files or S3-compatible object storage,
// chosen by CPOR_STORAGE_URL). Keys are the SHA-256 of the content: the same bytes are kept
// once, whichever claims hold them. Both implementations pass test/storage-contract.test.ts.
import { copyFile, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';

export interface Storage {
  /** Where this storage keeps bytes, for logs: `local:/path` or `s3://bucket/prefix`. */
  readonly name: string;
  /**
   * Stores the finished, checked file at `sourcePath` under its SHA-256 and returns the
   * storage key. Atomic: the key holds all the bytes or nothing. The source is left in place.
   */
  put(sourcePath: string, sha256: string, size: number): Promise<string>;
  /**
   * The bytes, or a range of them (inclusive end, as HTTP ranges are). Rejects (before any
   * byte is streamed) when the key holds nothing.
   */
  open(key: string, range?: { start: number; end: number }): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  /** Removes the bytes; a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Every stored key and when its bytes were last written, in pages: what the orphan sweep
   * (src/documents/orphans.ts) compares with the documents that reference them.
   */
  list(): AsyncIterable<StoredObject[]>;
  /**
   * Removes what an interrupted put left behind, when older than `olderThan` (a put in
   * progress is younger); returns how many. S3 writes atomically and leaves nothing.
   */
  removeTemporaries(olderThan: Date): Promise<number>;
}

export interface StoredObject {
  key: string;
  modifiedAt: Date;
}

export class StorageKeyError extends Error {}

/** Keys are content hashes; anything else never reaches a file system path or an object key. */
export function checkKey(key: string): string {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new StorageKeyError('bad storage key');
  return key;
}

/** Content-addressed files under `root` (`root/ab/abcdef...`), written to a temporary name then renamed. */
export function localStorage(root: string): Storage {
  const pathOf = (key: string) => join(root, checkKey(key).slice(0, 2), key);
  return {
    name: `local:${root}`,
    async put(sourcePath, sha256) {
      const target = pathOf(sha256);
      await mkdir(dirname(target), { recursive: true });
      // Same bytes already kept (another claim, or a retry): nothing to write.
      if (await exists(target)) return sha256;
      const tmp = `${target}.${randomUUID()}.tmp`;
      try {
        await copyFile(sourcePath, tmp);
        // Flushed before the rename, so that a crash cannot leave a named file with half its bytes.
        const fh = await open(tmp, 'r+');
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tmp, target);
      } finally {
        await removeQuietly(tmp);
      }
      return sha256;
    },
    async open(key, range) {
      const path = pathOf(key);
      // Opened here, so a missing file rejects now and not halfway through a response.
      const fh = await open(path, 'r');
      return fh.createReadStream(range ? { start: range.start, end: range.end } : {});
    },
    async exists(key) {
      return exists(pathOf(key));
    },
    async delete(key) {
      await removeQuietly(pathOf(key));
    },
    async *list() {
      for (const dir of await subfolders(root)) {
        const page: StoredObject[] = [];
        for (const name of await readdir(join(root, dir)).catch(() => [] as string[])) {
          if (!/^[0-9a-f]{64}$/.test(name) || !name.startsWith(dir)) continue;
          const info = await stat(join(root, dir, name)).catch(() => null);
          if (info?.isFile()) page.push({ key: name, modifiedAt: info.mtime });
        }
        if (page.length > 0) yield page;
      }
    },
    async removeTemporaries(olderThan) {
      let removed = 0;
      for (const dir of await subfolders(root)) {
        for (const name of await readdir(join(root, dir)).catch(() => [] as string[])) {
          if (!/^[0-9a-f]{64}\.[^/]+\.tmp$/.test(name)) continue;
          const path = join(root, dir, name);
          const info = await stat(path).catch(() => null);
          if (info && info.mtime < olderThan) {
            await removeQuietly(path);
            removed += 1;
          }
        }
      }
      return removed;
    },
  };
}

/** The two-hex-digit folders of a local storage (`root/ab/`). */
async function subfolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name)).map((e) => e.name);
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

export async function removeQuietly(path: string) {
  await unlink(path).catch(() => undefined);
}

/** Reads a whole stream; for tests and small files only. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}
