// Sends the outbox's emails after the change that wrote them committed (at least once,
// never lost on a crash: the row stays until the send succeeded). SMTP through nodemailer
// when CPOR_SMTP_URL is set, else one .eml file per message under CPOR_DATA_DIR/mail.
// Each outbox row has one Message-ID, kept across retries, so a receiver (or a reader of
// the mail folder) sees a message sent twice after a crash as the same message.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Deps } from '../deps.js';
import { inTransaction, withCaller } from '../db/transaction.js';
import { systemActor } from '../domain/actor.js';
import type { ClaimState } from '../domain/claim.js';
import { disputeEndsAt } from '../domain/claim-deadlines.js';
import { consentToken, consentUrl, serverSecret } from '../consent/consent-tokens.js';
import { productNames } from '../catalog/catalog-repository.js';
import { renderMail, type EmailPayload } from './mail-templates.js';
import { leaseDueEmails, markFailedAttempt, markSent, type DueEmail } from './outbox-repository.js';

export interface OutgoingMail {
  messageId: string;
  from: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  language: string;
}

export interface MailTransport {
  send(id: string, mail: OutgoingMail): Promise<void>;
}

function toNodemailer(mail: OutgoingMail): SendMailOptions {
  return {
    messageId: mail.messageId,
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: { 'Content-Language': mail.language },
  };
}

export function smtpTransport(url: string): MailTransport {
  const t = nodemailer.createTransport(url);
  return {
    async send(_id, mail) {
      await t.sendMail(toNodemailer(mail));
    },
  };
}

/** One .eml per outbox row, named by its id: a resend after a crash overwrites it. */
export function fileTransport(dir: string): MailTransport {
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(id, mail) {
      const info = await t.sendMail(toNodemailer(mail));
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${id}.eml`);
      await writeFile(`${file}.tmp`, info.message as Buffer);
      await rename(`${file}.tmp`, file);
    },
  };
}

const transports = new WeakMap<Deps, MailTransport>();
export function transportOf(deps: Deps): MailTransport {
  let t = transports.get(deps);
  if (!t) {
    const { CPOR_SMTP_URL, CPOR_DATA_DIR } = deps.config;
    t = CPOR_SMTP_URL ? smtpTransport(CPOR_SMTP_URL) : fileTransport(resolve(CPOR_DATA_DIR, 'mail'));
    transports.set(deps, t);
  }
  return t;
}

/** A sender that died mid-send leaves its rows leased for this long; then they are retried. */
const leaseMs = 5 * 60_000;
const maxBackoffMs = 6 * 60 * 60_000;
const batchSize = 20;

/** Leases due email rows (SKIP LOCKED: several processes never take the same row). */
function leaseDue(deps: Deps): Promise<DueEmail[]> {
  return inTransaction(deps.db, systemActor, (tx) => {
    const now = deps.clock.now();
    return leaseDueEmails(tx, now, new Date(now.getTime() + leaseMs), batchSize);
  });
}

export function messageIdOf(deps: Deps, outboxId: string): string {
  return `<${outboxId}@${new URL(deps.config.CPOR_PUBLIC_URL).hostname}>`;
}

async function compose(deps: Deps, id: string, p: EmailPayload, names: Map<string, string>) {
  const base = deps.config.CPOR_PUBLIC_URL.replace(/\/$/, '');
  const rejected = {
    status: 'rejected',
    rejectedAt: p.rejectedAt ? new Date(p.rejectedAt) : null,
    disputedAt: null,
    statusReason: p.statusReason ?? null,
  } as ClaimState;
  const rendered = renderMail(p, {
    timeZone: deps.config.CPOR_TIME_ZONE,
    productNames: names,
    claimUrl: p.claimId ? `${base}/claims/${p.claimId}` : `${base}/review`,
    claimUrlOf: (id) => `${base}/claims/${id}`,
    queueUrl: `${base}/review`,
    consentUrl:
      p.template === 'claim_approved' && p.claimId && p.consentEndsAt
        ? consentUrl(deps, consentToken(await serverSecret(deps), p.claimId, new Date(p.consentEndsAt)))
        : undefined,
    disputeEndsAt: disputeEndsAt(rejected, deps.limits.disputeWindowDays),
    disputeDecisionBusinessDays: deps.limits.disputeDecisionBusinessDays,
  });
  return {
    messageId: messageIdOf(deps, id),
    from: deps.config.CPOR_MAIL_FROM,
    to: { name: p.to.name, address: p.to.email },
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    language: rendered.language,
  };
}

/** Sends every email due now; failures wait CPOR_MAIL_RETRY_SECONDS x 2^(attempt-1). */
export async function sendDueMail(
  deps: Deps,
  log: { error(msg: string): void } = { error: () => undefined },
): Promise<{ sent: number; failed: number }> {
  const transport = transportOf(deps);
  let sent = 0;
  let failed = 0;
  for (;;) {
    const rows = await leaseDue(deps);
    if (rows.length === 0) return { sent, failed };
    const products = await productNames(deps.db);
    const names = new Map(products.map((x) => [x.id, x.name]));
    for (const row of rows) {
      const attempts = row.attempts + 1;
      try {
        const mail = await compose(deps, row.id, row.payload, names);
        await transport.send(row.id, mail);
        await withCaller(deps.db, systemActor, (q) => markSent(q, row.id, deps.clock.now(), attempts));
        sent += 1;
      } catch (e) {
        failed += 1;
        const now = deps.clock.now().getTime();
        const giveUp = attempts >= deps.config.CPOR_MAIL_MAX_ATTEMPTS;
        const wait = Math.min(deps.config.CPOR_MAIL_RETRY_SECONDS * 1000 * 2 ** (attempts - 1), maxBackoffMs);
        log.error(`mail ${row.id} attempt ${attempts} failed${giveUp ? ', giving up' : ''}: ${String(e)}`);
        await withCaller(deps.db, systemActor, (q) =>
          markFailedAttempt(q, row.id, {
            attempts,
            error: String(e).slice(0, 1000),
            retryAt: new Date(now + wait),
            failedAt: giveUp ? new Date(now) : null,
          }),
        );
      }
    }
  }
}
