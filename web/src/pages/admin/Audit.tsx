// The admin audit (GET /api/v1/admin/audit), newest first, a page at a time: who changed which
// organization, location, user, holiday, product or tenant, when, and each changed field
// before and after. Filters: what was changed, and who changed it.
import { useEffect, useState } from 'react';
import {
  Button,
  Field,
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
import { AUDIT_ENTITIES, api, qs, type AuditEntry, type Page, type User } from '../../api.js';
import { formatDate } from '../../i18n/index.js';
import { Loading, ProblemBar, useStyles } from '../../components/ui.js';

type T = (k: string, o?: Record<string, unknown>) => string;

/** A recorded value as a reader reads it: yes / no, a list, a role's name, or '—' for none. */
function valueText(field: string, v: unknown, t: T): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
  if (Array.isArray(v))
    return v.map((x) => (field === 'roles' ? t(`role.${String(x)}`) : valueText(field, x, t))).join(', ');
  if (typeof v === 'object') {
    // A directory subscription: its id and product.
    const o = v as Record<string, unknown>;
    if (typeof o['id'] === 'string' && typeof o['productId'] === 'string')
      return `${o['id']} (${o['productId']})`;
    return JSON.stringify(v);
  }
  if (field === 'solutionArea') return t(`solutionArea.${String(v)}`);
  return String(v as string | number);
}

export function Audit() {
  const s = useStyles();
  const { t } = useTranslation();
  const [rows, setRows] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [entity, setEntity] = useState('');
  const [actor, setActor] = useState('');
  const [users, setUsers] = useState<User[]>([]);
  const [orgNames, setOrgNames] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(false);

  const load = async (cursor: string | null, filter: { entity: string; actor: string }) => {
    setBusy(true);
    setError(null);
    try {
      const page = await api.get<Page<AuditEntry>>(
        '/api/v1/admin/audit' +
          qs({ limit: 50, cursor, entity: filter.entity || undefined, actorId: filter.actor || undefined }),
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
  useEffect(() => {
    void load(null, { entity: '', actor: '' });
    // Names for the ids the entries carry (the first 200 of each; an id not among them shows as is).
    void api
      .get<Page<User>>('/api/v1/users' + qs({ limit: 200 }))
      .then((p) => setUsers(p.items))
      .catch(() => undefined);
    void api
      .get<Page<{ id: string; name: string }>>('/api/v1/organizations' + qs({ limit: 200 }))
      .then((p) => setOrgNames(new Map(p.items.map((o) => [o.id, o.name]))))
      .catch(() => undefined);
  }, []);
  const userNames = new Map(users.map((u) => [u.id, u.name]));
  const entityName = (r: AuditEntry) =>
    (r.entity === 'user' ? userNames.get(r.entityId) : undefined) ??
    (r.entity === 'organization' ? orgNames.get(r.entityId) : undefined) ??
    r.entityId;
  const fieldName = (f: string) => t(`admin.audit.fields.${f}`, { defaultValue: f });

  return (
    <>
      <Text>{t('admin.audit.help')}</Text>
      <form
        className={s.row}
        onSubmit={(e) => {
          e.preventDefault();
          void load(null, { entity, actor });
        }}
      >
        <Field label={t('admin.audit.entity')} className={s.field}>
          <Select value={entity} onChange={(_, d) => setEntity(d.value)}>
            <option value="">{t('common.all')}</option>
            {AUDIT_ENTITIES.map((e) => (
              <option key={e} value={e}>
                {t(`admin.audit.entities.${e}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('admin.audit.actor')} className={s.field}>
          <Select value={actor} onChange={(_, d) => setActor(d.value)}>
            <option value="">{t('common.all')}</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.email})
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" disabled={busy}>
          {t('admin.audit.filter')}
        </Button>
      </form>
      <ProblemBar error={error} />
      {busy && !loaded ? <Loading /> : null}
      {loaded && rows.length === 0 ? <Text>{t('admin.audit.none')}</Text> : null}
      {/* On a phone the table scrolls sideways in its own region (keyboard: it takes focus). */}
      <div role="region" aria-label={t('admin.audit.title')} tabIndex={0} style={{ overflowX: 'auto' }}>
        <Table
          size="small"
          style={{ tableLayout: 'auto', minWidth: '720px' }}
          aria-label={t('admin.audit.title')}
        >
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('admin.audit.at')}</TableHeaderCell>
              <TableHeaderCell>{t('admin.audit.actor')}</TableHeaderCell>
              <TableHeaderCell>{t('admin.audit.what')}</TableHeaderCell>
              <TableHeaderCell>{t('admin.audit.action')}</TableHeaderCell>
              <TableHeaderCell>{t('admin.audit.changes')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.id} data-testid="audit-row">
                <TableCell>{formatDate(r.at, true)}</TableCell>
                <TableCell>
                  {r.actor.id ? r.actor.name : t('role.system')}
                  <div className={s.muted}>{t(`role.${r.actor.role}`, { defaultValue: r.actor.role })}</div>
                </TableCell>
                <TableCell>
                  {t(`admin.audit.entities.${r.entity}`)}
                  <div className={s.muted}>{entityName(r)}</div>
                </TableCell>
                <TableCell>{t(`admin.audit.actions.${r.action}`)}</TableCell>
                <TableCell>
                  <ul style={{ margin: 0, paddingInlineStart: '1em' }}>
                    {Object.entries(r.changes).map(([f, c]) => (
                      <li key={f}>
                        {fieldName(f)}: {r.action === 'created' ? '' : `${valueText(f, c.from, t)} → `}
                        {valueText(f, c.to, t)}
                      </li>
                    ))}
                  </ul>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {next ? (
        <div className={s.row}>
          <Button disabled={busy} onClick={() => void load(next, { entity, actor })}>
            {t('admin.audit.more')}
          </Button>
        </div>
      ) : null}
    </>
  );
}
