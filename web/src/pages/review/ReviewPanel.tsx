// The reviewer's panel on a claim's page: PoE preview/download, the checklist of the five
// request-information reasons, and the competing claims side by side (R-UNIQ-5).
import { useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Link as FluentLink,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import {
  api,
  claimUrl,
  INFO_REASONS,
  listAll,
  type Claim,
  type CompetingClaim,
  type DocumentInfo,
} from '../../api.js';
import { formatBytes, formatDate } from '../../i18n/index.js';
import { Link } from '../../components/router.js';
import { ProblemBar, StatusBadge, useLoad, useStyles } from '../../components/ui.js';

const useReviewStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(260px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  side: {
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalM,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalXS,
  },
  current: { border: `2px solid ${tokens.colorBrandStroke1}` },
  preview: { width: '100%', height: '560px', border: `1px solid ${tokens.colorNeutralStroke2}` },
  previewImg: { maxWidth: '100%', maxHeight: '420px' },
  products: { margin: 0, paddingLeft: '1.2em' },
});

function listOf<T>(x: { items: T[] } | T[]): T[] {
  return Array.isArray(x) ? x : x.items;
}

export function ReviewPanel({
  claim,
  productName,
  onChecklist,
}: {
  claim: Claim;
  productName: (id: string) => string;
  /** The checklist as the API records it (true = the PoE shows it), once the reviewer used it. */
  onChecklist: (checklist: Record<string, boolean> | null) => void;
}) {
  const s = useStyles();
  const r = useReviewStyles();
  const { t } = useTranslation();
  const docsQ = useLoad(
    async () => await listAll<DocumentInfo>(claimUrl(claim.id, '/documents'), {}, { limit: 200 }),
    [claim.id, claim.version],
  );
  const competingQ = useLoad(
    async () =>
      listOf(await api.get<{ items: CompetingClaim[] } | CompetingClaim[]>(claimUrl(claim.id, '/competing'))),
    [claim.id, claim.version],
  );
  const [checked, setChecked] = useState<string[]>([]);
  // Until the reviewer ticks something (or a checklist was recorded), it proposes nothing.
  const [touched, setTouched] = useState(false);
  const [preview, setPreview] = useState<DocumentInfo | null>(null);

  // Start from the checklist recorded with the last decision, if any.
  useEffect(() => {
    let live = true;
    api
      .get<{ items: { reason: string; passed: boolean | null }[]; recorded: unknown }>(
        claimUrl(claim.id, '/checklist'),
      )
      .then((r) => {
        if (!live || !r.recorded) return;
        setChecked(r.items.filter((i) => i.passed === true).map((i) => i.reason));
        setTouched(true);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [claim.id]);

  useEffect(() => {
    onChecklist(touched ? Object.fromEntries(INFO_REASONS.map((x) => [x, checked.includes(x)])) : null);
  }, [checked, touched, onChecklist]);

  const docs = docsQ.data ?? [];
  const competing = competingQ.data ?? [];
  // Issue 13 point 6: the checklist is the reviewer's tool for a decision; once none can be
  // taken on the claim, it shows what was recorded, read-only.
  const decided = !['request-information', 'approve', 'reject'].some((a) =>
    claim.allowedActions.includes(a as (typeof claim.allowedActions)[number]),
  );
  // The products another partner's claim also claims (R-UNIQ-5), marked on both cards.
  const overlapping = new Set(competing.flatMap((c) => c.sharedProducts.map((p) => p.productId)));
  const productList = (ps: { productId: string }[], shared: Set<string>) => (
    <ul className={r.products}>
      {ps.map((p) => (
        <li key={p.productId}>
          {productName(p.productId)}
          {shared.has(p.productId) ? (
            <>
              {' '}
              <Badge appearance="tint" color="warning" size="small" data-testid="overlap">
                {t('review.overlap')}
              </Badge>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
  const inlineUrl = (d: DocumentInfo) => claimUrl(claim.id, `/documents/${d.id}?disposition=inline`);
  const poeDates = (c: CompetingClaim): string => {
    return c.latestPoeAt ? formatDate(c.latestPoeAt) : '—';
  };

  return (
    <section className={s.card} aria-labelledby="review-title" data-testid="review-panel">
      <Subtitle2 as="h2" id="review-title">
        {t('review.panel')}
      </Subtitle2>
      <div className={r.grid}>
        <div className={s.col}>
          <Subtitle2 as="h3">{t('poe.title')}</Subtitle2>
          <ProblemBar error={docsQ.error} />
          {docs.length === 0 ? <Text className={s.muted}>{t('poe.none')}</Text> : null}
          <ul>
            {docs.map((d) => (
              <li key={d.id}>
                {d.fileName} <span className={s.muted}>({formatBytes(d.size)})</span>{' '}
                {/^(image\/(png|jpeg)|text\/plain|application\/pdf)/.test(d.contentType) ? (
                  <Button
                    size="small"
                    appearance="subtle"
                    aria-pressed={preview?.id === d.id}
                    onClick={() => setPreview(d)}
                    aria-label={t('review.previewOf', { name: d.fileName })}
                  >
                    {t('review.preview')}
                  </Button>
                ) : null}{' '}
                <FluentLink href={claimUrl(claim.id, `/documents/${d.id}`)} download={d.fileName}>
                  {t('review.download')}
                </FluentLink>
              </li>
            ))}
          </ul>
          {preview ? (
            // Issue 13 point 6: beside the checklist, not in a tab of its own. The document is
            // served inline only on request, sandboxed: it runs nothing and loads nothing.
            <div className={s.col} data-testid="poe-preview">
              <div className={s.row}>
                <Subtitle2 as="h3">{t('review.previewOf', { name: preview.fileName })}</Subtitle2>
                <FluentLink href={inlineUrl(preview)} target="_blank" rel="noopener noreferrer">
                  {t('review.openInTab')}
                </FluentLink>
                <Button size="small" appearance="subtle" onClick={() => setPreview(null)}>
                  {t('review.closePreview')}
                </Button>
              </div>
              {preview.contentType.startsWith('image/') ? (
                <img className={r.previewImg} src={inlineUrl(preview)} alt={preview.fileName} />
              ) : (
                <iframe className={r.preview} src={inlineUrl(preview)} title={preview.fileName} />
              )}
            </div>
          ) : null}
        </div>
        <fieldset className={s.col} style={{ border: 'none', margin: 0, padding: 0 }}>
          <legend>
            <Subtitle2 as="h3">{t('review.checklist')}</Subtitle2>
          </legend>
          <Text className={s.muted}>{t('review.checklistHelp')}</Text>
          {decided ? (
            <Text className={s.muted} data-testid="checklist-readonly">
              {t('review.checklistRecorded')}
            </Text>
          ) : null}
          {INFO_REASONS.map((x) => (
            <Checkbox
              key={x}
              label={t(`checklist.${x}`)}
              checked={checked.includes(x)}
              disabled={decided}
              data-testid={`check-${x}`}
              onChange={(_, d) => {
                setTouched(true);
                setChecked((c) => (d.checked ? [...c, x] : c.filter((y) => y !== x)));
              }}
            />
          ))}
        </fieldset>
      </div>
      <Subtitle2 as="h3">{t('review.competing')}</Subtitle2>
      <ProblemBar error={competingQ.error} />
      {competing.length === 0 ? (
        <Text className={s.muted}>{t('review.noCompeting')}</Text>
      ) : (
        <>
          <Text className={s.muted}>{t('review.competingHelp')}</Text>
          <div className={r.grid} data-testid="competing">
            <div className={`${r.side} ${r.current}`}>
              <Badge appearance="filled" color="brand">
                {t('review.thisClaim')}
              </Badge>
              <Text weight="semibold">{claim.organizationName ?? '—'}</Text>
              <Text>
                {t('claim.mpnId')}: {claim.mpnId}
              </Text>
              <StatusBadge status={claim.status} outcome={claim.outcome} />
              {productList(claim.products, overlapping)}
              <Text>
                {t('claim.submittedAt')}: {formatDate(claim.submittedAt)}
              </Text>
              <Text>
                {t('review.poeDates')}: {docs.map((d) => formatDate(d.createdAt)).join(', ') || '—'}
              </Text>
            </div>
            {competing.map((c) => (
              <div key={c.id} className={r.side}>
                <Link to={`/claims/${c.id}`}>{c.name ?? c.id}</Link>
                <Text weight="semibold">{c.organizationName ?? '—'}</Text>
                <Text>
                  {t('claim.mpnId')}: {c.mpnId ?? '—'}
                </Text>
                <StatusBadge status={c.status} outcome={c.outcome} />
                {productList(c.products, new Set(c.sharedProducts.map((p) => p.productId)))}
                <Text>
                  {t('claim.submittedAt')}: {formatDate(c.submittedAt ?? null)}
                </Text>
                <Text>
                  {t('review.poeDates')}: {poeDates(c)}
                </Text>
              </div>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
