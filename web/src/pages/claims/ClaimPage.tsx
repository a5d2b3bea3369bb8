// A claim's page, for partners and reviewers alike: the status in plain words and the
// running deadline, only the actions the claim allows (allowedActions), details,
// documents, comments and the history timeline. Reviewers also get the review panel.
import { useState } from 'react';
import {
  Button,
  Link as FluentLink,
  Subtitle2,
  Tab,
  TabList,
  Text,
  Textarea,
  Field,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import {
  claimUrl,
  client,
  data,
  ifMatch,
  isPartner,
  isReviewer,
  listAll,
  type Claim,
  type Comment,
  type DocumentInfo,
  type HistoryItem,
} from '../../api.js';
import { formatBytes, formatDate } from '../../i18n/index.js';
import { Link, navigate } from '../../components/router.js';
import { useMe } from '../../components/session.js';
import {
  DeadlineBadge,
  Loading,
  PageTitle,
  ProblemBar,
  StatusBadge,
  SuccessBar,
  isStale,
  useLoad,
  useStyles,
} from '../../components/ui.js';
import { ActionDialog, type DialogKind } from './ActionDialog.js';
import { PoeUpload } from './wizard/PoeUpload.js';
import { ReviewPanel } from '../review/ReviewPanel.js';
import { StatusBanner, type Side } from './StatusBanner.js';

const useClaimStyles = makeStyles({
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  timeline: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    borderLeft: `2px solid ${tokens.colorBrandStroke2}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
  },
  event: {
    position: 'relative',
    paddingLeft: tokens.spacingHorizontalL,
    '::before': {
      content: '""',
      position: 'absolute',
      left: '-7px',
      top: '4px',
      width: '12px',
      height: '12px',
      borderRadius: '50%',
      backgroundColor: tokens.colorBrandBackground,
    },
  },
  comment: {
    padding: tokens.spacingVerticalS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    whiteSpace: 'pre-wrap',
  },
});

// Actions shown as buttons; comment and upload-document live in their tabs.
const BUTTON_ACTIONS = [
  'edit',
  'submit',
  'start-review',
  'request-information',
  'approve',
  'reject',
  'resolve-dispute',
  'withdraw',
  'disassociate',
  'dispute',
] as const;
type ButtonAction = (typeof BUTTON_ACTIONS)[number];

type TabKey = 'details' | 'documents' | 'comments' | 'history';

export default function ClaimPage({ id }: { id: string }) {
  const s = useStyles();
  const c = useClaimStyles();
  const { t } = useTranslation();
  const me = useMe();
  const claimQ = useLoad(() => data(client.GET('/api/v1/claims/{id}', { params: { path: { id } } })), [id]);
  const catalogQ = useLoad(() => data(client.GET('/api/v1/catalog')), []);
  const [tab, setTab] = useState<TabKey>('details');
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [done, setDone] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [checklist, setChecklist] = useState<Record<string, boolean> | null>(null);
  const claim = claimQ.data;

  if (claimQ.error && !claim) return <ProblemBar error={claimQ.error} />;
  if (!claim) return <Loading />;

  const allowed = new Set(claim.allowedActions);
  const reloadClaim = () => {
    setActionError(null);
    void claimQ.reload();
  };
  const productName = (pid: string) => catalogQ.data?.products.find((p) => p.id === pid)?.name ?? pid;

  /** messageKey: an i18n key, so the message follows a change of language. */
  const afterAction = (updated: Claim | undefined, messageKey: string) => {
    if (updated && typeof updated === 'object' && 'status' in updated) claimQ.setData(updated);
    void claimQ.reload();
    setDone(messageKey);
    setDialog(null);
  };

  const direct = async (action: 'submit' | 'start-review') => {
    setBusy(true);
    setActionError(null);
    setDone('');
    try {
      const init = { params: { path: { id: claim.id } }, headers: ifMatch(claim), body: {} };
      const updated = await data(
        action === 'submit'
          ? client.POST('/api/v1/claims/{id}/submit', init)
          : client.POST('/api/v1/claims/{id}/start-review', init),
      );
      afterAction(updated, `actions.done.${action}`);
    } catch (e) {
      setActionError(e);
      // Changed meanwhile (412): the warning offers to reload; anything else shows the claim as it is.
      if (!isStale(e)) void claimQ.reload();
    } finally {
      setBusy(false);
    }
  };

  const onAction = (a: ButtonAction) => {
    setDone('');
    setActionError(null);
    switch (a) {
      case 'edit':
        navigate(`/claims/${claim.id}/edit`);
        return;
      case 'submit':
      case 'start-review':
        void direct(a);
        return;
      case 'request-information':
      case 'approve':
      case 'reject':
      case 'resolve-dispute':
      case 'withdraw':
      case 'disassociate':
      case 'dispute':
        setDialog(a);
        return;
    }
  };

  // The banner speaks to the reader's side (issue 13 point 5).
  const side: Side = isReviewer(me) ? 'reviewer' : isPartner(me) ? 'partner' : 'admin';

  return (
    <div className={s.page}>
      <div>
        <Link to={isReviewer(me) ? '/review' : '/claims'}>
          {isReviewer(me) ? t('nav.review') : t('nav.claims')}
        </Link>
      </div>
      <PageTitle
        actions={
          <>
            <StatusBadge status={claim.status} outcome={claim.outcome} />
            <DeadlineBadge claim={claim} />
          </>
        }
      >
        {claim.name || t('claim.untitled')}
      </PageTitle>
      <StatusBanner claim={claim} side={side} />
      {claim.requestedInformation && claim.status === 'partner_action_required' ? (
        <div className={s.card} data-testid="requested-information">
          <Subtitle2 as="h2">{t('claim.requestedInformation')}</Subtitle2>
          <ul>
            {claim.requestedInformation.reasons.map((r) => (
              <li key={r}>{t(`infoReason.${r}`, { defaultValue: r })}</li>
            ))}
          </ul>
          {claim.requestedInformation.comment ? <Text>{claim.requestedInformation.comment}</Text> : null}
          {side === 'partner' ? <Text className={s.muted}>{t('claim.respondHow')}</Text> : null}
        </div>
      ) : null}
      <SuccessBar transient>{done ? t(done) : null}</SuccessBar>
      <ProblemBar error={actionError} listFields onReload={reloadClaim} />
      {BUTTON_ACTIONS.some((a) => allowed.has(a)) ? (
        <div className={c.actions} role="group" aria-label={t('actions.label')}>
          {BUTTON_ACTIONS.filter((a) => allowed.has(a)).map((a) => (
            <Button
              key={a}
              appearance={a === 'submit' || a === 'approve' || a === 'start-review' ? 'primary' : 'secondary'}
              disabled={busy}
              onClick={() => onAction(a)}
              data-testid={`action-${a}`}
            >
              {t(`actions.${a}`)}
            </Button>
          ))}
        </div>
      ) : null}
      {isReviewer(me) ? (
        <ReviewPanel claim={claim} productName={productName} onChecklist={setChecklist} />
      ) : null}
      <TabList
        selectedValue={tab}
        onTabSelect={(_, d) => setTab(d.value as TabKey)}
        aria-label={t('claim.sections')}
        // A phone wraps the tabs rather than widening the page.
        style={{ flexWrap: 'wrap' }}
      >
        <Tab value="details">{t('claim.tabs.details')}</Tab>
        <Tab value="documents">{t('claim.tabs.documents')}</Tab>
        <Tab value="comments">{t('claim.tabs.comments')}</Tab>
        <Tab value="history">{t('claim.tabs.history')}</Tab>
      </TabList>
      <div role="tabpanel" aria-label={t(`claim.tabs.${tab}`)} className={s.card}>
        {tab === 'details' ? <Details claim={claim} productName={productName} /> : null}
        {tab === 'documents' ? <Documents claim={claim} onClaim={claimQ.setData} /> : null}
        {tab === 'comments' ? <Comments claim={claim} onChanged={reloadClaim} /> : null}
        {tab === 'history' ? <History claim={claim} /> : null}
      </div>
      {dialog ? (
        <ActionDialog
          kind={dialog}
          claim={claim}
          checklist={checklist}
          onClose={() => setDialog(null)}
          onReload={() => void claimQ.reload()}
          onClaim={claimQ.setData}
          productName={productName}
          onDone={(updated) => afterAction(updated, `actions.done.${dialog}`)}
        />
      ) : null}
    </div>
  );
}

export function Details({ claim, productName }: { claim: Claim; productName: (id: string) => string }) {
  const s = useStyles();
  const { t } = useTranslation();
  const contact = (x: { name: string; title?: string; email: string } | null) =>
    x ? [x.name, x.title, x.email].filter(Boolean).join(' · ') : '—';
  return (
    <dl className={s.dl} data-testid="claim-details">
      <dt>{t('claim.partner')}</dt>
      <dd>{claim.organizationName ?? '—'}</dd>
      <dt>{t('claim.mpnId')}</dt>
      <dd>{claim.mpnId ?? '—'}</dd>
      <dt>{t('claim.domain')}</dt>
      <dd>{claim.customer?.domain ?? '—'}</dd>
      <dt>{t('claim.tenantId')}</dt>
      <dd>{claim.customer?.tenantId ?? '—'}</dd>
      <dt>{t('claim.solutionArea')}</dt>
      <dd>{claim.solutionArea ? t(`solutionArea.${claim.solutionArea}`) : '—'}</dd>
      <dt>{t('claim.activity')}</dt>
      <dd>{claim.activity ? t(`activity.${claim.activity}`, { defaultValue: claim.activity }) : '—'}</dd>
      <dt>{t('claim.products')}</dt>
      <dd>
        {claim.products.length ? (
          <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
            {claim.products.map((p) => (
              <li key={p.productId + (p.subscriptionId ?? '')}>
                {productName(p.productId)}
                {p.subscriptionId ? ` — ${t('claim.subscriptionId')}: ${p.subscriptionId}` : ''}
                <AssociationEnded claim={claim} productId={p.productId} />
              </li>
            ))}
          </ul>
        ) : (
          '—'
        )}
      </dd>
      <dt>{t('contact.customer')}</dt>
      <dd>{contact(claim.customerContact)}</dd>
      {claim.technicalContact ? (
        <>
          <dt>{t('contact.technical')}</dt>
          <dd>{contact(claim.technicalContact)}</dd>
        </>
      ) : null}
      <dt>{t('contact.partner')}</dt>
      <dd>{contact(claim.partnerContact)}</dd>
      {claim.revenue ? (
        <>
          <dt>{t('claim.revenue.solutionSellerName')}</dt>
          <dd>{claim.revenue.solutionSellerName}</dd>
          <dt>{t('claim.revenue.customerName')}</dt>
          <dd>{claim.revenue.customerName}</dd>
          <dt>{t('claim.revenue.isvSolutionName')}</dt>
          <dd>{claim.revenue.isvSolutionName}</dd>
        </>
      ) : null}
      {claim.consent ? (
        <>
          <dt>{t('claim.consent')}</dt>
          <dd>
            {t(`consentState.${claim.consent.state}`)}
            {claim.consent.endsAt && claim.consent.state === 'pending'
              ? ` · ${t('claim.consentEnds', { date: formatDate(claim.consent.endsAt, true) })}`
              : ''}
          </dd>
        </>
      ) : null}
      {claim.disputeEndsAt ? (
        <>
          <dt>{t('claim.disputeEndsAt')}</dt>
          <dd>{formatDate(claim.disputeEndsAt, true)}</dd>
        </>
      ) : null}
      <dt>{t('claim.createdAt')}</dt>
      <dd>{formatDate(claim.createdAt, true)}</dd>
      <dt>{t('claim.submittedAt')}</dt>
      <dd>{formatDate(claim.submittedAt, true)}</dd>
      <dt>{t('claim.updatedAt')}</dt>
      <dd>{formatDate(claim.updatedAt, true)}</dd>
    </dl>
  );
}

export function Documents({ claim, onClaim }: { claim: Claim; onClaim: (c: Claim) => void }) {
  const s = useStyles();
  const { t } = useTranslation();
  const docsQ = useLoad(
    async () => listAll<DocumentInfo>(claimUrl(claim.id, '/documents'), {}, { limit: 200 }),
    [claim.id],
  );
  const docs = docsQ.data ?? [];
  return (
    <div className={s.col}>
      <Subtitle2 as="h2">{t('poe.title')}</Subtitle2>
      <ProblemBar error={docsQ.error} />
      {docs.length ? (
        <ul data-testid="documents">
          {docs.map((d) => (
            <li key={d.id}>
              <FluentLink href={claimUrl(claim.id, `/documents/${d.id}`)} download={d.fileName}>
                {d.fileName}
              </FluentLink>{' '}
              <span className={s.muted}>
                ({formatBytes(d.size)}
                {` · ${formatDate(d.createdAt, true)}`})
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <Text className={s.muted}>{t('poe.none')}</Text>
      )}
      {claim.abilities.addDocument ? (
        <PoeUpload claim={claim} onUploaded={() => void docsQ.reload()} onClaim={onClaim} />
      ) : null}
    </div>
  );
}

/** `onChanged`: read the claim again (a comment moves its version; a 412 asks to reload). */
export function Comments({ claim, onChanged }: { claim: Claim; onChanged: () => void }) {
  const s = useStyles();
  const c = useClaimStyles();
  const { t } = useTranslation();
  const q = useLoad(
    async () => listAll<Comment>(claimUrl(claim.id, '/comments'), {}, { limit: 200 }),
    [claim.id],
  );
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const add = async () => {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await data(
        client.POST('/api/v1/claims/{id}/comments', {
          params: { path: { id: claim.id } },
          headers: ifMatch(claim),
          body: { text: text.trim() },
        }),
      );
      setText('');
      onChanged();
      await q.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={s.col}>
      <Subtitle2 as="h2">{t('claim.tabs.comments')}</Subtitle2>
      <ProblemBar
        error={q.error ?? error}
        onReload={() => {
          setError(null);
          onChanged();
          void q.reload();
        }}
      />
      {(q.data ?? []).length === 0 ? <Text className={s.muted}>{t('comments.none')}</Text> : null}
      <div data-testid="comments">
        {(q.data ?? []).map((m) => {
          const who = m.author;
          return (
            <div key={m.id} className={c.comment}>
              <Text weight="semibold">
                {who?.name ?? '—'}
                {who?.role ? ` (${t(`role.${who.role}`, { defaultValue: who.role })})` : ''}
              </Text>{' '}
              <Text className={s.muted}>{formatDate(m.createdAt, true)}</Text>
              <div>{m.text}</div>
            </div>
          );
        })}
      </div>
      {claim.allowedActions.includes('comment') ? (
        <form
          className={s.col}
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <Field label={t('comments.add')}>
            <Textarea
              value={text}
              onChange={(_, d) => setText(d.value)}
              resize="vertical"
              data-testid="comment-text"
            />
          </Field>
          <div>
            <Button
              type="submit"
              appearance="primary"
              disabled={busy || !text.trim()}
              data-testid="comment-send"
            >
              {t('comments.send')}
            </Button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

function describe(item: HistoryItem, t: (k: string, o?: Record<string, unknown>) => string): string {
  const d = item.data ?? {};
  const parts: string[] = [];
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null);
  const from = str('from') ?? str('fromStatus');
  const to = str('to') ?? str('toStatus') ?? str('status');
  if (from && to)
    parts.push(`${t(`status.${from}`, { defaultValue: from })} → ${t(`status.${to}`, { defaultValue: to })}`);
  else if (to) parts.push(t(`status.${to}`, { defaultValue: to }));
  const reason = str('reason') ?? str('statusReason');
  if (reason)
    parts.push(
      t(`rejection.${reason}`, { defaultValue: t(`infoReason.${reason}`, { defaultValue: reason }) }),
    );
  if (Array.isArray(d.reasons))
    parts.push(
      (d.reasons as unknown[])
        .map((r) => t(`infoReason.${String(r)}`, { defaultValue: String(r) }))
        .join(', '),
    );
  const text = str('comment') ?? str('text') ?? str('justification');
  if (text) parts.push(`“${text}”`);
  const file = str('fileName');
  if (file) parts.push(file);
  return parts.join(' · ');
}

export function History({ claim }: { claim: Claim }) {
  const s = useStyles();
  const c = useClaimStyles();
  const { t } = useTranslation();
  const q = useLoad(
    async () => listAll<HistoryItem>(claimUrl(claim.id, '/history'), {}, { limit: 200 }),
    [claim.id, claim.version],
  );
  return (
    <div className={s.col}>
      <Subtitle2 as="h2">{t('claim.tabs.history')}</Subtitle2>
      <ProblemBar error={q.error} />
      <ol className={c.timeline} data-testid="history">
        {(q.data ?? []).map((h, i) => (
          <li key={i} className={c.event}>
            <Text weight="semibold">
              {t(`history.${h.type}`, { defaultValue: h.type.replace(/[._]/g, ' ') })}
            </Text>{' '}
            <Text className={s.muted}>
              {formatDate(h.at, true)}
              {h.actor?.name ? ` · ${h.actor.name}` : ''}
              {h.actor?.role ? ` (${t(`role.${h.actor.role}`, { defaultValue: h.actor.role })})` : ''}
            </Text>
            <div>{describe(h, t)}</div>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** R-UNIQ-7: when and why the association of a claimed product ended, if it did. */
function AssociationEnded({ claim, productId }: { claim: Claim; productId: string }) {
  const { t } = useTranslation();
  const a = claim.associations?.find((x) => x.productId === productId && x.endedAt);
  if (!a?.endedAt) return null;
  return (
    <span data-testid="association-ended">
      {' — '}
      {t('claim.associationEnded', {
        date: formatDate(a.endedAt, true),
        reason: t(`endReason.${a.endReason ?? ''}`, { defaultValue: a.endReason ?? '' }),
      })}
    </span>
  );
}
