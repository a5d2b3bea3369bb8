// Reviewer: the queue of claims waiting for a reviewer, sorted by due date, overdue first.
import { useMemo, useState } from 'react';
import { Field, Select, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { listAll, type Claim, type ClaimStatus } from '../../api.js';
import { Loading, PageTitle, ProblemBar, useLoad, useStyles } from '../../components/ui.js';
import { ClaimsTable } from '../claims/ClaimsListPage.js';
import { sortQueue } from './queue.js';

const QUEUE: ClaimStatus[] = ['submitted', 'in_review', 'disputed'];

export default function ReviewQueuePage() {
  const s = useStyles();
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const q = useLoad(
    () => listAll<Claim>('/api/v1/claims', { status: QUEUE.join(','), sort: 'due' }, { limit: 200 }),
    [],
  );
  const items = useMemo(
    () => sortQueue((q.data ?? []).filter((c) => !status || c.status === status)),
    [q.data, status],
  );
  const overdue = items.filter((c) => c.overdue).length;
  return (
    <div className={s.page}>
      <PageTitle>{t('review.queue')}</PageTitle>
      <Text>{t('review.queueHelp')}</Text>
      <div className={s.row}>
        <Field label={t('claims.filterStatus')}>
          <Select value={status} onChange={(_, d) => setStatus(d.value)}>
            <option value="">{t('common.all')}</option>
            {QUEUE.map((st) => (
              <option key={st} value={st}>
                {t(`status.${st}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Text aria-live="polite" data-testid="queue-count">
          {t('review.queueCount', { count: items.length, overdue })}
        </Text>
      </div>
      <ProblemBar error={q.error} />
      {q.loading && !q.data ? <Loading /> : null}
      <ClaimsTable claims={items} showOrganization />
      {q.data && items.length === 0 ? <Text>{t('review.queueEmpty')}</Text> : null}
    </div>
  );
}
