// The record of sign-in attempts (GET /api/v1/audit/sign-ins), newest first, a page at a time:
// who tried which account, from where, with what, and what came of it.
import { useEffect, useState } from 'react';
import {
  Button,
  Field,
  Input,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, qs, type Page, type SignInAttempt } from '../../api.js';
import { formatDate } from '../../i18n/index.js';
import { Loading, ProblemBar, useStyles } from '../../components/ui.js';

export function SignIns() {
  const s = useStyles();
  const { t } = useTranslation();
  const [rows, setRows] = useState<SignInAttempt[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(false);

  const load = async (cursor: string | null, filter: string) => {
    setBusy(true);
    setError(null);
    try {
      const page = await api.get<Page<SignInAttempt>>(
        '/api/v1/audit/sign-ins' + qs({ limit: 50, cursor, email: filter.trim() || undefined }),
      );
      setRows((r) => (cursor ? [...r, ...page.items] : page.items));
      setNext(page.nextCursor);
      setLoaded(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const columns: { id: string; cell: (r: SignInAttempt) => string }[] = [
    { id: 'at', cell: (r) => formatDate(r.at, true) },
    { id: 'email', cell: (r) => r.email },
    { id: 'outcome', cell: (r) => t(`admin.sign-ins.outcomes.${r.outcome}`) },
    { id: 'address', cell: (r) => r.address },
    { id: 'userAgent', cell: (r) => r.userAgent ?? '—' },
    { id: 'route', cell: (r) => t(`admin.sign-ins.routes.${r.route}`) },
  ];
  useEffect(() => {
    void load(null, '');
    // the first page, once
  }, []);

  return (
    <>
      <Text>{t('admin.sign-ins.help')}</Text>
      <form
        className={s.row}
        onSubmit={(e) => {
          e.preventDefault();
          void load(null, email);
        }}
      >
        <Field label={t('admin.sign-ins.email')} className={s.field}>
          <Input type="search" value={email} onChange={(_, d) => setEmail(d.value)} />
        </Field>
        <Button type="submit" disabled={busy}>
          {t('admin.sign-ins.filter')}
        </Button>
      </form>
      <ProblemBar error={error} />
      {busy && !loaded ? <Loading /> : null}
      <Table size="small" style={{ tableLayout: 'auto' }} aria-label={t('admin.sign-ins.title')}>
        <TableHeader>
          <TableRow>
            {columns.map((c) => (
              <TableHeaderCell key={c.id}>{t(`admin.sign-ins.${c.id}`)}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.id}>
              {columns.map((c) => (
                <TableCell key={c.id}>{c.cell(r)}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {next ? (
        <div className={s.row}>
          <Button disabled={busy} onClick={() => void load(next, email)}>
            {t('admin.sign-ins.more')}
          </Button>
        </div>
      ) : null}
    </>
  );
}
