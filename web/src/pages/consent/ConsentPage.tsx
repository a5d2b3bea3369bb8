// The customer's page behind the consent link (R-CONS-1): what is claimed, by whom, until
// when it can be denied, and the button to deny. No account needed: the token is the key.
import { useState } from 'react';
import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Text,
  Textarea,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { formatDate } from '../../i18n/index.js';
import { LanguagePicker } from '../../components/LanguagePicker.js';
import { Loading, ProblemBar, useLoad, useStyles } from '../../components/ui.js';

const useConsentStyles = makeStyles({
  wrap: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  bar: {
    display: 'flex',
    alignItems: 'center',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    gap: tokens.spacingHorizontalL,
  },
  main: { padding: tokens.spacingHorizontalXL, maxWidth: '760px', margin: '0 auto' },
});

type Obj = Record<string, unknown>;
const str = (o: Obj | undefined, ...keys: string[]): string | null => {
  for (const k of keys) {
    const v = o?.[k];
    if (typeof v === 'string' && v) return v;
  }
  return null;
};
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' ? (v as Obj) : undefined);

export default function ConsentPage({ token }: { token: string }) {
  const s = useStyles();
  const cs = useConsentStyles();
  const { t } = useTranslation();
  const url = `/api/v1/consent/${encodeURIComponent(token)}`;
  const q = useLoad(() => api.get<Obj>(url, { quiet401: true }), [url]);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [denied, setDenied] = useState(false);

  const deny = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(url + '/deny', reason.trim() ? { reason: reason.trim() } : {}, { quiet401: true });
      setDenied(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const d = q.data;
  const claim = obj(d?.claim) ?? d;
  const partner = obj(d?.partner) ?? obj(claim?.partner);
  const customer = obj(claim?.customer) ?? obj(d?.customer);
  const partnerName =
    str(partner, 'organizationName', 'name') ??
    str(claim, 'organizationName', 'partnerName') ??
    str(d, 'organizationName');
  const mpnId = str(partner, 'mpnId') ?? str(claim, 'mpnId');
  const endsAt =
    str(d, 'endsAt', 'deniableUntil') ?? str(obj(claim?.consent), 'endsAt') ?? str(obj(d?.consent), 'endsAt');
  const state = str(d, 'state') ?? str(obj(d?.consent), 'state') ?? str(obj(claim?.consent), 'state');
  const products = (
    Array.isArray(claim?.products) ? claim.products : Array.isArray(d?.products) ? d.products : []
  ) as unknown[];
  const area = str(claim, 'solutionArea');
  const activity = str(claim, 'activity');

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
              <Text>{t('consent.intro', { partner: partnerName ?? '—' })}</Text>
              <dl className={s.dl} data-testid="consent-details">
                <dt>{t('consent.partner')}</dt>
                <dd>
                  {partnerName ?? '—'}
                  {mpnId ? ` (${t('claim.mpnId')} ${mpnId})` : ''}
                </dd>
                <dt>{t('claim.domain')}</dt>
                <dd>{str(customer, 'domain') ?? '—'}</dd>
                <dt>{t('claim.tenantId')}</dt>
                <dd>{str(customer, 'tenantId') ?? '—'}</dd>
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
                  {products
                    .map((p) => {
                      const o = obj(p);
                      return (
                        (str(o, 'name', 'productName', 'productId') ?? String(p)) +
                        (str(o, 'subscriptionId') ? ` (${str(o, 'subscriptionId')})` : '')
                      );
                    })
                    .join(', ') || '—'}
                </dd>
                <dt>{t('consent.until')}</dt>
                <dd>{endsAt ? formatDate(endsAt, true) : '—'}</dd>
              </dl>
              {denied || state === 'denied' ? (
                <MessageBar intent="success" role="status" data-testid="consent-denied">
                  <MessageBarBody>{t('consent.deniedDone')}</MessageBarBody>
                </MessageBar>
              ) : state === 'ended' ? (
                <MessageBar intent="info" data-testid="consent-ended">
                  <MessageBarBody>{t('consent.ended')}</MessageBarBody>
                </MessageBar>
              ) : state === 'completed' ? (
                <MessageBar intent="info">
                  <MessageBarBody>{t('consent.closed')}</MessageBarBody>
                </MessageBar>
              ) : (
                <form
                  className={s.col}
                  onSubmit={(e) => {
                    e.preventDefault();
                    void deny();
                  }}
                >
                  <Text>{t('consent.howToDeny')}</Text>
                  <Field label={t('consent.reason')}>
                    <Textarea value={reason} onChange={(_, v) => setReason(v.value)} resize="vertical" />
                  </Field>
                  <ProblemBar error={error} />
                  <div>
                    <Button appearance="primary" type="submit" disabled={busy} data-testid="consent-deny">
                      {t('consent.deny')}
                    </Button>
                  </div>
                  <Text className={s.muted}>{t('consent.nothingToDo')}</Text>
                </form>
              )}
            </>
          ) : null}
        </div>
      </main>
    </div>
  );
}
