// The harness's choice of databases (test/harness.ts dbTargets): CI's Node 24 pass keeps the
// PostgreSQL server only (CPOR_TEST_TARGETS=postgres, .ci/run). A wrong value must fail the run
// loudly, never leave a suite with no database to run on.
import { afterEach, describe, expect, it } from 'vitest';
import { dbTargets } from './harness.js';

describe('CPOR_TEST_TARGETS', () => {
  const saved = { targets: process.env.CPOR_TEST_TARGETS, url: process.env.TEST_DATABASE_URL };
  const set = (targets: string | undefined, url: string | undefined) => {
    if (targets === undefined) delete process.env.CPOR_TEST_TARGETS;
    else process.env.CPOR_TEST_TARGETS = targets;
    if (url === undefined) delete process.env.TEST_DATABASE_URL;
    else process.env.TEST_DATABASE_URL = url;
  };
  afterEach(() => set(saved.targets, saved.url));
  const url = 'postgres://postgres@127.0.0.1:5432/test';

  it('keeps every database by default, and those named when asked', () => {
    set(undefined, url);
    expect(dbTargets()).toEqual(['pglite', 'postgres']);
    set(undefined, undefined);
    expect(dbTargets()).toEqual(['pglite']);
    set('postgres', url);
    expect(dbTargets()).toEqual(['postgres']);
    set(' pglite , postgres ', url);
    expect(dbTargets()).toEqual(['pglite', 'postgres']);
  });

  it('refuses a target it does not know, and the server without its URL', () => {
    set('postgress', url);
    expect(() => dbTargets()).toThrow('CPOR_TEST_TARGETS: unknown target postgress');
    set('postgres', undefined);
    expect(() => dbTargets()).toThrow('CPOR_TEST_TARGETS: postgres needs TEST_DATABASE_URL');
  });
});
