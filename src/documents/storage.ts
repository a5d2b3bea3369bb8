// Where PoE bytes live, behind one interface. Local: content-addressed files under the
// data folder, written to a temporary name and renamed, so a crash leaves no half file.
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink, copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';

export interface Storage {
  /** Stores the file at `sourcePath` under its SHA-256 and returns the storage key. */
  put(sourcePath: string, sha256: string): Promise<string>;
  /** The bytes, or a range of them (inclusive end, as HTTP ranges are). */
  open(key: string, range?: { start: number; end: number }): Promise<Readable>;
  exists(key: string): Promise<boolean>;
}

export function localStorage(root: string): Storage {
  const pathOf = (key: string) => join(root, key.slice(0, 2), key);
  return {
    async put(sourcePath, sha256) {
      const target = pathOf(sha256);
      await mkdir(dirname(target), { recursive: true });
      const tmp = `${target}.${randomUUID()}.tmp`;
      await copyFile(sourcePath, tmp);
      await rename(tmp, target);
      return sha256;
    },
    async open(key, range) {
      if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('bad storage key');
      return createReadStream(pathOf(key), range);
    },
    async exists(key) {
      return stat(pathOf(key)).then(
        () => true,
        () => false,
      );
    },
  };
}

export async function removeQuietly(path: string) {
  await unlink(path).catch(() => undefined);
}
