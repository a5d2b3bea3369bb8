// R-HIST-1 made checkable: each claim's history is a hash chain (api.md "Claims": `seq`,
// `prevHash`, `hash`, `/history/verify`). An entry's hash is SHA-256 (hex) over its
// predecessor's hash (nothing for the first entry) followed by the entry's canonical JSON
// (RFC 8785) of exactly these fields, so anyone holding the history can recompute it:
//   {"actor":{"id":..,"name":..,"role":..},"at":"<ISO 8601, ms, Z>","claimId":..,"data":..,"seq":n,"type":..}
import { canonicalJson } from '../lib/canonical-json.js';
import { sha256 } from '../lib/sha256.js';

export interface ChainedEntry {
  claimId: string;
  seq: number;
  at: Date;
  type: string;
  actor: { id: string | null; name: string; role: string };
  data: unknown;
}

export function entryHash(prevHash: string | null, e: ChainedEntry): string {
  const body = canonicalJson({
    actor: { id: e.actor.id, name: e.actor.name, role: e.actor.role },
    at: e.at.toISOString(),
    claimId: e.claimId,
    data: e.data,
    seq: e.seq,
    type: e.type,
  });
  return sha256(`${prevHash ?? ''}${body}`);
}

export interface ChainVerdict {
  valid: boolean;
  length: number;
  /** The first `seq` whose link or hash does not match, or null. */
  brokenAt: number | null;
}

type StoredEntry = ChainedEntry & { prevHash: string | null; hash: string };

/** Checks one claim's history fed oldest first: each entry must follow its predecessor and hash right. */
export class ChainCheck {
  private prev: string | null = null;
  private length = 0;
  private brokenAt: number | null = null;

  push(e: StoredEntry): void {
    this.length += 1;
    if (this.brokenAt !== null) return;
    if (e.seq !== this.length || e.prevHash !== this.prev || entryHash(this.prev, e) !== e.hash)
      this.brokenAt = e.seq;
    this.prev = e.hash;
  }

  verdict(): ChainVerdict {
    return { valid: this.brokenAt === null, length: this.length, brokenAt: this.brokenAt };
  }
}

export function verifyChain(entries: StoredEntry[]): ChainVerdict {
  const check = new ChainCheck();
  for (const e of entries) check.push(e);
  return check.verdict();
}
