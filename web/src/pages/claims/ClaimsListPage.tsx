// Partner: the Customer associations list, with filters, badges and cursor paging.
import { useState } from 'react';
import {
  Button,
  Checkbox,
  Field,
  Input,
  Select,
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
import { formatDate } from '../../i18n/index.js';
import { Link, navigate, useLocation } from '../../components/router.js';
import { useSession } from '../../components/session.js';
import {
  DeadlineBadge,
  Loading,
  PageTitle,
  ProblemBar,
  StatusBadge,
  useLoad,
  useStyles,
} from '../../components/ui.js';

const PAGE_SIZE = 20;

export default function ClaimsListPage() {
  const s = useStyles();
  const { t } = useTranslation();
  const { me } = useSession();
  const { search } = useLocation();
  const [status, setStatus] = useState(search.get('status') ?? '');
  const [area, setArea] = useState(search.get('solutionArea') ?? '');
  const [q, setQ] = useState(search.get('q') ?? '');
  const [query, setQuery] = useState(search.get('q') ?? '');
  const [overdue, setOverdue] = useState(search.get('overdue') === 'true');
  // Cursor paging: a stack of the cursors of the pages seen, so "Previous" works.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;

  const { data, error, loading } = useLoad(
    () =>
      api.get<Page<Claim>>(
        '/api/v1/claims' +
          qs({
            // One select: a status, or how a rejected or ended claim ended (issue 13 point 2).
            ...(status.startsWith('outcome:') ? { outcome: status.slice(8) } : { status }),
            solutionArea: area,
            q: query,
            overdue: overdue ? 'true' : undefined,
            limit: PAGE_SIZE,
            cursor,
          }),
      ),
    [status, area, query, overdue, cursor],
  );

  const resetPaging = () => setCursors([null]);

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
          setQuery(q);
          resetPaging();
        }}
      >
        <Field label={t('claims.filterStatus')}>
          <Select
            value={status}
            onChange={(_, d) => {
              setStatus(d.value);
              resetPaging();
            }}
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
          <Select
            value={area}
            onChange={(_, d) => {
              setArea(d.value);
              resetPaging();
            }}
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
            value={q}
            onChange={(_, d) => setQ(d.value)}
            placeholder={t('claims.searchPlaceholder')}
          />
        </Field>
        <Button type="submit">{t('claims.searchButton')}</Button>
        <Checkbox
          label={t('claims.overdueOnly')}
          checked={overdue}
          onChange={(_, d) => {
            setOverdue(!!d.checked);
            resetPaging();
          }}
        />
      </form>
      <ProblemBar error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? <ClaimsTable claims={data.items} showOrganization={!isPartner(me)} /> : null}
      {data && data.items.length === 0 ? <Text>{t('claims.empty')}</Text> : null}
      <div className={s.row}>
        <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          {t('common.previous')}
        </Button>
        <Text aria-live="polite">{t('common.pageN', { n: cursors.length })}</Text>
        <Button
          disabled={!data?.nextCursor}
          onClick={() => data?.nextCursor && setCursors((c) => [...c, data.nextCursor])}
        >
          {t('common.next')}
        </Button>
      </div>
    </div>
  );
}

export function ClaimsTable({ claims, showOrganization }: { claims: Claim[]; showOrganization?: boolean }) {
  const { t } = useTranslation();
  if (claims.length === 0) return null;
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
            <TableHeaderCell>{t('claim.deadline')}</TableHeaderCell>
            <TableHeaderCell>{t('claim.updatedAt')}</TableHeaderCell>
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
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
