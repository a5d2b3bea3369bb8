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

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ CPOR_SMTP_URL: 'http://x' }, 'CPOR_SMTP_URL'],
    [{ CPOR_CONSENT_WINDOW_DAYS: '0' }, 'CPOR_CONSENT_WINDOW_DAYS'],
    [{ CPOR_TEST_CLOCK: '1', NODE_ENV: 'production' }, 'CPOR_TEST_CLOCK'],
    [{ CPOR_TIME_ZONE: 'Mars/Olympus_Mons' }, 'CPOR_TIME_ZONE'],
    [{ CPOR_ADMIN_EMAIL: 'a@b.example' }, 'CPOR_ADMIN_PASSWORD'],
  ])('refuses %o naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`\\b${name}\\b`));
  });
});
