// Reviewer: the queue of claims waiting for a reviewer, sorted by due date, overdue first;
// filters by status and solution area and a search, kept in the URL (issue 13 point 9).
import { useMemo } from 'react';
import { Button, Field, Input, Select, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { listAll, SOLUTION_AREAS, type Claim } from '../../api.js';
import { navigate } from '../../components/router.js';
import { useMe } from '../../components/session.js';
import { PageTitle, ProblemBar, useLoad, useStyles } from '../../components/ui.js';
import { ClaimsTable, EmptyList, TableSkeleton, type ClaimSort } from '../claims/ClaimsListPage.js';
import { useDebouncedSearch, useListParams } from '../claims/listParams.js';
import { matchesSearch, sortQueue } from './queue.js';

export default function ReviewQueuePage() {
  const s = useStyles();
  const { t } = useTranslation();
  // The queue's statuses are the server's (GET /me abilities.reviewQueue), not written here.
  const queue = useMe().abilities.reviewQueue;
  const p = useListParams('/review');
  const status = p.get('status');
  const area = p.get('solutionArea');
  const query = p.get('q');
  const sort = (p.get('sort') || 'due') as ClaimSort;
  const [text, setText] = useDebouncedSearch(query, (v) => p.set({ q: v }));
  const q = useLoad(
    () => listAll<Claim>('/api/v1/claims', { status: queue.join(','), sort: 'due' }, { limit: 200 }),
    [queue.join(',')],
  );
  // The whole queue is loaded: it is filtered and ordered here.
  const items = useMemo(
    () =>
      sortQueue(
        (q.data ?? []).filter(
          (c) =>
            (!status || c.status === status) && (!area || c.solutionArea === area) && matchesSearch(c, query),
        ),
        sort,
      ),
    [q.data, status, area, query, sort],
  );
  const overdue = items.filter((c) => c.overdue).length;
  const filtered = p.any(['status', 'solutionArea', 'q']);
  return (
    <div className={s.page}>
      <PageTitle>{t('review.queue')}</PageTitle>
      <Text>{t('review.queueHelp')}</Text>
      <form
        className={s.row}
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          p.set({ q: text.trim() });
        }}
      >
        <Field label={t('claims.filterStatus')}>
          <Select value={status} onChange={(_, d) => p.set({ status: d.value })}>
            <option value="">{t('common.all')}</option>
            {queue.map((st) => (
              <option key={st} value={st}>
                {t(`status.${st}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('claim.solutionArea')}>
          <Select value={area} onChange={(_, d) => p.set({ solutionArea: d.value })} data-testid="queue-area">
            <option value="">{t('common.all')}</option>
            {SOLUTION_AREAS.map((a) => (
              <option key={a} value={a}>
                {t(`solutionArea.${a}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('claims.search')} className={s.field}>
          <Input
            type="search"
            value={text}
            onChange={(_, d) => setText(d.value)}
            placeholder={t('review.searchPlaceholder')}
            data-testid="queue-search"
          />
        </Field>
      </form>
      <Text aria-live="polite" data-testid="queue-count">
        {q.data ? t('review.queueCount', { count: items.length, overdue }) : ''}
      </Text>
      <ProblemBar error={q.error} />
      {q.loading && !q.data ? <TableSkeleton /> : null}
      <ClaimsTable
        claims={items}
        showOrganization
        sort={sort}
        sortable={['due', 'updated', 'oldest']}
        onSort={(x) => p.set({ sort: x === 'newest' || x === 'due' ? null : x })}
      />
      {q.data && items.length === 0 ? (
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
      ) : null}
    </div>
  );
}
