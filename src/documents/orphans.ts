// Orphans (issue 11, point 6): stored bytes that no document references, and temporary files,
// left by a crash. An upload stores its bytes before its row commits (documents-commands.ts),
// and a crash between the two, or a storage error while freeing a deleted draft's document,
// leaves bytes nobody will ever download; a crash while a file is received or written to local
// storage leaves a temporary file. The sweep removes them, and is safe against uploads in
// progress in any process:
// - nothing younger than the grace period is touched (bytes just stored, a file being
//   received or copied);
// - bytes are removed only under the advisory lock on their hash that an upload holds while
//   it checks its bytes are there, stores them again if not, and inserts its row, and only
//   when no document references them under that lock. An upload that stored its bytes before
//   the sweep removed them finds them gone under the lock and stores them again; one whose row
//   is committed keeps them.
// The scheduler runs it every hour (src/deadlines/scheduler.ts); a command line can call
// sweepOrphans() as well.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deps } from '../deps.js';
import { withCaller } from '../db/transaction.js';
import { systemActor } from '../domain/actor.js';
import { removeQuietly } from '../storage/storage.js';
import { referencedKeys } from './documents-repository.js';
import { removeIfUnreferenced } from './documents-commands.js';

/** How old bytes and temporary files must be before the sweep may remove them. */
export const orphanGraceMs = 60 * 60 * 1000;
/** How often the scheduler sweeps. */
export const orphanSweepIntervalMs = 60 * 60 * 1000;

export interface SweepReport {
  /** Stored objects looked at. */
  objects: number;
  /** Unreferenced bytes removed. */
  orphansRemoved: number;
  /** Temporary files of interrupted puts removed (local storage). */
  temporariesRemoved: number;
  /** Temporary files of interrupted uploads removed (CPOR_DATA_DIR/uploads). */
  uploadsRemoved: number;
}

export const uploadDirOf = (deps: Pick<Deps, 'config'>) => join(deps.config.CPOR_DATA_DIR, 'uploads');

/**
 * Removes stored bytes no document references and temporary files, all older than `graceMs`
 * before `now` (wall-clock milliseconds: file and object times are the system's, whatever the
 * application's clock says).
 */
export async function sweepOrphans(
  deps: Deps,
  opts: { now?: number; graceMs?: number } = {},
): Promise<SweepReport> {
  const olderThan = new Date((opts.now ?? Date.now()) - (opts.graceMs ?? orphanGraceMs));
  const report: SweepReport = { objects: 0, orphansRemoved: 0, temporariesRemoved: 0, uploadsRemoved: 0 };
  for await (const page of deps.storage.list()) {
    report.objects += page.length;
    const old = page.filter((o) => o.modifiedAt < olderThan).map((o) => o.key);
    const referenced = await withCaller(deps.db, systemActor, (q) => referencedKeys(q, old));
    for (const key of old) {
      // Looked at again under the hash's lock: an upload may have committed its row since.
      if (!referenced.has(key) && (await removeIfUnreferenced(deps, key))) report.orphansRemoved += 1;
    }
  }
  report.temporariesRemoved = await deps.storage.removeTemporaries(olderThan);
  report.uploadsRemoved = await removeStaleUploads(uploadDirOf(deps), olderThan);
  return report;
}

/**
 * Removes what uploads cut off by a crash left in `dir` (received files, and the parts an
 * inspection wrote out), when older than `olderThan`: other processes sharing the data folder
 * may be receiving files right now.
 */
export async function removeStaleUploads(dir: string, olderThan: Date): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.upload')) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info && info.mtime < olderThan) {
      await removeQuietly(path);
      removed += 1;
    }
  }
  return removed;
}
