// Platform admin: organizations and locations, users and roles, the tenant directory,
// the catalog and the holidays of the business calendar.
import { useState, type ReactNode } from 'react';
import {
  Button,
  Checkbox,
  Field,
  Input,
  Select,
  Subtitle2,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import {
  ALL_ROLES,
  api,
  listAll,
  PARTNER_ROLES,
  SOLUTION_AREAS,
  type Catalog,
  type CatalogProduct,
  type Holiday,
  type Organization,
  type Role,
  type Tenant,
  type User,
} from '../../api.js';
import { formatDay, LANGUAGES, LANGUAGE_NAMES } from '../../i18n/index.js';
import { navigate } from '../../components/router.js';
import {
  CheckGroup,
  Loading,
  PageTitle,
  ProblemBar,
  SuccessBar,
  useLoad,
  useStyles,
} from '../../components/ui.js';

const SECTIONS = ['organizations', 'users', 'tenants', 'catalog', 'holidays'] as const;
type Section = (typeof SECTIONS)[number];

export default function AdminPage({ section }: { section: string }) {
  const s = useStyles();
  const { t } = useTranslation();
  const current: Section = (SECTIONS as readonly string[]).includes(section)
    ? (section as Section)
    : 'organizations';
  return (
    <div className={s.page}>
      <PageTitle>{t(`admin.${current}.title`)}</PageTitle>
      <TabList
        selectedValue={current}
        onTabSelect={(_, d) => navigate(`/admin/${String(d.value)}`)}
        aria-label={t('nav.admin')}
      >
        {SECTIONS.map((x) => (
          <Tab key={x} value={x}>
            {t(`admin.${x}.tab`)}
          </Tab>
        ))}
      </TabList>
      <div role="tabpanel" aria-label={t(`admin.${current}.title`)} className={s.col}>
        {current === 'organizations' ? <Organizations /> : null}
        {current === 'users' ? <Users /> : null}
        {current === 'tenants' ? <Tenants /> : null}
        {current === 'catalog' ? <CatalogAdmin /> : null}
        {current === 'holidays' ? <Holidays /> : null}
      </div>
    </div>
  );
}

function useSubmit() {
  const [error, setError] = useState<unknown>(null);
  const [ok, setOk] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>, message: string) => {
    setBusy(true);
    setError(null);
    setOk('');
    try {
      await fn();
      setOk(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { error, ok, busy, run };
}

function FormCard({
  title,
  children,
  onSubmit,
}: {
  title: string;
  children: ReactNode;
  onSubmit: () => void;
}) {
  const s = useStyles();
  return (
    <form
      className={s.card}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <Subtitle2 as="h2">{title}</Subtitle2>
      {children}
    </form>
  );
}

function Organizations() {
  const s = useStyles();
  const { t } = useTranslation();
  const q = useLoad(() => listAll<Organization>('/api/v1/organizations'), []);
  const [name, setName] = useState('');
  const [locs, setLocs] = useState([{ mpnId: '', name: '', country: '' }]);
  const sub = useSubmit();
  // Adding locations to an existing organization, or creating one with its locations.
  const [target, setTarget] = useState<Organization | null>(null);
  const filled = () =>
    locs
      .filter((l) => l.mpnId.trim())
      .map((l) => ({
        mpnId: l.mpnId.trim(),
        name: l.name.trim(),
        ...(l.country.trim() ? { country: l.country.trim() } : {}),
      }));
  const create = () =>
    void sub.run(async () => {
      if (target)
        for (const l of filled())
          await api.post(`/api/v1/organizations/${encodeURIComponent(target.id)}/locations`, l);
      else await api.post('/api/v1/organizations', { name: name.trim(), locations: filled() });
      setName('');
      setTarget(null);
      setLocs([{ mpnId: '', name: '', country: '' }]);
      await q.reload();
    }, 'admin.saved');
  return (
    <>
      <ProblemBar error={q.error} />
      {q.loading && !q.data ? <Loading /> : null}
      <Table size="small" style={{ tableLayout: 'auto' }} aria-label={t('admin.organizations.title')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t('admin.name')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.organizations.locations')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.actions')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {(q.data ?? []).map((o) => (
            <TableRow key={o.id}>
              <TableCell>{o.name}</TableCell>
              <TableCell>
                {o.locations
                  .map((l) => `${l.mpnId} · ${l.name}${l.country ? ` (${l.country})` : ''}`)
                  .join('; ')}
              </TableCell>
              <TableCell>
                <Button
                  size="small"
                  aria-label={t('admin.organizations.addLocationTo', { name: o.name })}
                  onClick={() => setTarget(o)}
                >
                  {t('admin.organizations.addLocation')}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <FormCard
        title={
          target
            ? t('admin.organizations.addLocationTo', { name: target.name })
            : t('admin.organizations.add')
        }
        onSubmit={create}
      >
        <SuccessBar>{sub.ok ? t(sub.ok) : null}</SuccessBar>
        <ProblemBar error={sub.error} />
        {target ? null : (
          <Field label={t('admin.name')} required>
            <Input value={name} onChange={(_, d) => setName(d.value)} />
          </Field>
        )}
        {locs.map((l, i) => (
          <div key={i} className={s.row}>
            {(['mpnId', 'name', 'country'] as const).map((k) => (
              <Field
                key={k}
                label={t(`admin.organizations.${k}`)}
                required={k !== 'country'}
                className={s.field}
              >
                <Input
                  value={l[k]}
                  onChange={(_, d) => setLocs((x) => x.map((y, j) => (j === i ? { ...y, [k]: d.value } : y)))}
                />
              </Field>
            ))}
          </div>
        ))}
        <div className={s.row}>
          <Button type="button" onClick={() => setLocs((x) => [...x, { mpnId: '', name: '', country: '' }])}>
            {t('admin.organizations.addLocation')}
          </Button>
          {target ? (
            <Button type="button" onClick={() => setTarget(null)}>
              {t('common.cancel')}
            </Button>
          ) : null}
          <Button type="submit" appearance="primary" disabled={sub.busy}>
            {target ? t('admin.save') : t('admin.create')}
          </Button>
        </div>
      </FormCard>
    </>
  );
}

function Users() {
  const s = useStyles();
  const { t } = useTranslation();
  const q = useLoad(() => listAll<User>('/api/v1/users'), []);
  const orgs = useLoad(() => listAll<Organization>('/api/v1/organizations'), []);
  const [form, setForm] = useState({ email: '', name: '', password: '', organizationId: '', language: '' });
  const [roles, setRoles] = useState<Role[]>([]);
  const [editing, setEditing] = useState<User | null>(null);
  const sub = useSubmit();
  const orgName = (id: string | null) => (orgs.data ?? []).find((o) => o.id === id)?.name ?? '—';
  const save = () =>
    void sub.run(async () => {
      if (editing)
        await api.patch(`/api/v1/users/${encodeURIComponent(editing.id)}`, {
          roles,
          name: form.name.trim(),
          language: form.language || null,
        });
      else
        await api.post('/api/v1/users', {
          email: form.email.trim(),
          name: form.name.trim(),
          password: form.password,
          roles,
          ...(form.organizationId ? { organizationId: form.organizationId } : {}),
          ...(form.language ? { language: form.language } : {}),
        });
      setEditing(null);
      setForm({ email: '', name: '', password: '', organizationId: '', language: '' });
      setRoles([]);
      await q.reload();
    }, 'admin.saved');
  const partnerRoles = roles.some((r) => PARTNER_ROLES.includes(r));
  return (
    <>
      <ProblemBar error={q.error} />
      {q.loading && !q.data ? <Loading /> : null}
      <Table size="small" style={{ tableLayout: 'auto' }} aria-label={t('admin.users.title')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t('admin.name')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.users.email')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.users.roles')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.users.organization')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.actions')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {(q.data ?? []).map((u) => (
            <TableRow key={u.id}>
              <TableCell>{u.name}</TableCell>
              <TableCell>{u.email}</TableCell>
              <TableCell>{u.roles.map((r) => t(`role.${r}`)).join(', ')}</TableCell>
              <TableCell>{orgName(u.organizationId)}</TableCell>
              <TableCell>
                <Button
                  size="small"
                  onClick={() => {
                    setEditing(u);
                    setForm({
                      email: u.email,
                      name: u.name,
                      password: '',
                      organizationId: u.organizationId ?? '',
                      language: u.language ?? '',
                    });
                    setRoles(u.roles);
                  }}
                >
                  {t('admin.edit')}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <FormCard
        title={editing ? t('admin.users.edit', { name: editing.name }) : t('admin.users.add')}
        onSubmit={save}
      >
        <SuccessBar>{sub.ok ? t(sub.ok) : null}</SuccessBar>
        <ProblemBar error={sub.error} />
        <div className={s.row}>
          <Field label={t('admin.name')} required className={s.field}>
            <Input value={form.name} onChange={(_, d) => setForm({ ...form, name: d.value })} />
          </Field>
          <Field label={t('admin.users.email')} required className={s.field}>
            <Input
              type="email"
              value={form.email}
              disabled={!!editing}
              onChange={(_, d) => setForm({ ...form, email: d.value })}
            />
          </Field>
          {!editing ? (
            <Field label={t('admin.users.password')} required className={s.field}>
              <Input
                type="password"
                autoComplete="new-password"
                value={form.password}
                onChange={(_, d) => setForm({ ...form, password: d.value })}
              />
            </Field>
          ) : null}
        </div>
        <CheckGroup label={t('admin.users.roles')} required>
          <div className={s.row}>
            {ALL_ROLES.map((r) => (
              <Checkbox
                key={r}
                label={t(`role.${r}`)}
                checked={roles.includes(r)}
                onChange={(_, d) => setRoles((x) => (d.checked ? [...x, r] : x.filter((y) => y !== r)))}
              />
            ))}
          </div>
        </CheckGroup>
        {partnerRoles && !editing ? (
          <Field label={t('admin.users.organization')} required>
            <Select
              value={form.organizationId}
              onChange={(_, d) => setForm({ ...form, organizationId: d.value })}
            >
              <option value="">{t('common.choose')}</option>
              {(orgs.data ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <Field label={t('admin.users.language')} hint={t('admin.users.languageHint')}>
          <Select value={form.language} onChange={(_, d) => setForm({ ...form, language: d.value })}>
            <option value="">{t('admin.users.languageBrowser')}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </Select>
        </Field>
        <div className={s.row}>
          {editing ? (
            <Button type="button" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </Button>
          ) : null}
          <Button type="submit" appearance="primary" disabled={sub.busy}>
            {editing ? t('admin.save') : t('admin.create')}
          </Button>
        </div>
      </FormCard>
    </>
  );
}

function Tenants() {
  const s = useStyles();
  const { t } = useTranslation();
  const q = useLoad(() => listAll<Tenant>('/api/v1/tenants'), []);
  const catalog = useLoad(() => api.get<Catalog>('/api/v1/catalog'), []);
  const [tenantId, setTenantId] = useState('');
  const [domains, setDomains] = useState('');
  const [subs, setSubs] = useState<{ id: string; productId: string; expiresAt: string }[]>([]);
  const sub = useSubmit();
  const edit = (x: Tenant) => {
    setTenantId(x.tenantId);
    setDomains(x.domains.join('\n'));
    setSubs(
      x.subscriptions.map((y) => ({
        id: y.id,
        productId: y.productId,
        expiresAt: y.expiresAt?.slice(0, 10) ?? '',
      })),
    );
  };
  const save = () =>
    void sub.run(async () => {
      await api.put(`/api/v1/tenants/${encodeURIComponent(tenantId.trim().toLowerCase())}`, {
        domains: domains
          .split(/[\s,]+/)
          .map((d) => d.trim())
          .filter(Boolean),
        subscriptions: subs
          .filter((x) => x.id.trim())
          .map((x) => ({
            id: x.id.trim(),
            productId: x.productId,
            ...(x.expiresAt ? { expiresAt: new Date(`${x.expiresAt}T00:00:00Z`).toISOString() } : {}),
          })),
      });
      await q.reload();
    }, 'admin.saved');
  return (
    <>
      <ProblemBar error={q.error} />
      <Table size="small" style={{ tableLayout: 'auto' }} aria-label={t('admin.tenants.title')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t('claim.tenantId')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.tenants.domains')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.tenants.subscriptions')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.actions')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {(q.data ?? []).map((x) => (
            <TableRow key={x.tenantId}>
              <TableCell>{x.tenantId}</TableCell>
              <TableCell>{x.domains.join(', ')}</TableCell>
              <TableCell>{x.subscriptions.length}</TableCell>
              <TableCell>
                <Button size="small" onClick={() => edit(x)}>
                  {t('admin.edit')}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <FormCard title={t('admin.tenants.put')} onSubmit={save}>
        <SuccessBar>{sub.ok ? t(sub.ok) : null}</SuccessBar>
        <ProblemBar error={sub.error} />
        <Field label={t('claim.tenantId')} required hint={t('wizard.tenantHint')}>
          <Input value={tenantId} onChange={(_, d) => setTenantId(d.value)} />
        </Field>
        <Field label={t('admin.tenants.domains')} hint={t('admin.tenants.domainsHint')}>
          <Textarea value={domains} onChange={(_, d) => setDomains(d.value)} />
        </Field>
        {subs.map((x, i) => (
          <div key={i} className={s.row}>
            <Field label={t('claim.subscriptionId')} className={s.field}>
              <Input
                value={x.id}
                onChange={(_, d) => setSubs((a) => a.map((y, j) => (j === i ? { ...y, id: d.value } : y)))}
              />
            </Field>
            <Field label={t('admin.catalog.product')}>
              <Select
                value={x.productId}
                onChange={(_, d) =>
                  setSubs((a) => a.map((y, j) => (j === i ? { ...y, productId: d.value } : y)))
                }
              >
                <option value="">{t('common.choose')}</option>
                {(catalog.data?.products ?? []).map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t('admin.tenants.expiresAt')}>
              <Input
                type="date"
                value={x.expiresAt}
                onChange={(_, d) =>
                  setSubs((a) => a.map((y, j) => (j === i ? { ...y, expiresAt: d.value } : y)))
                }
              />
            </Field>
          </div>
        ))}
        <div className={s.row}>
          <Button
            type="button"
            onClick={() => setSubs((a) => [...a, { id: '', productId: '', expiresAt: '' }])}
          >
            {t('admin.tenants.addSubscription')}
          </Button>
          <Button type="submit" appearance="primary" disabled={sub.busy || !tenantId.trim()}>
            {t('admin.save')}
          </Button>
        </div>
      </FormCard>
    </>
  );
}

function CatalogAdmin() {
  const s = useStyles();
  const { t } = useTranslation();
  const q = useLoad(() => api.get<Catalog>('/api/v1/catalog'), []);
  const blank: CatalogProduct = {
    id: '',
    name: '',
    solutionArea: 'microsoft_365',
    scope: 'workload',
    dynamics365: false,
    active: true,
  };
  const [p, setP] = useState<CatalogProduct>(blank);
  const sub = useSubmit();
  const save = () =>
    void sub.run(async () => {
      await api.put(`/api/v1/catalog/products/${encodeURIComponent(p.id.trim())}`, {
        name: p.name.trim(),
        solutionArea: p.solutionArea,
        scope: p.scope,
        dynamics365: p.dynamics365,
        active: p.active !== false,
      });
      setP(blank);
      await q.reload();
    }, 'admin.saved');
  return (
    <>
      <ProblemBar error={q.error} />
      <Table size="small" style={{ tableLayout: 'auto' }} aria-label={t('admin.catalog.title')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t('admin.catalog.id')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.name')}</TableHeaderCell>
            <TableHeaderCell>{t('claim.solutionArea')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.catalog.scope')}</TableHeaderCell>
            <TableHeaderCell>{t('wizard.dynamics365')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.catalog.active')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.actions')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {(q.data?.products ?? []).map((x) => (
            <TableRow key={x.id}>
              <TableCell>{x.id}</TableCell>
              <TableCell>{x.name}</TableCell>
              <TableCell>{t(`solutionArea.${x.solutionArea}`)}</TableCell>
              <TableCell>{t(`admin.catalog.scopes.${x.scope}`)}</TableCell>
              <TableCell>{x.dynamics365 ? t('common.yes') : t('common.no')}</TableCell>
              <TableCell>{x.active === false ? t('common.no') : t('common.yes')}</TableCell>
              <TableCell>
                <Button size="small" onClick={() => setP({ ...x, active: x.active !== false })}>
                  {t('admin.edit')}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <FormCard title={t('admin.catalog.put')} onSubmit={save}>
        <SuccessBar>{sub.ok ? t(sub.ok) : null}</SuccessBar>
        <ProblemBar error={sub.error} />
        <div className={s.row}>
          <Field label={t('admin.catalog.id')} required className={s.field}>
            <Input value={p.id} onChange={(_, d) => setP({ ...p, id: d.value })} />
          </Field>
          <Field label={t('admin.name')} required className={s.field}>
            <Input value={p.name} onChange={(_, d) => setP({ ...p, name: d.value })} />
          </Field>
          <Field label={t('claim.solutionArea')}>
            <Select
              value={p.solutionArea}
              onChange={(_, d) => setP({ ...p, solutionArea: d.value as CatalogProduct['solutionArea'] })}
            >
              {SOLUTION_AREAS.map((a) => (
                <option key={a} value={a}>
                  {t(`solutionArea.${a}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('admin.catalog.scope')}>
            <Select
              value={p.scope}
              onChange={(_, d) => setP({ ...p, scope: d.value as CatalogProduct['scope'] })}
            >
              <option value="workload">{t('admin.catalog.scopes.workload')}</option>
              <option value="subscription">{t('admin.catalog.scopes.subscription')}</option>
            </Select>
          </Field>
        </div>
        <div className={s.row}>
          <Checkbox
            label={t('wizard.dynamics365')}
            checked={p.dynamics365}
            onChange={(_, d) => setP({ ...p, dynamics365: !!d.checked })}
          />
          <Checkbox
            label={t('admin.catalog.active')}
            checked={p.active !== false}
            onChange={(_, d) => setP({ ...p, active: !!d.checked })}
          />
          <Button type="submit" appearance="primary" disabled={sub.busy || !p.id.trim()}>
            {t('admin.save')}
          </Button>
        </div>
      </FormCard>
    </>
  );
}

function Holidays() {
  const s = useStyles();
  const { t } = useTranslation();
  const q = useLoad(async () => {
    const r = await api.get<{ items: Holiday[] } | Holiday[]>('/api/v1/holidays');
    return (Array.isArray(r) ? r : r.items).sort((a, b) => a.date.localeCompare(b.date));
  }, []);
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const sub = useSubmit();
  const add = () =>
    void sub.run(async () => {
      await api.post('/api/v1/holidays', { date, name: name.trim() });
      setDate('');
      setName('');
      await q.reload();
    }, 'admin.saved');
  const remove = (d: string) =>
    void sub.run(async () => {
      await api.del(`/api/v1/holidays/${d}`);
      await q.reload();
    }, 'admin.deleted');
  return (
    <>
      <Text>{t('admin.holidays.help')}</Text>
      <ProblemBar error={q.error} />
      <Table size="small" style={{ tableLayout: 'auto' }} aria-label={t('admin.holidays.title')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t('admin.holidays.date')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.name')}</TableHeaderCell>
            <TableHeaderCell>{t('admin.actions')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {(q.data ?? []).map((h) => (
            <TableRow key={h.date}>
              <TableCell>{formatDay(h.date)}</TableCell>
              <TableCell>{h.name}</TableCell>
              <TableCell>
                <Button
                  size="small"
                  onClick={() => remove(h.date)}
                  aria-label={t('admin.holidays.delete', { name: h.name })}
                >
                  {t('admin.delete')}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <FormCard title={t('admin.holidays.add')} onSubmit={add}>
        <SuccessBar>{sub.ok ? t(sub.ok) : null}</SuccessBar>
        <ProblemBar error={sub.error} />
        <div className={s.row}>
          <Field label={t('admin.holidays.date')} required>
            <Input type="date" value={date} onChange={(_, d) => setDate(d.value)} />
          </Field>
          <Field label={t('admin.name')} required className={s.field}>
            <Input value={name} onChange={(_, d) => setName(d.value)} />
          </Field>
          <Button type="submit" appearance="primary" disabled={sub.busy || !date || !name.trim()}>
            {t('admin.create')}
          </Button>
        </div>
      </FormCard>
    </>
  );
}
