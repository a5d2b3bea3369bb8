// Dashboard: claims by status and outcome, approval rate and time to decision over time, from
// the server's reports (issue 13 point 10: GET /reports/claims-by-status and the SLA report,
// never a download of every claim); for reviewers and platform admins, the reviewers' SLA
// (R-TIME-7: business days, holidays, the partner's time left out), which partners do not see.
import { useMemo, type ReactElement, type ReactNode } from 'react';
import {
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api, qs, type ClaimOutcome, type ClaimStatus, type Schema } from '../../api.js';
import { useMe } from '../../components/session.js';
import { approvalRate, monthRows, statusBars, type ClaimsByStatus } from './stats.js';
import { currentLanguage, formatNumber, formatPercent } from '../../i18n/index.js';
import { Loading, PageTitle, ProblemBar, statusLabel, useLoad, useStyles } from '../../components/ui.js';

// Charts draw at once (no animation): the same picture for a screenshot, and no motion for
// whoever asked for less.
// Fluent's palette (web light theme) as plain colours: SVG attributes take no CSS tokens.
const COLORS: Record<ClaimStatus, string> = {
  draft: '#616161',
  submitted: '#0f6cbd',
  in_review: '#115ea3',
  partner_action_required: '#bc4b09',
  approved: '#107c10',
  rejected: '#c50f1f',
  disputed: '#8764b8',
  ended: '#616161',
};
// Issue 13 point 2: each way a claim ended in its own colour.
const OUTCOME_COLORS: Record<ClaimOutcome, string> = {
  withdrawn: '#8a8886',
  customer_denied: '#da3b01',
  no_partner_response: '#c19c00',
  rejected_by_reviewer: '#c50f1f',
  disassociated: '#00b7c3',
  ended: '#616161',
};

const useDashStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(420px, 100%), 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  kpis: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(180px, 100%), 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  kpi: {
    fontSize: tokens.fontSizeHero700,
    fontWeight: tokens.fontWeightSemibold,
    lineHeight: tokens.lineHeightHero700,
  },
  chart: { width: '100%', height: '280px' },
});

type SlaReport = Schema<'SlaReport'>;

/** The SLA report's totals of the last twelve months: one page, its totals are the period's. */
function loadSla(): Promise<SlaReport> {
  const from = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  return api.get<SlaReport>(`/api/v1/reports/sla${qs({ from, limit: 1 })}`);
}

/** A chart with its heading and, for screen readers, its figures in words. */
function ChartCard(props: {
  id: string;
  title: string;
  summary: string;
  note?: ReactNode;
  /** The chart's height (CSS), when not the usual. */
  height?: string;
  children: ReactElement;
}) {
  const s = useStyles();
  const d = useDashStyles();
  return (
    <section className={s.card} aria-labelledby={props.id}>
      <Subtitle2 as="h2" id={props.id}>
        {props.title}
      </Subtitle2>
      <div
        className={d.chart}
        style={props.height ? { height: props.height } : undefined}
        role="img"
        aria-label={props.summary}
      >
        <ResponsiveContainer>{props.children}</ResponsiveContainer>
      </div>
      {props.note}
    </section>
  );
}

export default function DashboardPage() {
  const s = useStyles();
  const d = useDashStyles();
  const { t } = useTranslation();
  const me = useMe();
  // The reviewers' SLA is theirs: partners do not see it (issue 13 point 10, api.md).
  const staff = me.abilities.review || me.abilities.administer;
  const q = useLoad(() => api.get<ClaimsByStatus>('/api/v1/reports/claims-by-status?detail=true'), []);
  const slaQ = useLoad(loadSla, []);
  const sla = slaQ.data ?? null;
  const total = q.data?.total ?? 0;
  const rate = sla ? approvalRate(sla.totals) : null;
  const adherence = sla && sla.totals.decided ? sla.totals.met / sla.totals.decided : null;
  const monthLabel = (m: string) =>
    new Intl.DateTimeFormat(currentLanguage(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${m}-15T00:00:00Z`),
    );
  const statusData = useMemo(() => (q.data ? statusBars(q.data) : []), [q.data]).map((x) => ({
    ...x,
    key: x.outcome ?? x.status,
    label: statusLabel(t, x),
    fill: x.outcome ? OUTCOME_COLORS[x.outcome] : COLORS[x.status],
  }));
  const monthData = (sla ? monthRows(sla.totals) : []).map((m) => ({
    ...m,
    label: monthLabel(m.month),
    ratePct: m.rate === null ? null : Math.round(m.rate * 100),
    slaPct: m.met === null ? null : Math.round(m.met * 100),
  }));
  const pct = (v: unknown) => (typeof v === 'number' ? formatPercent(v / 100) : String(v));
  const num = (v: unknown) =>
    typeof v === 'number' ? formatNumber(v, { maximumFractionDigits: 1 }) : String(v);

  if ((q.loading && !q.data) || (slaQ.loading && !slaQ.data)) return <Loading />;
  return (
    <div className={s.page} style={{ maxWidth: '1400px' }}>
      <PageTitle>{t('dashboard.title')}</PageTitle>
      <Text className={s.muted}>{t('dashboard.help', { count: total })}</Text>
      <ProblemBar error={q.error ?? slaQ.error} />
      <div className={d.kpis}>
        <div className={s.card}>
          <Text>{t('dashboard.total')}</Text>
          <span className={d.kpi} data-testid="kpi-total">
            {formatNumber(total)}
          </span>
        </div>
        <div className={s.card}>
          <Text>{t('dashboard.approvalRate')}</Text>
          <span className={d.kpi} data-testid="kpi-approval">
            {rate === null ? '—' : formatPercent(rate)}
          </span>
          <Text className={s.muted}>{t('dashboard.approvalNote')}</Text>
        </div>
        <div className={s.card}>
          <Text>{t('dashboard.timeToDecision')}</Text>
          <span className={d.kpi} data-testid="kpi-time">
            {!sla || sla.totals.medianBusinessDays === null
              ? '—'
              : t('dashboard.businessDays', {
                  n: formatNumber(sla.totals.medianBusinessDays, { maximumFractionDigits: 1 }),
                })}
          </span>
        </div>
        {staff ? (
          <div className={s.card}>
            <Text>{t('dashboard.sla')}</Text>
            <span className={d.kpi} data-testid="kpi-sla">
              {adherence === null ? '—' : formatPercent(adherence)}
            </span>
            <Text className={s.muted}>{t('dashboard.overdueNow', { count: q.data?.overdue ?? 0 })}</Text>
          </div>
        ) : null}
      </div>
      <div className={d.grid}>
        <ChartCard
          id="chart-status"
          title={t('dashboard.byStatus')}
          height="360px"
          summary={statusData.map((x) => `${x.label}: ${x.count}`).join(', ')}
        >
          {/* Bars across, one status or outcome a line: every label reads, on a phone too. */}
          <BarChart data={statusData} layout="vertical" accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} tickFormatter={(v: number) => formatNumber(v)} />
            <YAxis type="category" dataKey="label" interval={0} width={150} fontSize={11} />
            <Tooltip formatter={(v) => num(v)} />
            <Bar isAnimationActive={false} dataKey="count" name={t('dashboard.claims')}>
              {statusData.map((x) => (
                <Cell key={x.key} fill={x.fill} />
              ))}
            </Bar>
          </BarChart>
        </ChartCard>
        <ChartCard
          id="chart-rate"
          title={t('dashboard.approvalOverTime')}
          summary={
            monthData.map((m) => `${m.label}: ${m.ratePct === null ? '—' : pct(m.ratePct)}`).join(', ') ||
            t('dashboard.noData')
          }
        >
          <BarChart data={monthData} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" fontSize={12} />
            <YAxis allowDecimals={false} />
            <Tooltip formatter={(v) => num(v)} />
            <Legend />
            <Bar
              isAnimationActive={false}
              dataKey="approved"
              stackId="d"
              fill={COLORS.approved}
              name={t('status.approved')}
            />
            <Bar
              isAnimationActive={false}
              dataKey="rejected"
              stackId="d"
              fill={COLORS.rejected}
              name={t('claims.outcome.rejected_by_reviewer')}
            />
          </BarChart>
        </ChartCard>
        <ChartCard
          id="chart-time"
          title={t('dashboard.timeOverTime')}
          summary={
            monthData.map((m) => `${m.label}: ${m.medianDays ?? '—'}`).join(', ') || t('dashboard.noData')
          }
        >
          <LineChart data={monthData} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" fontSize={12} />
            <YAxis tickFormatter={(v: number) => formatNumber(v)} />
            <Tooltip formatter={(v) => num(v)} />
            <Legend />
            <Line
              isAnimationActive={false}
              type="monotone"
              dataKey="medianDays"
              stroke="#0f6cbd"
              strokeWidth={2}
              name={t('dashboard.avgDays')}
            />
          </LineChart>
        </ChartCard>
        {staff ? (
          <ChartCard
            id="chart-sla"
            title={t('dashboard.slaOverTime')}
            summary={
              monthData.map((m) => `${m.label}: ${m.slaPct === null ? '—' : pct(m.slaPct)}`).join(', ') ||
              t('dashboard.noData')
            }
            note={
              <>
                <Text className={s.muted}>
                  {t('dashboard.slaNote', { target: sla?.targetBusinessDays ?? 10 })}
                </Text>
                {sla && sla.totals.bySolutionArea.length ? (
                  <Table size="small" aria-label={t('dashboard.slaByArea')} data-testid="sla-by-area">
                    <TableHeader>
                      <TableRow>
                        <TableHeaderCell>{t('claim.solutionArea')}</TableHeaderCell>
                        <TableHeaderCell>{t('dashboard.decided')}</TableHeaderCell>
                        <TableHeaderCell>{t('dashboard.met')}</TableHeaderCell>
                        <TableHeaderCell>{t('dashboard.missed')}</TableHeaderCell>
                        <TableHeaderCell>{t('dashboard.median')}</TableHeaderCell>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {sla.totals.bySolutionArea.map((a) => (
                        <TableRow key={a.solutionArea ?? '-'}>
                          <TableCell>{a.solutionArea ? t(`solutionArea.${a.solutionArea}`) : '—'}</TableCell>
                          <TableCell>{formatNumber(a.decided)}</TableCell>
                          <TableCell>{formatNumber(a.met)}</TableCell>
                          <TableCell>{formatNumber(a.missed)}</TableCell>
                          <TableCell>
                            {a.medianBusinessDays === null
                              ? '—'
                              : t('dashboard.businessDays', {
                                  n: formatNumber(a.medianBusinessDays, { maximumFractionDigits: 1 }),
                                })}
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                ) : null}
              </>
            }
          >
            <LineChart data={monthData} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" fontSize={12} />
              <YAxis domain={[0, 100]} tickFormatter={(v: number) => pct(v)} />
              <Tooltip formatter={(v) => pct(v)} />
              <Legend />
              <Line
                isAnimationActive={false}
                type="monotone"
                dataKey="ratePct"
                stroke={COLORS.approved}
                strokeWidth={2}
                name={t('dashboard.approvalRate')}
              />
              <Line
                isAnimationActive={false}
                type="monotone"
                dataKey="slaPct"
                stroke="#8764b8"
                strokeWidth={2}
                name={t('dashboard.withinSla')}
              />
            </LineChart>
          </ChartCard>
        ) : null}
      </div>
    </div>
  );
}
