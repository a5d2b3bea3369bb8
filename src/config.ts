// Settings: one zod schema, read once at start. A bad value stops the start with a
// message naming the variable (docs/architecture.md and the README "Settings").
import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { checkTimeZone } from './domain/calendar.js';
import type { Limits } from './domain/limits.js';
import { weakPasswordReason } from './domain/sign-in-limits.js';

const flag = z
  .enum(['1', '0', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal']);
const notProduction = new Set(['test', 'development']);

/** Production unless NODE_ENV says test or development out loud (unset counts as production). */
export const isProduction = (c: { NODE_ENV: string }) => !notProduction.has(c.NODE_ENV);

const positiveInt = (def: number) => z.coerce.number().int().positive().default(def);

function isTimeZone(tz: string): boolean {
  try {
    checkTimeZone(tz);
    return true;
  } catch {
    return false;
  }
}

export const configSchema = z
  .object({
    // Unset counts as production: the test clock needs NODE_ENV=test or development said out loud.
    NODE_ENV: z.string().default('production'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    // The server's own login (issue 11): unset, DATABASE_URL with the user cpor_runtime, no password.
    CPOR_RUNTIME_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    CPOR_DATA_DIR: z.string().min(1).default('./data'),
    CPOR_PUBLIC_URL: z.string().url().default('http://localhost:8080'),
    CPOR_SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    CPOR_MAIL_FROM: z.string().default('cpor <no-reply@cpor.localhost>'),
    // Where customers and partners write about the programme (shown on the consent page).
    CPOR_CONTACT_EMAIL: z.string().email().optional(),
    CPOR_ADMIN_EMAIL: z.string().email().optional(),
    CPOR_ADMIN_PASSWORD: z.string().optional(),
    CPOR_TEST_CLOCK: flag,
    CPOR_DEMO: flag,
    CPOR_SCHEDULER: z.enum(['on', 'off']).default('on'),
    CPOR_SECRET: z.string().min(16).optional(),
    // A file holding the signing secret (a mounted secret), read at start instead of CPOR_SECRET.
    CPOR_SECRET_FILE: z.string().min(1).optional(),
    // The whole request (headers and body) must arrive within this; the headers within 10 s.
    CPOR_REQUEST_TIMEOUT_SECONDS: positiveInt(120),
    // /metrics: with a token, only for `Authorization: Bearer <token>`; with a port, only there.
    // Neither: not served.
    CPOR_METRICS_TOKEN: z.string().min(16).optional(),
    CPOR_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    // The worker's own /healthz and /metrics (npm run worker, cpor worker).
    CPOR_WORKER_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    CPOR_MAX_UPLOAD_BYTES: positiveInt(25 * 1024 * 1024),
    CPOR_MAX_DOCUMENTS_PER_CLAIM: positiveInt(50),
    CPOR_STORAGE_URL: z
      .string()
      .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'must be s3://bucket or s3://bucket/prefix')
      .optional(),
    CPOR_S3_ENDPOINT: z.string().url().optional(),
    CPOR_S3_REGION: z.string().min(1).default('us-east-1'),
    CPOR_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    CPOR_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    CPOR_S3_FORCE_PATH_STYLE: flag,
    CPOR_TIME_ZONE: z
      .string()
      .default('UTC')
      .refine((tz) => isTimeZone(tz), 'must be an IANA time zone such as Europe/Lisbon'),
    // R-TIME-6: the local hour (0-23, CPOR_TIME_ZONE) from which the reviewers' daily digest goes out.
    CPOR_DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(8),
    CPOR_SCHEDULER_INTERVAL_MS: positiveInt(1000),
    CPOR_MAIL_MAX_ATTEMPTS: positiveInt(8),
    CPOR_MAIL_RETRY_SECONDS: positiveInt(30),
    // Webhooks (issue 12): how long a receiver has to answer, the first retry's wait (doubled
    // each time, with jitter), and when a delivery still failing is given up as dead.
    CPOR_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    CPOR_WEBHOOK_RETRY_SECONDS: positiveInt(30),
    CPOR_WEBHOOK_GIVE_UP_HOURS: positiveInt(24),
    CPOR_SUBMITTED_SLA_BUSINESS_DAYS: positiveInt(5),
    CPOR_REVIEW_SLA_BUSINESS_DAYS: positiveInt(5),
    CPOR_PARTNER_RESPONSE_BUSINESS_DAYS: positiveInt(5),
    CPOR_DISPUTE_DECISION_BUSINESS_DAYS: positiveInt(5),
    CPOR_DECISION_TARGET_BUSINESS_DAYS: positiveInt(10),
    CPOR_CONSENT_WINDOW_DAYS: positiveInt(7),
    CPOR_DISPUTE_WINDOW_DAYS: positiveInt(30),
    CPOR_SESSION_HOURS: positiveInt(12),
    // The proxies whose X-Forwarded-For is believed (the client address of sign-in limits and
    // the audit): addresses, CIDR ranges, or loopback / linklocal / uniquelocal, comma-separated.
    CPOR_TRUST_PROXY: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .refine(
        (list) => list.every((x) => proxyNames.has(x) || ipaddr.isValid(x) || ipaddr.isValidCIDR(x)),
        'must be addresses, CIDR ranges or loopback / linklocal / uniquelocal, separated by commas',
      )
      .optional(),
    CPOR_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((c, ctx) => {
    if (c.CPOR_TEST_CLOCK && !notProduction.has(c.NODE_ENV)) {
      ctx.addIssue({
        code: 'custom',
        path: ['CPOR_TEST_CLOCK'],
        message:
          'the test clock is refused in production: set NODE_ENV=test or NODE_ENV=development (unset counts as production)',
      });
    }
    if (c.CPOR_RUNTIME_DATABASE_URL && !c.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['CPOR_RUNTIME_DATABASE_URL'],
        message: 'goes with DATABASE_URL (the embedded database has one user)',
      });
    }
    if (c.CPOR_SECRET && c.CPOR_SECRET_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['CPOR_SECRET_FILE'],
        message: 'CPOR_SECRET and CPOR_SECRET_FILE do not go together',
      });
    }
    if (Boolean(c.CPOR_S3_ACCESS_KEY_ID) !== Boolean(c.CPOR_S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['CPOR_S3_SECRET_ACCESS_KEY'],
        message: 'CPOR_S3_ACCESS_KEY_ID and CPOR_S3_SECRET_ACCESS_KEY go together',
      });
    }
    const weak = c.CPOR_ADMIN_PASSWORD
      ? weakPasswordReason(c.CPOR_ADMIN_PASSWORD, { email: c.CPOR_ADMIN_EMAIL ?? '' })
      : null;
    if (weak) ctx.addIssue({ code: 'custom', path: ['CPOR_ADMIN_PASSWORD'], message: weak });
    if (Boolean(c.CPOR_ADMIN_EMAIL) !== Boolean(c.CPOR_ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['CPOR_ADMIN_PASSWORD'],
        message: 'CPOR_ADMIN_EMAIL and CPOR_ADMIN_PASSWORD go together',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

/** The settings mapped onto the domain's time limits (domain/limits.ts). */
export function limitsOf(c: Config): Limits {
  return {
    submittedSlaBusinessDays: c.CPOR_SUBMITTED_SLA_BUSINESS_DAYS,
    reviewSlaBusinessDays: c.CPOR_REVIEW_SLA_BUSINESS_DAYS,
    partnerResponseBusinessDays: c.CPOR_PARTNER_RESPONSE_BUSINESS_DAYS,
    disputeDecisionBusinessDays: c.CPOR_DISPUTE_DECISION_BUSINESS_DAYS,
    decisionTargetBusinessDays: c.CPOR_DECISION_TARGET_BUSINESS_DAYS,
    consentWindowDays: c.CPOR_CONSENT_WINDOW_DAYS,
    disputeWindowDays: c.CPOR_DISPUTE_WINDOW_DAYS,
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means unset (`DATABASE_URL= npm start` uses the embedded database).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid settings:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.CPOR_SECRET_FILE) config.CPOR_SECRET = readSecretFile(config.CPOR_SECRET_FILE);
  return config;
}

/** The signing secret from a file (outside the database); its last line break is not part of it. */
function readSecretFile(path: string): string {
  let secret: string;
  try {
    secret = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new ConfigError(`Invalid settings:\n  CPOR_SECRET_FILE: cannot be read (${(e as Error).message})`);
  }
  if (secret.length < 16)
    throw new ConfigError('Invalid settings:\n  CPOR_SECRET_FILE: the secret must be 16 characters or more');
  return secret;
}

/** Settings for tests: defaults plus overrides, never read from process.env. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', CPOR_TEST_CLOCK: '1', CPOR_LOG_LEVEL: 'silent', ...overrides });
}
