// What the system gave up sending (GET /api/v1/operations/failures): mail refused at every
// attempt and webhook deliveries dead after their day of retries, newest first, each with a
// button to try it again (issue 12 point 5).
import { useEffect, useState } from 'react';
import {
  Button,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, qs, type Page } from '../../api.js';
import { formatDate } from '../../i18n/index.js';
import { Loading, ProblemBar, useStyles } from '../../components/ui.js';

type Kind = 'mail' | 'webhook';

/** One thing given up, as the API lists it. */
interface Failure {
  kind: Kind;
  id: string;
  claimId: string | null;
  target: string;
  what: string;
  attempts: number;
  lastError: string | null;
  failedAt: string;
}

export function Failures() {
  const s = useStyles();
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>('mail');
  const [rows, setRows] = useState<Failure[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [retried, setRetried] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = async (k: Kind, cursor: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await api.get<Page<Failure>>(
        '/api/v1/operations/failures' + qs({ kind: k, limit: 50, cursor }),
      );
      setRows((r) => (cursor ? [...r, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    setRetried([]);
    void load(kind, null);
  }, [kind]);

  const retry = async (f: Failure) => {
    setError(null);
    try {
      await api.post(`/api/v1/operations/failures/${f.kind}/${encodeURIComponent(f.id)}/retry`);
      setRetried((r) => [...r, f.id]);
    } catch (e) {
      setError(e);
    }
  };

  const columns: { id: string; cell: (f: Failure) => string }[] = [
    { id: 'failedAt', cell: (f) => formatDate(f.failedAt, true) },
    { id: 'target', cell: (f) => f.target },
    { id: 'what', cell: (f) => f.what },
    { id: 'attempts', cell: (f) => String(f.attempts) },
    { id: 'lastError', cell: (f) => f.lastError ?? '—' },
  ];

  return (
    <>
      <Text>{t('admin.failures.help')}</Text>
      <TabList selectedValue={kind} onTabSelect={(_, d) => setKind(d.value as Kind)}>
        <Tab value="mail">{t('admin.failures.mail')}</Tab>
        <Tab value="webhook">{t('admin.failures.webhook')}</Tab>
      </TabList>
      <ProblemBar error={error} />
      {busy && rows.length === 0 ? <Loading /> : null}
      {!busy && rows.length === 0 ? <Text className={s.muted}>{t('admin.failures.none')}</Text> : null}
      {rows.length ? (
        <Table size="small" style={{ tableLayout: 'auto' }} aria-label={t('admin.failures.title')}>
          <TableHeader>
            <TableRow>
              {columns.map((c) => (
                <TableHeaderCell key={c.id}>{t(`admin.failures.${c.id}`)}</TableHeaderCell>
              ))}
              <TableHeaderCell>{t('admin.actions')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((f) => (
              <TableRow key={f.id} data-testid={`failure-${f.id}`}>
                {columns.map((c) => (
                  <TableCell key={c.id}>{c.cell(f)}</TableCell>
                ))}
                <TableCell>
                  {retried.includes(f.id) ? (
                    <Text>{t('admin.failures.queued')}</Text>
                  ) : (
                    <Button size="small" onClick={() => void retry(f)}>
                      {t('admin.failures.retry')}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      {next ? (
        <div className={s.row}>
          <Button disabled={busy} onClick={() => void load(kind, next)}>
            {t('admin.failures.more')}
          </Button>
        </div>
      ) : null}
    </>
  );
}
