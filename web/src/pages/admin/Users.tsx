// Users and their roles: create one (with an initial password and, for partner roles, an
// organization) or change an existing one's name, roles and language.
import { useState } from 'react';
import { Button, Checkbox, Field, Input, Select } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import {
  ALL_ROLES,
  api,
  listAll,
  PARTNER_ROLES,
  type Organization,
  type Role,
  type User,
} from '../../api.js';
import { LANGUAGES, LANGUAGE_NAMES } from '../../i18n/index.js';
import { CheckGroup, useLoad, useStyles } from '../../components/ui.js';
import { AdminSection, useAdminForm } from './AdminSection.js';

const blank = { email: '', name: '', password: '', organizationId: '', language: '' };

export function Users() {
  const s = useStyles();
  const { t } = useTranslation();
  const q = useLoad(() => listAll<User>('/api/v1/users'), []);
  const orgs = useLoad(() => listAll<Organization>('/api/v1/organizations'), []);
  const form = useAdminForm();
  const [fields, setFields] = useState(blank);
  const [roles, setRoles] = useState<Role[]>([]);
  const [editing, setEditing] = useState<User | null>(null);
  const orgName = (id: string | null) => (orgs.data ?? []).find((o) => o.id === id)?.name ?? '—';
  const edit = (u: User) => {
    setEditing(u);
    setFields({
      email: u.email,
      name: u.name,
      password: '',
      organizationId: u.organizationId ?? '',
      language: u.language ?? '',
    });
    setRoles(u.roles);
  };
  const save = () =>
    void form.run(async () => {
      if (editing)
        await api.patch(`/api/v1/users/${encodeURIComponent(editing.id)}`, {
          roles,
          name: fields.name.trim(),
          language: fields.language || null,
        });
      else
        await api.post('/api/v1/users', {
          email: fields.email.trim(),
          name: fields.name.trim(),
          password: fields.password,
          roles,
          ...(fields.organizationId ? { organizationId: fields.organizationId } : {}),
          ...(fields.language ? { language: fields.language } : {}),
        });
      setEditing(null);
      setFields(blank);
      setRoles([]);
      await q.reload();
    });
  const partnerRoles = roles.some((r) => PARTNER_ROLES.includes(r));
  return (
    <AdminSection
      label={t('admin.users.title')}
      rows={q.data}
      loading={q.loading}
      loadError={q.error}
      rowKey={(u) => u.id}
      columns={[
        { id: 'name', header: t('admin.name'), cell: (u) => u.name },
        { id: 'email', header: t('admin.users.email'), cell: (u) => u.email },
        {
          id: 'roles',
          header: t('admin.users.roles'),
          cell: (u) => u.roles.map((r) => t(`role.${r}`)).join(', '),
        },
        { id: 'organization', header: t('admin.users.organization'), cell: (u) => orgName(u.organizationId) },
      ]}
      rowActions={(u) => (
        <Button size="small" onClick={() => edit(u)}>
          {t('admin.edit')}
        </Button>
      )}
      formTitle={editing ? t('admin.users.edit', { name: editing.name }) : t('admin.users.add')}
      form={form}
      onSubmit={save}
      submitLabel={editing ? t('admin.save') : t('admin.create')}
      onCancel={editing ? () => setEditing(null) : undefined}
    >
      <div className={s.row}>
        <Field
          label={t('admin.name')}
          required
          className={s.field}
          validationMessage={form.fieldError('name')}
        >
          <Input value={fields.name} onChange={(_, d) => setFields({ ...fields, name: d.value })} />
        </Field>
        <Field
          label={t('admin.users.email')}
          required
          className={s.field}
          validationMessage={form.fieldError('email')}
        >
          <Input
            type="email"
            value={fields.email}
            disabled={!!editing}
            onChange={(_, d) => setFields({ ...fields, email: d.value })}
          />
        </Field>
        {!editing ? (
          <Field
            label={t('admin.users.password')}
            required
            className={s.field}
            validationMessage={form.fieldError('password')}
          >
            <Input
              type="password"
              autoComplete="new-password"
              value={fields.password}
              onChange={(_, d) => setFields({ ...fields, password: d.value })}
            />
          </Field>
        ) : null}
      </div>
      <CheckGroup label={t('admin.users.roles')} required error={form.fieldError('roles')}>
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
        <Field
          label={t('admin.users.organization')}
          required
          validationMessage={form.fieldError('organizationId')}
        >
          <Select
            value={fields.organizationId}
            onChange={(_, d) => setFields({ ...fields, organizationId: d.value })}
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
        <Select value={fields.language} onChange={(_, d) => setFields({ ...fields, language: d.value })}>
          <option value="">{t('admin.users.languageBrowser')}</option>
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </Select>
      </Field>
    </AdminSection>
  );
}
