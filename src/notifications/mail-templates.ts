// Renders an outbox email (R-NOTE-1/2/3, disputes, superseded associations, customer
// denials) in the recipient's language: subject, plain text and HTML. Pure.
import type { EmailPayload } from '../domain/outbox.js';
import { mailLanguages, mailText, type MailKind, type MailLanguage } from './mail-text.js';

export type { EmailPayload };

/** What the renderer needs beyond the payload, resolved by the sender. */
export interface MailContext {
  timeZone: string;
  productNames: Map<string, string>;
  claimUrl: string;
  /** The page of another claim (the digest lists several) and the review queue. */
  claimUrlOf: (claimId: string) => string;
  queueUrl: string;
  /** The customer's consent link (claim_approved only). */
  consentUrl?: string;
  /** Until when the rejection can be disputed; null when it cannot be (R-DISP-2). */
  disputeEndsAt: Date | null;
  disputeDecisionBusinessDays: number;
}

export interface RenderedMail {
  language: MailLanguage;
  subject: string;
  text: string;
  html: string;
}

export function mailLanguage(language: string | null | undefined): MailLanguage {
  return (mailLanguages as readonly string[]).includes(language ?? '') ? (language as MailLanguage) : 'en';
}

function kindOf(p: EmailPayload, ctx: MailContext): MailKind {
  switch (p.template) {
    case 'claim_rejected':
      return ctx.disputeEndsAt ? 'claim_rejected' : 'claim_rejected_final';
    case 'dispute_decided':
      return p.status === 'approved' ? 'dispute_overturned' : 'dispute_upheld';
    case 'claim_approved':
    case 'partner_approved':
    case 'information_requested':
    case 'dispute_received':
    case 'association_superseded':
    case 'association_expired':
    case 'customer_declined':
    case 'overdue_digest':
      return p.template;
    default:
      throw new Error(`no mail template ${p.template}`);
  }
}

const fill = (s: string, values: Record<string, string>) =>
  s.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function renderMail(p: EmailPayload, ctx: MailContext): RenderedMail {
  const language = mailLanguage(p.language);
  const words = mailText[language];
  const kind = kindOf(p, ctx);
  const date = (iso: string | Date | null | undefined) =>
    iso
      ? new Intl.DateTimeFormat(language, {
          dateStyle: 'long',
          timeStyle: 'long',
          timeZone: ctx.timeZone,
        }).format(new Date(iso))
      : '-';
  const list = (items: string[]) => new Intl.ListFormat(language, { type: 'conjunction' }).format(items);
  const until =
    kind === 'claim_rejected'
      ? date(ctx.disputeEndsAt)
      : kind === 'information_requested'
        ? date(p.requestedInformation?.dueAt)
        : date(p.consentEndsAt);
  const values: Record<string, string> = {
    name: p.to.name,
    partner: p.organizationName ?? '-',
    mpnId: p.mpnId ?? '-',
    claim: p.claimName ?? p.claimId ?? '-',
    domain: p.customer?.domain ?? '-',
    tenantId: p.customer?.tenantId ?? '-',
    products: list(
      (p.products ?? []).map((x) => {
        const name = ctx.productNames.get(x.productId) ?? x.productId;
        return x.subscriptionId ? `${name} (${x.subscriptionId})` : name;
      }),
    ),
    reason: words.reasons[p.statusReason ?? ''] ?? p.statusReason ?? '-',
    reasons: list((p.requestedInformation?.reasons ?? []).map((r) => words.reasons[r] ?? r)),
    comment: p.requestedInformation?.comment || '-',
    until,
    days: String(ctx.disputeDecisionBusinessDays),
    count: String(p.overdue?.length ?? 0),
  };
  const subject = fill(words.subjects[kind], values);
  const paragraphs = words.bodies[kind].map((b) => fill(b, values));
  // R-TIME-6: the digest lists each claim with its own link.
  const items = (p.overdue ?? []).map((o) => ({
    line: fill(words.digestLine, {
      claim: o.claimName ?? o.claimId,
      partner: o.organizationName ?? '-',
      since: date(o.since),
    }),
    href: ctx.claimUrlOf(o.claimId),
  }));
  const link =
    kind === 'claim_approved' && ctx.consentUrl
      ? { href: ctx.consentUrl, label: words.denyLink }
      : kind === 'overdue_digest'
        ? { href: ctx.queueUrl, label: words.openQueue }
        : { href: ctx.claimUrl, label: words.openClaim };
  const hello = fill(words.hello, values);
  const lines = items.length ? [items.map((i) => `- ${i.line}\n  ${i.href}`).join('\n')] : [];
  const text =
    [hello, ...paragraphs, ...lines, `${link.label}: ${link.href}`, '--', words.footer].join('\n\n') + '\n';
  const html = [
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: Segoe UI, Helvetica, Arial, sans-serif; line-height: 1.5">',
    `<p>${escapeHtml(hello)}</p>`,
    ...paragraphs.map((x) => `<p>${escapeHtml(x)}</p>`),
    ...(items.length
      ? [
          '<ul>',
          ...items.map((i) => `<li><a href="${escapeHtml(i.href)}">${escapeHtml(i.line)}</a></li>`),
          '</ul>',
        ]
      : []),
    `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`,
    `<hr><p style="color: #605e5c; font-size: small">${escapeHtml(words.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { language, subject, text, html };
}
