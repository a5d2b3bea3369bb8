// The web UI's translations are complete: every language has every English key (and no
// extra one), no value is empty, every {{variable}} of English is kept, and every key the
// code names literally exists. (Lives here because vitest includes test/**/*.test.ts.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '..', 'web', 'src', 'i18n');
const LANGS = ['en', 'pt-BR', 'es-ES', 'zh-CN', 'zh-TW'];

type Tree = { [k: string]: string | Tree };
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [k2, v2] of flatten(v, key)) out.set(k2, v2);
  }
  return out;
}
const load = (lang: string) => flatten(JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8')) as Tree);
const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const en = load('en');

describe('web translations', () => {
  it('has exactly the five languages of the source pages', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect(files).toEqual([...LANGS].sort());
  });

  for (const lang of LANGS.filter((l) => l !== 'en')) {
    describe(lang, () => {
      const tr = load(lang);
      it('has every English key', () => {
        const missing = [...en.keys()].filter((k) => !tr.has(k));
        expect(missing, `keys missing in ${lang}`).toEqual([]);
      });
      it('has no key English lacks', () => {
        const extra = [...tr.keys()].filter((k) => !en.has(k));
        expect(extra, `keys only in ${lang}`).toEqual([]);
      });
      it('has no empty value and keeps the {{variables}}', () => {
        const bad: string[] = [];
        for (const [k, v] of en) {
          const x = tr.get(k);
          if (x === undefined) continue;
          if (!x.trim()) bad.push(`${k}: empty`);
          else if (vars(x).join() !== vars(v).join())
            bad.push(`${k}: ${vars(x).join()} vs ${vars(v).join()}`);
        }
        expect(bad).toEqual([]);
      });
      it('is translated, not a copy of English', () => {
        // Proper names and codes may stay; most of the text must differ.
        const same = [...en].filter(([k, v]) => tr.get(k) === v && /[a-z]{4,}\s+[a-z]{3,}/i.test(v));
        expect(same.map(([k]) => k)).toEqual([]);
      });
    });
  }

  it('names no key that English lacks', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f) && !f.endsWith('.test.ts')) files.push(p);
      }
    };
    walk(join(dir, '..'));
    const used = new Set<string>();
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) if (m[1]) used.add(m[1]);
      for (const m of src.matchAll(/'(validation\.[a-zA-Z]+)'/g)) if (m[1]) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => !en.has(k) && !en.has(`${k}_other`));
    expect(missing).toEqual([]);
  });
});
