// The customer's page behind the consent link (R-CONS-1, issue 13 point 7): the programme in
// plain words, what is claimed, by whom, until when it can be denied (times with their time
// zone), whom to ask, and a denial confirmed in a dialog. No account needed: the token is the
// key. Read again after a decision, the link shows the outcome; it acts only once.
import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Link as FluentLink,
  MessageBar,
  MessageBarBody,
  Subtitle2,
  Text,
  Textarea,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, type Schema } from '../../api.js';
import { currentLanguage } from '../../i18n/index.js';
import { LanguagePicker } from '../../components/LanguagePicker.js';
import { Loading, ProblemBar, useLoad, useStyles } from '../../components/ui.js';

type ConsentLink = Schema<'ConsentLink'>;

const useConsentStyles = makeStyles({
  wrap: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  bar: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    gap: tokens.spacingHorizontalL,
  },
  main: {
    padding: tokens.spacingHorizontalXL,
    maxWidth: '760px',
    margin: '0 auto',
    '@media (max-width: 480px)': { padding: tokens.spacingHorizontalS },
  },
  // Denying is the serious, irreversible choice: red, and never the page's main button.
  deny: {
    color: tokens.colorStatusDangerForeground1,
    border: `1px solid ${tokens.colorStatusDangerBorder2}`,
    ':hover': {
      color: tokens.colorStatusDangerForeground2,
      border: `1px solid ${tokens.colorStatusDangerBorder2}`,
    },
  },
  denyConfirm: {
    backgroundColor: tokens.colorStatusDangerBackground3,
    color: tokens.colorNeutralForegroundOnBrand,
    ':hover': {
      backgroundColor: tokens.colorStatusDangerForeground2,
      color: tokens.colorNeutralForegroundOnBrand,
    },
  },
  list: { margin: 0, paddingLeft: '1.2em' },
});

/** A time with its time zone: the customer may read the page anywhere. */
function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(currentLanguage(), {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

export default function ConsentPage({ token }: { token: string }) {
  const s = useStyles();
  const cs = useConsentStyles();
  const { t } = useTranslation();
  const url = `/api/v1/consent/${encodeURIComponent(token)}`;
  const q = useLoad(() => api.get<ConsentLink>(url, { quiet401: true }), [url]);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const deny = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(url + '/deny', reason.trim() ? { reason: reason.trim() } : {}, { quiet401: true });
      setConfirming(false);
      // Read the link again: it now shows the outcome, as it will whenever it is opened.
      await q.reload();
    } catch (e) {
      setConfirming(false);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const d = q.data;
  const partnerName = d?.partner.organizationName ?? '—';
  const products = d?.claim.products ?? [];
  const area = d?.claim.solutionArea;
  const activity = d?.claim.activity;

  return (
    <div className={cs.wrap}>
      <header className={cs.bar}>
        <Text weight="semibold" style={{ flexGrow: 1, color: 'inherit' }}>
          {t('shell.brand')}
        </Text>
        <LanguagePicker />
      </header>
      <main className={cs.main}>
        <div className={s.card}>
          <Title2 as="h1">{t('consent.title')}</Title2>
          {q.loading && !d ? <Loading /> : null}
          {q.error ? <ProblemBar error={q.error} title={t('consent.invalid')} /> : null}
          {d ? (
            <>
              <Outcome link={d} />
              <Text>{t('consent.intro', { partner: partnerName })}</Text>
              <dl className={s.dl} data-testid="consent-details">
                <dt>{t('consent.partner')}</dt>
                <dd>
                  {partnerName}
                  {d.partner.mpnId ? ` (${t('claim.mpnId')} ${d.partner.mpnId})` : ''}
                </dd>
                <dt>{t('claim.domain')}</dt>
                <dd>{d.claim.customer.domain ?? '—'}</dd>
                <dt>{t('claim.tenantId')}</dt>
                <dd>{d.claim.customer.tenantId ?? '—'}</dd>
                {area ? (
                  <>
                    <dt>{t('claim.solutionArea')}</dt>
                    <dd>{t(`solutionArea.${area}`, { defaultValue: area })}</dd>
                  </>
                ) : null}
                {activity ? (
                  <>
                    <dt>{t('claim.activity')}</dt>
                    <dd>{t(`activity.${activity}`, { defaultValue: activity })}</dd>
                  </>
                ) : null}
                <dt>{t('claim.products')}</dt>
                <dd>
                  {products.length ? (
                    <ul className={cs.list}>
                      {products.map((p) => (
                        <li key={p.productId + (p.subscriptionId ?? '')}>
                          {p.name}
                          {p.subscriptionId ? ` (${p.subscriptionId})` : ''}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    '—'
                  )}
                </dd>
                {d.state === 'pending' ? (
                  <>
                    <dt>{t('consent.until')}</dt>
                    <dd data-testid="consent-until">{when(d.endsAt)}</dd>
                  </>
                ) : null}
              </dl>
              <section className={s.col} aria-labelledby="consent-program">
                <Subtitle2 as="h2" id="consent-program">
                  {t('consent.programTitle')}
                </Subtitle2>
                <Text>{t('consent.program', { partner: partnerName })}</Text>
                <Text>{t('consent.programNoChange')}</Text>
                {d.state === 'pending' ? (
                  <Text>
                    {t('consent.ifAgree', { date: when(d.endsAt) })} {t('consent.ifNot')}
                  </Text>
                ) : null}
              </section>
              <section className={s.col} aria-labelledby="consent-contact" data-testid="consent-contact">
                <Subtitle2 as="h2" id="consent-contact">
                  {t('consent.contactTitle')}
                </Subtitle2>
                {d.partnerContact ? (
                  <Text>
                    {t('consent.contactPartner', { name: d.partnerContact.name, partner: partnerName })}{' '}
                    <FluentLink href={`mailto:${d.partnerContact.email}`}>
                      {d.partnerContact.email}
                    </FluentLink>
                  </Text>
                ) : null}
                {d.programContact ? (
                  <Text>
                    {t('consent.contactProgram')}{' '}
                    <FluentLink href={`mailto:${d.programContact}`}>{d.programContact}</FluentLink>
                  </Text>
                ) : null}
              </section>
              {d.state === 'pending' ? (
                <form
                  className={s.col}
                  aria-labelledby="consent-deny-title"
                  onSubmit={(e) => {
                    e.preventDefault();
                    setConfirming(true);
                  }}
                >
                  <Subtitle2 as="h2" id="consent-deny-title">
                    {t('consent.denyTitle')}
                  </Subtitle2>
                  <Text>{t('consent.howToDeny')}</Text>
                  <Field label={t('consent.reason')}>
                    <Textarea value={reason} onChange={(_, v) => setReason(v.value)} resize="vertical" />
                  </Field>
                  <ProblemBar error={error} />
                  <div>
                    <Button className={cs.deny} type="submit" disabled={busy} data-testid="consent-deny">
                      {t('consent.deny')}
                    </Button>
                  </div>
                </form>
              ) : null}
              {/* Mounted throughout: Fluent gives the page back as the dialog closes. */}
              <Dialog open={confirming} modalType="alert" onOpenChange={(_, o) => setConfirming(o.open)}>
                <DialogSurface>
                  <DialogBody>
                    <DialogTitle>{t('consent.confirmTitle')}</DialogTitle>
                    <DialogContent>
                      <Text>{t('consent.confirmText', { partner: partnerName })}</Text>
                    </DialogContent>
                    <DialogActions>
                      <Button
                        appearance="primary"
                        onClick={() => setConfirming(false)}
                        data-testid="consent-keep"
                      >
                        {t('consent.confirmKeep')}
                      </Button>
                      <Button
                        className={cs.denyConfirm}
                        disabled={busy}
                        onClick={() => void deny()}
                        data-testid="consent-deny-confirm"
                      >
                        {t('consent.confirmDeny')}
                      </Button>
                    </DialogActions>
                  </DialogBody>
                </DialogSurface>
              </Dialog>
            </>
          ) : null}
        </div>
      </main>
    </div>
  );
}

/** How the link stands: denied (once, and when), final, or ended; nothing while it is open. */
function Outcome({ link }: { link: ConsentLink }) {
  const { t } = useTranslation();
  switch (link.state) {
    case 'denied':
      return (
        <MessageBar intent="success" role="status" data-testid="consent-denied">
          <MessageBarBody>
            {link.deniedAt ? t('consent.deniedOn', { date: when(link.deniedAt) }) : t('consent.deniedDone')}
          </MessageBarBody>
        </MessageBar>
      );
    case 'completed':
      return (
        <MessageBar intent="info" data-testid="consent-completed">
          <MessageBarBody>{t('consent.completedOn', { date: when(link.endsAt) })}</MessageBarBody>
        </MessageBar>
      );
    case 'ended':
      return (
        <MessageBar intent="info" data-testid="consent-ended">
          <MessageBarBody>{t('consent.ended')}</MessageBarBody>
        </MessageBar>
      );
    case 'pending':
      return null;
  }
}
