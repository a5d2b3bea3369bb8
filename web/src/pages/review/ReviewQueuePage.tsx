// Reviewer: the queue of claims waiting for a reviewer, by due date (overdue first) unless a
// column header chooses another order; filters by status and solution area, a search as one
// types, "overdue only", the total and how many are overdue: all read from the server a page
// at a time, with the claims list's pieces, and kept in the URL (issue 13 point 9).
import { Button, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { navigate } from '../../components/router.js';
import { useMe } from '../../components/session.js';
import { PageTitle, useStyles } from '../../components/ui.js';
import { ClaimFilters, ClaimResults, countText, EmptyList } from '../claims/ClaimList.js';
import { useListParams } from '../claims/listParams.js';

export default function ReviewQueuePage() {
  const s = useStyles();
  const { t } = useTranslation();
  // The queue's statuses are the server's (GET /me abilities.reviewQueue), not written here.
  const queue = useMe().abilities.reviewQueue;
  const p = useListParams('/review');
  const filtered = p.any(['status', 'solutionArea', 'q', 'overdue']);
  const filters = {
    // "All": every status of the queue.
    status: p.get('status') || queue.join(','),
    solutionArea: p.get('solutionArea') || undefined,
    q: p.get('q') || undefined,
    overdue: p.get('overdue') || undefined,
  };
  return (
    <div className={s.page}>
      <PageTitle>{t('review.queue')}</PageTitle>
      <Text>{t('review.queueHelp')}</Text>
      <ClaimFilters
        p={p}
        defaultSort="due"
        statuses={queue}
        searchPlaceholder={t('review.searchPlaceholder')}
        searchTestId="queue-search"
        areaTestId="queue-area"
      />
      <ClaimResults
        p={p}
        filters={filters}
        defaultSort="due"
        showOrganization
        totalTestId="queue-count"
        alsoCount={{ overdue: 'true' }}
        totalText={(c, overdue) =>
          c.exact
            ? t('review.queueCount', {
                count: c.count,
                n: countText(c),
                overdue: overdue ? countText(overdue) : '',
              })
            : t('review.queueCountMore', { n: countText(c), overdue: overdue ? countText(overdue) : '' })
        }
        empty={
          <EmptyList
            text={filtered ? t('review.queueEmptyFiltered') : t('review.queueEmpty')}
            action={
              filtered ? (
                <Button onClick={() => navigate('/review', true)} data-testid="clear-filters">
                  {t('claims.clearFilters')}
                </Button>
              ) : (
                <Button onClick={() => navigate('/claims')}>{t('review.seeAllClaims')}</Button>
              )
            }
          />
        }
      />
    </div>
  );
}
