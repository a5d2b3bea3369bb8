import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('settings', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      CPOR_DATA_DIR: './data',
      CPOR_CONSENT_WINDOW_DAYS: 7,
      CPOR_DISPUTE_WINDOW_DAYS: 30,
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.CPOR_TEST_CLOCK).toBe(false);
  });

  it('takes the test clock only when told it is not production (issue 10 point 6)', () => {
    expect(loadConfig({}).NODE_ENV).toBe('production');
    expect(loadConfig({ CPOR_TEST_CLOCK: '1', NODE_ENV: 'test' }).CPOR_TEST_CLOCK).toBe(true);
    expect(loadConfig({ CPOR_TEST_CLOCK: '1', NODE_ENV: 'development' }).CPOR_TEST_CLOCK).toBe(true);
  });

  it('reads the trusted proxies as a list', () => {
    expect(loadConfig({ CPOR_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,loopback' }).CPOR_TRUST_PROXY).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      'loopback',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [
      { DATABASE_URL: 'postgres://o@h/d', CPOR_RUNTIME_DATABASE_URL: 'mysql://x' },
      'CPOR_RUNTIME_DATABASE_URL',
    ],
    // The embedded database has one user: a runtime login needs a server.
    [{ CPOR_RUNTIME_DATABASE_URL: 'postgres://cpor_runtime@h/d' }, 'CPOR_RUNTIME_DATABASE_URL'],
    [{ CPOR_SMTP_URL: 'http://x' }, 'CPOR_SMTP_URL'],
    [{ CPOR_CONSENT_WINDOW_DAYS: '0' }, 'CPOR_CONSENT_WINDOW_DAYS'],
    [{ CPOR_TEST_CLOCK: '1', NODE_ENV: 'production' }, 'CPOR_TEST_CLOCK'],
    // issue 10 point 6: NODE_ENV unset counts as production.
    [{ CPOR_TEST_CLOCK: '1' }, 'CPOR_TEST_CLOCK'],
    [{ CPOR_TEST_CLOCK: '1', NODE_ENV: 'staging' }, 'CPOR_TEST_CLOCK'],
    [{ CPOR_TRUST_PROXY: '10.0.0.0/8, proxy.internal' }, 'CPOR_TRUST_PROXY'],
    [{ CPOR_ADMIN_EMAIL: 'a@b.example', CPOR_ADMIN_PASSWORD: 'short' }, 'CPOR_ADMIN_PASSWORD'],
    [{ CPOR_TIME_ZONE: 'Mars/Olympus_Mons' }, 'CPOR_TIME_ZONE'],
    [{ CPOR_ADMIN_EMAIL: 'a@b.example' }, 'CPOR_ADMIN_PASSWORD'],
  ])('refuses %o naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`\\b${name}\\b`));
  });
});
