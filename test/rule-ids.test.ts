// Every rule id the code, the tests, the web UI and the docs cite is one the project's copy of
// the rule book (docs/domain.md) defines: a cited id that does not exist is a stale pointer.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const ruleId = /\bR-[A-Z]+-\d+\b/g;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(path)));
    else if (/\.(ts|tsx|md)$/.test(e.name)) out.push(path);
  }
  return out;
}

describe('rule ids', () => {
  it('every id cited in src, test, web and docs is defined in docs/domain.md', async () => {
    const defined = new Set((await readFile(join(root, 'docs/domain.md'), 'utf8')).match(ruleId));
    expect(defined.size).toBeGreaterThan(30);
    const files = [
      ...(await filesUnder('src')),
      ...(await filesUnder('test')),
      ...(await filesUnder('web/src')),
      ...(await filesUnder('docs')),
      'README.md',
    ].filter((f) => f !== join('docs', 'domain.md'));
    const unknown: string[] = [];
    let cited = 0;
    for (const f of files) {
      for (const id of (await readFile(join(root, f), 'utf8')).match(ruleId) ?? []) {
        cited += 1;
        // "R-TIME-2/3/4" and "R-FIELD-1..4" cite ranges by their first id, which is checked.
        if (!defined.has(id)) unknown.push(`${f}: ${id}`);
      }
    }
    expect(cited).toBeGreaterThan(50);
    expect(unknown).toEqual([]);
  });
});
