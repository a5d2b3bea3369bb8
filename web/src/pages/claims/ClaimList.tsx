// Issue 13 point 9: what the claims list and the review queue share. Both read the server a
// page at a time (GET /api/v1/claims, keyset cursors) in the order a column header chooses,
// with the total of their filters (GET /api/v1/claims/count, exact up to 10,000); their
// filters and order live in the URL, so Back, a reload or a shared link keep them.
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
import { api, OUTCOMES, qs, SOLUTION_AREAS, type Claim, type Page } from '../../api.js';
import { formatDate, formatNumber } from '../../i18n/index.js';
import { Link } from '../../components/router.js';
import { DeadlineBadge, ProblemBar, StatusBadge, useLoad, useStyles } from '../../components/ui.js';
import { useDebouncedSearch, type ListParams } from './listParams.js';

/** The server's orders of the claim list (api.md `sort`). */
export const CLAIM_SORTS = ['newest', 'oldest', 'due'] as const;
export type ClaimSort = (typeof CLAIM_SORTS)[number];

/** The order the URL names, or the list's own default. */
export function sortIn(p: ListParams, fallback: ClaimSort): ClaimSort {
  const v = p.get('sort');
  return (CLAIM_SORTS as readonly string[]).includes(v) ? (v as ClaimSort) : fallback;
}

/** The URL's filters the server reads (their names are the API's). */
export const FILTER_KEYS = ['status', 'outcome', 'solutionArea', 'q', 'overdue'] as const;

/**
 * The filter bar: a status (with how a claim ended, where `outcomes`), a solution area, a
 * search sent as one types, and "overdue only". Each change goes to the URL.
 */
export function ClaimFilters({
  p,
  statuses,
  outcomes,
  searchPlaceholder,
  searchTestId,
  areaTestId,
  defaultSort,
}: {
  p: ListParams;
  /** The list's order when the URL names none (a column header or the "Sort by" select). */
  defaultSort: ClaimSort;
  statuses: readonly string[];
  outcomes?: boolean;
  searchPlaceholder: string;
  searchTestId: string;
  areaTestId?: string;
}) {
  const s = useStyles();
  const { t } = useTranslation();
  const [text, setText] = useDebouncedSearch(p.get('q'), (v) => p.set({ q: v }));
  const outcome = p.get('outcome');
  return (
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
          value={outcome ? `outcome:${outcome}` : p.get('status')}
          onChange={(_, d) =>
            // One select: a status, or how a rejected or ended claim ended (issue 13 point 2).
            d.value.startsWith('outcome:')
              ? p.set({ status: null, outcome: d.value.slice(8) })
              : p.set({ status: d.value, outcome: null })
          }
        >
          <option value="">{t('common.all')}</option>
          {statuses.map((st) => (
            <option key={st} value={st}>
              {t(`status.${st}`)}
            </option>
          ))}
          {outcomes ? (
            <optgroup label={t('claims.outcomeGroup')}>
              {OUTCOMES.map((o) => (
                <option key={o} value={`outcome:${o}`}>
                  {t(`claims.outcome.${o}`)}
                </option>
              ))}
            </optgroup>
          ) : null}
        </Select>
      </Field>
      <Field label={t('claim.solutionArea')}>
        <Select
          value={p.get('solutionArea')}
          onChange={(_, d) => p.set({ solutionArea: d.value })}
          data-testid={areaTestId}
        >
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
          placeholder={searchPlaceholder}
          data-testid={searchTestId}
        />
      </Field>
      <Checkbox
        label={t('claims.overdueOnly')}
        checked={p.get('overdue') === 'true'}
        onChange={(_, d) => p.set({ overdue: d.checked ? 'true' : null })}
      />
      {/* The order the column headers choose, also here: on a phone they scroll out of view. */}
      <Field label={t('claims.sortBy')}>
        <Select
          value={sortIn(p, defaultSort)}
          onChange={(_, d) => p.set({ sort: d.value === defaultSort ? null : d.value })}
          data-testid="sort-select"
        >
          {CLAIM_SORTS.map((o) => (
            <option key={o} value={o}>
              {t(`claims.sort.${o}`)}
            </option>
          ))}
        </Select>
      </Field>
    </form>
  );
}

/** A count of claims as the server gives it: exact, or "at least" at its cap. */
export interface ClaimCount {
  count: number;
  exact: boolean;
}

/**
 * A claim list read from the server a page at a time: its total, grey rows while a page
 * loads, the table whose headers choose the order, an empty state, and Previous / Next.
 */
export function ClaimResults({
  p,
  filters,
  defaultSort,
  showOrganization,
  totalText,
  totalTestId,
  alsoCount,
  empty,
}: {
  p: ListParams;
  /** What the server filters on (the API's query names); empty values are left out. */
  filters: Record<string, string | undefined>;
  defaultSort: ClaimSort;
  showOrganization?: boolean;
  /** The total in words, from the count of the filters and of `alsoCount`'s. */
  totalText: (total: ClaimCount, also: ClaimCount | undefined) => string;
  totalTestId: string;
  /** Filters added to `filters` for a second count (the queue's overdue claims). */
  alsoCount?: Record<string, string>;
  /** What an empty list says and offers, with or without filters set. */
  empty: ReactNode;
}) {
  const sort = sortIn(p, defaultSort);
  const filterKey = JSON.stringify(filters);
  // Cursor paging: a stack of the cursors of the pages seen, so "Previous" works; new
  // filters or a new order start again at the first page.
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({
    key: p.key,
    cursors: [null],
  });
  const cursors = paging.key === p.key ? paging.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;
  const setCursors = (c: (string | null)[]) => setPaging({ key: p.key, cursors: c });
  const list = useLoad(
    () =>
      api.get<Page<Claim>>(
        '/api/v1/claims' +
          qs({ ...filters, sort: sort === 'newest' ? undefined : sort, limit: PAGE_SIZE, cursor }),
      ),
    [filterKey, sort, cursor],
  );
  const counts = useLoad(
    () =>
      Promise.all([
        api.get<ClaimCount>('/api/v1/claims/count' + qs(filters)),
        alsoCount
          ? api.get<ClaimCount>('/api/v1/claims/count' + qs({ ...filters, ...alsoCount }))
          : Promise.resolve(undefined),
      ]),
    [filterKey],
  );
  const { data, loading } = list;
  const total = counts.data && !counts.loading ? totalText(counts.data[0], counts.data[1]) : '';
  return (
    <>
      <ProblemBar error={list.error ?? counts.error} />
      <Text aria-live="polite" data-testid={totalTestId}>
        {total}
      </Text>
      {/* While a page (re)loads, grey rows stand in for it. */}
      {loading ? <TableSkeleton /> : null}
      {data && !loading ? (
        <ClaimsTable
          claims={data.items}
          showOrganization={showOrganization}
          sort={sort}
          onSort={(x) => p.set({ sort: x === defaultSort ? null : x })}
          defaultSort={defaultSort}
        />
      ) : null}
      {data && !loading && data.items.length === 0 ? empty : null}
      {/* Paging only where there is another page (disabled buttons say nothing). */}
      {cursors.length > 1 || data?.nextCursor ? (
        <Pager cursors={cursors} next={data?.nextCursor ?? null} setCursors={setCursors} />
      ) : null}
    </>
  );
}

const PAGE_SIZE = 20;

function Pager({
  cursors,
  next,
  setCursors,
}: {
  cursors: (string | null)[];
  next: string | null;
  setCursors: (c: (string | null)[]) => void;
}) {
  const s = useStyles();
  const { t } = useTranslation();
  return (
    <div className={s.row}>
      <Button disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
        {t('common.previous')}
      </Button>
      <Text aria-live="polite">{t('common.pageN', { n: cursors.length })}</Text>
      <Button disabled={!next} onClick={() => next && setCursors([...cursors, next])}>
        {t('common.next')}
      </Button>
    </div>
  );
}

/** A number the count gave, "10,000+" where it stopped counting. */
export const countText = (c: ClaimCount) => (c.exact ? formatNumber(c.count) : `${formatNumber(c.count)}+`);

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
  defaultSort = 'newest',
  onSort,
}: {
  claims: Claim[];
  showOrganization?: boolean;
  /** The list's order, when its column headers choose it. */
  sort?: ClaimSort;
  /** The order a second click on the chosen column goes back to. */
  defaultSort?: ClaimSort;
  onSort?: (sort: ClaimSort) => void;
}) {
  const { t } = useTranslation();
  if (claims.length === 0) return null;
  // A header that sorts. Deadline and Updated: click once for their order, again for the
  // list's default. Created: oldest first, then newest first.
  const header = (testId: string, direction: 'ascending' | 'descending' | undefined, next: ClaimSort) =>
    onSort
      ? { sortable: true, sortDirection: direction, onClick: () => onSort(next), 'data-testid': testId }
      : {};
  const byCreated = sort === 'oldest' ? 'ascending' : sort === 'newest' ? 'descending' : undefined;
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
            <TableHeaderCell
              {...header(
                'sort-due',
                sort === 'due' ? 'ascending' : undefined,
                sort === 'due' ? defaultSort : 'due',
              )}
            >
              {t('claim.deadline')}
            </TableHeaderCell>
            <TableHeaderCell>{t('claim.updatedAt')}</TableHeaderCell>
            <TableHeaderCell {...header('sort-created', byCreated, sort === 'oldest' ? 'newest' : 'oldest')}>
              {t('claim.createdAt')}
            </TableHeaderCell>
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
              {/* With the time: sorted by last change, claims of one day differ by it. */}
              <TableCell>{formatDate(c.updatedAt, true)}</TableCell>
              <TableCell>{formatDate(c.createdAt)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
