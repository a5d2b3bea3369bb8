// Partner: the Customer associations list (reviewers see every partner's), with filters and
// order kept in the URL (issue 13 point 9: Back and reloads keep them), search as you type,
// sortable columns, the total of any filter set, empty states that offer the next step,
// skeleton rows while loading, and cursor paging; the pieces are shared with the review queue.
import { Button } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { isPartner, isPartnerWriter, STATUSES } from '../../api.js';
import { formatNumber } from '../../i18n/index.js';
import { navigate } from '../../components/router.js';
import { useSession } from '../../components/session.js';
import { PageTitle, useStyles } from '../../components/ui.js';
import { ClaimFilters, ClaimResults, EmptyList, FILTER_KEYS } from './ClaimList.js';
import { useListParams } from './listParams.js';

export default function ClaimsListPage() {
  const s = useStyles();
  const { t } = useTranslation();
  const { me } = useSession();
  const p = useListParams('/claims');
  const filtered = p.any(FILTER_KEYS);
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, p.get(k) || undefined]));

  return (
    <div className={s.page}>
      <PageTitle
        actions={
          isPartnerWriter(me) ? (
            <>
              <Button onClick={() => navigate('/claims/import')} data-testid="import-claims">
                {t('import.open')}
              </Button>
              <Button appearance="primary" onClick={() => navigate('/claims/new')} data-testid="new-claim">
                {t('claims.new')}
              </Button>
            </>
          ) : undefined
        }
      >
        {t('claims.title')}
      </PageTitle>
      <ClaimFilters
        p={p}
        defaultSort="newest"
        statuses={STATUSES}
        outcomes
        searchPlaceholder={t('claims.searchPlaceholder')}
        searchTestId="claims-search"
      />
      <ClaimResults
        p={p}
        filters={filters}
        defaultSort="newest"
        showOrganization={!isPartner(me)}
        totalTestId="claims-total"
        totalText={(c) =>
          c.exact
            ? t('claims.total', { count: c.count, n: formatNumber(c.count) })
            : t('claims.totalMore', { n: formatNumber(c.count) })
        }
        empty={
          <EmptyList
            text={filtered ? t('claims.emptyFiltered') : t('claims.emptyNone')}
            action={
              filtered ? (
                <Button onClick={() => navigate('/claims', true)} data-testid="clear-filters">
                  {t('claims.clearFilters')}
                </Button>
              ) : isPartnerWriter(me) ? (
                <Button appearance="primary" onClick={() => navigate('/claims/new')}>
                  {t('claims.new')}
                </Button>
              ) : null
            }
          />
        }
      />
    </div>
  );
}
