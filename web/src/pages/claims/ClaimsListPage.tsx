// Partner: the Customer associations list, with filters kept in the URL (issue 13 point 9:
// Back and reloads keep them), search as you type, sortable columns, a total, empty states
// that offer the next step, skeleton rows while loading, and cursor paging.
import { useState, type ReactNode } from 'react';
import {
  Button,
  Checkbox,
  Field,
  Input,
  Select,
  Skeleton,
  SkeletonItem,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import {
  api,
  isPartner,
  isPartnerWriter,
  OUTCOMES,
  qs,
  SOLUTION_AREAS,
  STATUSES,
  type Claim,
  type Page,
} from '../../api.js';
import { formatDate, formatNumber } from '../../i18n/index.js';
import { Link, navigate } from '../../components/router.js';
import { useSession } from '../../components/session.js';
import {
  DeadlineBadge,
  PageTitle,
  ProblemBar,
  StatusBadge,
  useLoad,
  useStyles,
} from '../../components/ui.js';
import { useDebouncedSearch, useListParams } from './listParams.js';

const PAGE_SIZE = 20;
const FILTERS = ['status', 'outcome', 'solutionArea', 'q', 'overdue'] as const;
/** A list's orders; a column header chooses one (the claims list: the server's, newest or due). */
export type ClaimSort = 'newest' | 'oldest' | 'due' | 'updated';

export default function ClaimsListPage() {
  const s = useStyles();
  const { t } = useTranslation();
  const { me } = useSession();
  const p = useListParams('/claims');
  const status = p.get('status');
  const outcome = p.get('outcome');
  const area = p.get('solutionArea');
  const query = p.get('q');
  const overdue = p.get('overdue') === 'true';
  const sort: ClaimSort = p.get('sort') === 'due' ? 'due' : 'newest';
  const [text, setText] = useDebouncedSearch(query, (v) => p.set({ q: v }));
  // Cursor paging: a stack of the cursors of the pages seen, so "Previous" works; new
  // filters start again at the first page.
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({
    key: p.key,
    cursors: [null],
  });
  const cursors = paging.key === p.key ? paging.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;
  const setCursors = (c: (string | null)[]) => setPaging({ key: p.key, cursors: c });

  const { data, error, loading } = useLoad(
    () =>
      api.get<Page<Claim>>(
        '/api/v1/claims' +
          qs({
            status,
            outcome,
            solutionArea: area,
            q: query,
            overdue: overdue ? 'true' : undefined,
            sort: sort === 'newest' ? undefined : sort,
            limit: PAGE_SIZE,
            cursor,
          }),
      ),
    [p.key, cursor],
  );
  // The total, where the counts the server keeps by status can say it (no other filter).
  const countable = !p.any(['outcome', 'solutionArea', 'q', 'overdue']);
  const countsQ = useLoad(
    () =>
      countable
        ? api.get<{ items: { status: string; count: number }[]; total: number }>(
            '/api/v1/reports/claims-by-status',
          )
        : Promise.resolve(null),
    [countable, p.key],
  );
  const counts = countsQ.data;
  const total = counts
    ? status
      ? status.split(',').reduce((n, st) => n + (counts.items.find((i) => i.status === st)?.count ?? 0), 0)
      : counts.total
    : undefined;
  const filtered = p.any(FILTERS);

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
      <form
        className={s.row}
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          p.set({ q: text.trim() });
        }}
      >
        <Field label={t('claims.filterStatus')}>
          <Select
            value={outcome ? `outcome:${outcome}` : status}
            onChange={(_, d) =>
              // One select: a status, or how a rejected or ended claim ended (issue 13 point 2).
              d.value.startsWith('outcome:')
                ? p.set({ status: null, outcome: d.value.slice(8) })
                : p.set({ status: d.value, outcome: null })
            }
          >
            <option value="">{t('common.all')}</option>
            {STATUSES.map((st) => (
              <option key={st} value={st}>
                {t(`status.${st}`)}
              </option>
            ))}
            <optgroup label={t('claims.outcomeGroup')}>
              {OUTCOMES.map((o) => (
                <option key={o} value={`outcome:${o}`}>
                  {t(`claims.outcome.${o}`)}
                </option>
              ))}
            </optgroup>
          </Select>
        </Field>
        <Field label={t('claim.solutionArea')}>
          <Select value={area} onChange={(_, d) => p.set({ solutionArea: d.value })}>
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
            placeholder={t('claims.searchPlaceholder')}
            data-testid="claims-search"
          />
        </Field>
        <Checkbox
          label={t('claims.overdueOnly')}
          checked={overdue}
          onChange={(_, d) => p.set({ overdue: d.checked ? 'true' : null })}
        />
      </form>
      <ProblemBar error={error} />
      <Text aria-live="polite" data-testid="claims-total">
        {total !== undefined ? t('claims.total', { count: total, n: formatNumber(total) }) : ''}
      </Text>
      {/* While a list (re)loads, grey rows stand in for it. */}
      {loading ? <TableSkeleton /> : null}
      {data && !loading ? (
        <ClaimsTable
          claims={data.items}
          showOrganization={!isPartner(me)}
          sort={sort}
          sortable={['due']}
          onSort={(x) => p.set({ sort: x === 'due' ? 'due' : null })}
        />
      ) : null}
      {data && !loading && data.items.length === 0 ? (
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
      ) : null}
      <div className={s.row}>
        <Button disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('common.previous')}
        </Button>
        <Text aria-live="polite">{t('common.pageN', { n: cursors.length })}</Text>
        <Button
          disabled={!data?.nextCursor}
          onClick={() => data?.nextCursor && setCursors([...cursors, data.nextCursor])}
        >
          {t('common.next')}
        </Button>
      </div>
    </div>
  );
}

/** An empty list says why and offers the next step. */
export function EmptyList({ text, action }: { text: string; action: ReactNode }) {
  const s = useStyles();
  return (
    <div className={s.card} data-testid="empty-list" style={{ alignItems: 'flex-start' }}>
      <Text>{text}</Text>
      {action}
    </div>
  );
}

/** Rows of grey bars while a list loads (no full-page spinner). */
export function TableSkeleton({ rows = 6 }: { rows?: number }) {
  const { t } = useTranslation();
  return (
    <Skeleton aria-label={t('common.loading')} data-testid="list-skeleton">
      {Array.from({ length: rows }, (_, i) => (
        <div
          key={i}
          style={{ display: 'grid', gridTemplateColumns: '2fr 2fr 1fr 1fr', gap: 12, margin: '10px 0' }}
        >
          <SkeletonItem />
          <SkeletonItem />
          <SkeletonItem />
          <SkeletonItem />
        </div>
      ))}
    </Skeleton>
  );
}

export function ClaimsTable({
  claims,
  showOrganization,
  sort,
  sortable = [],
  onSort,
}: {
  claims: Claim[];
  showOrganization?: boolean;
  /** The list's order, when its column headers choose it. */
  sort?: ClaimSort;
  /** The orders the list can take (the columns that sort). */
  sortable?: ClaimSort[];
  onSort?: (sort: ClaimSort) => void;
}) {
  const { t } = useTranslation();
  if (claims.length === 0) return null;
  // A header that sorts: click once for its order, again for the default (newest first).
  const sorted = (by: ClaimSort, direction: 'ascending' | 'descending') =>
    onSort && sortable.includes(by)
      ? {
          sortable: true,
          sortDirection: sort === by ? direction : undefined,
          onClick: () => onSort(sort === by ? 'newest' : by),
          'data-testid': `sort-${by}`,
        }
      : {};
  return (
    // A narrow screen scrolls the table in its own box, not the page.
    <div style={{ overflowX: 'auto', maxWidth: '100%' }} data-testid="claims-table-box">
      <Table
        aria-label={t('claims.title')}
        size="small"
        style={{ tableLayout: 'auto' }}
        data-testid="claims-table"
      >
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t('claim.name')}</TableHeaderCell>
            {showOrganization ? <TableHeaderCell>{t('claim.partner')}</TableHeaderCell> : null}
            <TableHeaderCell>{t('claim.domain')}</TableHeaderCell>
            <TableHeaderCell>{t('claim.mpnId')}</TableHeaderCell>
            <TableHeaderCell>{t('claim.solutionArea')}</TableHeaderCell>
            <TableHeaderCell>{t('claim.status')}</TableHeaderCell>
            <TableHeaderCell {...sorted('due', 'ascending')}>{t('claim.deadline')}</TableHeaderCell>
            <TableHeaderCell {...sorted('updated', 'descending')}>{t('claim.updatedAt')}</TableHeaderCell>
            <TableHeaderCell {...sorted('oldest', 'ascending')}>{t('claim.createdAt')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {claims.map((c) => (
            <TableRow key={c.id}>
              <TableCell>
                <Link to={`/claims/${c.id}`}>{c.name || t('claim.untitled')}</Link>
              </TableCell>
              {showOrganization ? <TableCell>{c.organizationName ?? '—'}</TableCell> : null}
              <TableCell>{c.customer?.domain ?? '—'}</TableCell>
              <TableCell>{c.mpnId ?? '—'}</TableCell>
              <TableCell>{c.solutionArea ? t(`solutionArea.${c.solutionArea}`) : '—'}</TableCell>
              <TableCell>
                <StatusBadge status={c.status} outcome={c.outcome} />
              </TableCell>
              <TableCell>
                <DeadlineBadge claim={c} />
              </TableCell>
              <TableCell>{formatDate(c.updatedAt)}</TableCell>
              <TableCell>{formatDate(c.createdAt)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
