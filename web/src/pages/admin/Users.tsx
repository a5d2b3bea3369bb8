// Users and their roles: create one (with an initial password and, for partner roles, an
// organization) or change an existing one's name, roles, language and password; disable or
// enable one (a disabled user's sessions and tokens stop at once).
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
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { LanguageField } from '../../components/LanguagePicker.js';
import { CheckGroup, PasswordField, useLoad, useStyles } from '../../components/ui.js';
import { AdminSection, useAdminForm } from './AdminSection.js';

const blank = { email: '', name: '', password: '', organizationId: '', language: '' };
// An initial password is known to whoever set it: by default it must be changed at first sign-in.
const blankMustChange = true;

export function Users() {
  const s = useStyles();
  const { t } = useTranslation();
  const q = useLoad(() => listAll<User>('/api/v1/users'), []);
  const orgs = useLoad(() => listAll<Organization>('/api/v1/organizations'), []);
  const form = useAdminForm();
  const [fields, setFields] = useState(blank);
  const [roles, setRoles] = useState<Role[]>([]);
  const [editing, setEditing] = useState<User | null>(null);
  const [mustChange, setMustChange] = useState(blankMustChange);
  /** The user whose disabling waits for a confirmation. */
  const [confirming, setConfirming] = useState<User | null>(null);
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
    setMustChange(u.mustChangePassword);
  };
  const setDisabled = (u: User, disabled: boolean) =>
    void form.run(async () => {
      setConfirming(null);
      await api.patch(`/api/v1/users/${encodeURIComponent(u.id)}`, { disabled });
      await q.reload();
    });
  const save = () =>
    void form.run(async () => {
      if (editing)
        await api.patch(`/api/v1/users/${encodeURIComponent(editing.id)}`, {
          roles,
          name: fields.name.trim(),
          language: fields.language || null,
          mustChangePassword: mustChange,
          ...(fields.password ? { password: fields.password } : {}),
        });
      else
        await api.post('/api/v1/users', {
          email: fields.email.trim(),
          name: fields.name.trim(),
          password: fields.password,
          roles,
          mustChangePassword: mustChange,
          ...(fields.organizationId ? { organizationId: fields.organizationId } : {}),
          ...(fields.language ? { language: fields.language } : {}),
        });
      setEditing(null);
      setFields(blank);
      setRoles([]);
      setMustChange(blankMustChange);
      await q.reload();
    });
  const partnerRoles = roles.some((r) => PARTNER_ROLES.includes(r));
  return (
    <AdminSection
      label={t('admin.users.title')}
      intro={
        <ConfirmDialog
          open={confirming !== null}
          title={t('admin.users.disableUser', { name: confirming?.name ?? '' })}
          confirmLabel={t('admin.users.disable')}
          onConfirm={() => confirming && setDisabled(confirming, true)}
          onCancel={() => setConfirming(null)}
          testId="confirm-disable-user"
        >
          {t('admin.users.confirmDisable', { name: confirming?.name ?? '', email: confirming?.email ?? '' })}
        </ConfirmDialog>
      }
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
        {
          id: 'account',
          header: t('admin.users.account'),
          // A user of a disabled organization cannot sign in either (issue 13 point 10).
          cell: (u) =>
            u.disabled
              ? t('admin.users.disabled')
              : (orgs.data ?? []).some((o) => o.id === u.organizationId && o.disabled)
                ? t('admin.users.organizationDisabled')
                : t('admin.users.active'),
        },
      ]}
      rowActions={(u) => (
        <div className={s.row}>
          <Button size="small" onClick={() => edit(u)}>
            {t('admin.edit')}
          </Button>
          <Button
            size="small"
            disabled={form.busy}
            aria-label={t(u.disabled ? 'admin.users.enableUser' : 'admin.users.disableUser', {
              name: u.name,
            })}
            onClick={() => (u.disabled ? setDisabled(u, false) : setConfirming(u))}
          >
            {u.disabled ? t('admin.users.enable') : t('admin.users.disable')}
          </Button>
        </div>
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
        <PasswordField
          label={editing ? t('admin.users.newPassword') : t('admin.users.password')}
          hint={editing ? t('admin.users.newPasswordHint') : t('password.newHint')}
          required={!editing}
          className={s.field}
          autoComplete="new-password"
          value={fields.password}
          onChange={(password) => setFields({ ...fields, password })}
          error={form.fieldError('password')}
        />
      </div>
      <Checkbox
        label={t('admin.users.mustChangePassword')}
        checked={mustChange}
        onChange={(_, d) => setMustChange(d.checked === true)}
      />
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
      <LanguageField
        label={t('admin.users.language')}
        hint={t('admin.users.languageHint')}
        emptyLabel={t('admin.users.languageBrowser')}
        value={fields.language}
        onChange={(language) => setFields({ ...fields, language })}
      />
    </AdminSection>
  );
}
