// The hash chain of a claim's history (R-HIST-1, api.md "Claims").
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../lib/canonical-json.js';
import { entryHash, verifyChain, type ChainedEntry } from './history-chain.js';

function chain(n: number) {
  const out: (ChainedEntry & { prevHash: string | null; hash: string })[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const prevHash = out.at(-1)?.hash ?? null;
    const e: ChainedEntry = {
      claimId: 'c1',
      seq,
      at: new Date(Date.UTC(2026, 2, 4, 12, seq)),
      type: seq === 1 ? 'created' : 'commented',
      actor: { id: 'u1', name: 'Ana', role: 'partner_global_admin' },
      data: { n: seq, nested: { b: 2, a: [1, 'x'] } },
    };
    out.push({ ...e, prevHash, hash: entryHash(prevHash, e) });
  }
  return out;
}

describe('history chain', () => {
  it('a chain built entry by entry verifies whole', () => {
    expect(verifyChain(chain(5))).toEqual({ valid: true, length: 5, brokenAt: null });
    expect(verifyChain([])).toEqual({ valid: true, length: 0, brokenAt: null });
  });

  it('names the first entry whose content, link or place is wrong', () => {
    const changed = chain(5);
    changed[2] = { ...changed[2]!, data: { n: 99 } };
    expect(verifyChain(changed)).toEqual({ valid: false, length: 5, brokenAt: 3 });
    const removed = chain(5).filter((e) => e.seq !== 4);
    expect(verifyChain(removed).brokenAt).toBe(5);
    const moved = chain(3).map((e) => ({ ...e, claimId: 'c2' }));
    expect(verifyChain(moved).brokenAt).toBe(1);
    // A whole chain rehashed from a changed entry still fails where its seq skips.
    const relinked = chain(3);
    relinked[0] = { ...relinked[0]!, seq: 0 };
    expect(verifyChain(relinked).brokenAt).toBe(0);
  });

  it('the hash does not depend on the order of keys (jsonb does not keep it)', () => {
    const [e] = chain(1);
    const reordered = { ...e!, data: { nested: { a: [1, 'x'], b: 2 }, n: 1 } };
    expect(entryHash(null, reordered)).toBe(e!.hash);
  });

  it('canonical JSON is RFC 8785: keys by UTF-16 code units, ECMAScript numbers, no spaces', () => {
    expect(canonicalJson({ b: 1, a: [true, null], '10': 'x', '9': 1e21, é: 0.5 })).toBe(
      '{"10":"x","9":1e+21,"a":[true,null],"b":1,"é":0.5}',
    );
  });
});
