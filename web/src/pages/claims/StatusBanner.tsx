// The status banner of a claim's page (issue 13 points 2 and 5): how it stands in words
// written for the reader's side (the partner, a reviewer, a platform admin), with the words
// behind it on top: the rejection's reason and comment, the dispute's justification and
// decision, the customer's reason for denying, the partner's reason for ending, the latest
// reviewer comment.
import {
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { Claim } from '../../api.js';
import { formatDate, formatRelative } from '../../i18n/index.js';
import { statusLabel } from '../../components/ui.js';

export type Side = 'partner' | 'reviewer' | 'admin';

const useBannerStyles = makeStyles({
  said: { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: 0, listStyleType: 'none' },
  line: { marginBottom: tokens.spacingVerticalXS, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' },
});

/** Issue 13 point 2: a reviewer's rejection and a customer's denial are errors; a partner's own end is not. */
function bannerIntent(claim: Claim): 'error' | 'warning' | 'info' {
  switch (claim.outcome) {
    case 'rejected_by_reviewer':
    case 'customer_denied':
      return 'error';
    case 'no_partner_response':
      return 'warning';
    case 'withdrawn':
    case 'disassociated':
    case 'ended':
      return 'info';
    case null:
      return claim.overdue ? 'warning' : 'info';
  }
}

/** Which explanation fits: rejected and approved claims have final variants. */
export function helpKeyOf(claim: Claim): string {
  if (claim.status === 'rejected') {
    // A dispute decided and upheld: the rejection stands; the window may still run, but the
    // one dispute has been used (R-DISP-1).
    const decision = claim.context?.dispute?.decision;
    if (decision?.outcome === 'uphold' && claim.outcome === 'rejected_by_reviewer') return 'rejectedUpheld';
    // Whether a dispute is still possible, and until when, is the server's word (its clock may
    // be a test clock): no window at all is a final rejection (R-DISP-2).
    const { possible, until } = claim.abilities.dispute;
    return !until ? 'rejectedFinal' : possible ? 'rejected' : 'rejectedClosed';
  }
  // R-UNIQ-7: some associations ended while others stay in force.
  if (claim.status === 'approved' && claim.associations.some((a) => a.endedAt)) return 'approvedPartly';
  if (claim.status === 'approved' && claim.consent?.state === 'completed') return 'approvedFinal';
  return claim.status;
}

export function StatusBanner({ claim, side }: { claim: Claim; side: Side }) {
  const { t } = useTranslation();
  const b = useBannerStyles();
  const key = helpKeyOf(claim);
  const reason = claim.statusReason
    ? t(`${claim.status === 'ended' ? 'endReason' : 'rejection'}.${claim.statusReason}`, {
        defaultValue: claim.statusReason,
      })
    : '';
  const values = {
    due: claim.dueAt ? formatDate(claim.dueAt, true) : '',
    consentEnds: claim.consent?.endsAt ? formatDate(claim.consent.endsAt, true) : '',
    disputeEnds: claim.disputeEndsAt ? formatDate(claim.disputeEndsAt, true) : '',
    reason,
  };
  const explanation = t(side === 'partner' ? `statusHelp.${key}` : `statusHelp.staff.${key}`, values);
  const todo = side === 'reviewer' ? t(`statusHelp.reviewerTodo.${claim.status}`, { defaultValue: '' }) : '';
  return (
    <MessageBar intent={bannerIntent(claim)} layout="multiline" data-testid="status-help">
      <MessageBarBody>
        <MessageBarTitle>{statusLabel(t, claim)}</MessageBarTitle>
        <Said claim={claim} className={b.said} lineClass={b.line} />
        <Text as="p" style={{ margin: 0 }}>
          {explanation}
          {todo ? ` ${todo}` : ''}
          {claim.dueAt ? (
            <>
              {' '}
              {claim.overdue
                ? t('deadline.overdueSince', { date: formatDate(claim.dueAt, true) })
                : t('deadline.runningUntil', {
                    date: formatDate(claim.dueAt, true),
                    when: formatRelative(claim.dueAt),
                  })}
            </>
          ) : null}
        </Text>
      </MessageBarBody>
    </MessageBar>
  );
}

/** The words behind the status, newest decision first; each once. */
function Said({ claim, className, lineClass }: { claim: Claim; className: string; lineClass: string }) {
  const { t } = useTranslation();
  const c = claim.context;
  if (!c) return null;
  const by = (x: { by?: string; at: string }) =>
    x.by ? t('claim.context.by', { name: x.by, date: formatDate(x.at, true) }) : formatDate(x.at, true);
  const quote = (s: string) => t('claim.context.quote', { text: s });
  const lines: { id: string; label: string; text: string; meta: string }[] = [];
  const shown = new Set<string>();
  const add = (id: string, label: string, text: string | null, meta: string) => {
    lines.push({ id, label, text: text ?? '', meta });
    if (text) shown.add(text);
  };
  const d = c.dispute;
  if (d?.decision && (claim.status === 'rejected' || claim.status === 'approved'))
    add(
      'decision',
      t(d.decision.outcome === 'uphold' ? 'claim.context.upheld' : 'claim.context.overturned'),
      d.decision.comment ? quote(d.decision.comment) : null,
      by(d.decision),
    );
  if (d && (claim.status === 'disputed' || d.decision))
    add(
      'dispute',
      t('claim.context.dispute'),
      d.justification ? quote(d.justification) : t('claim.context.disputeNoText'),
      by(d),
    );
  if (claim.outcome === 'customer_denied' && c.customerDenial)
    add(
      'denial',
      t('claim.context.denial'),
      c.customerDenial.reason ? quote(c.customerDenial.reason) : t('claim.context.denialNone'),
      formatDate(c.customerDenial.at, true),
    );
  // A rejected claim's explanation names the reason: its comment goes on top. A disputed
  // claim's explanation is the dispute's: the reason goes on top too.
  else if (claim.status === 'disputed' && c.rejection)
    add(
      'rejection',
      t('claim.context.rejection', { reason: t(`rejection.${c.rejection.reason}`) }),
      c.rejection.comment ? quote(c.rejection.comment) : null,
      by(c.rejection),
    );
  else if (claim.status === 'rejected' && c.rejection?.comment)
    add('rejection', t('claim.context.rejectionComment'), quote(c.rejection.comment), by(c.rejection));
  if (claim.outcome === 'disassociated' && c.disassociation)
    add(
      'disassociation',
      t('claim.context.disassociation'),
      quote(c.disassociation.reason),
      by(c.disassociation),
    );
  const rc = c.reviewerComment;
  if (
    rc &&
    claim.status !== 'draft' &&
    !shown.has(quote(rc.text)) &&
    rc.text !== claim.requestedInformation?.comment
  )
    add('reviewer-comment', t('claim.context.reviewerComment'), quote(rc.text), by(rc));
  if (!lines.length) return null;
  return (
    <ul className={className} aria-label={t('claim.context.label')} data-testid="status-context">
      {lines.map((l) => (
        <li key={l.id} className={lineClass} data-testid={`context-${l.id}`}>
          <Text weight="semibold">{l.label}</Text>
          {l.text ? <> {l.text}</> : null} <Text size={200}>({l.meta})</Text>
        </li>
      ))}
    </ul>
  );
}
