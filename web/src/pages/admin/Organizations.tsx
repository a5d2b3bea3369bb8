// Organizations and their partner locations (MPN IDs): create one with its locations, add
// locations to one, edit one (its name; each location's name, country and whether it is
// active), disable or enable one (issue 13 point 10). Nothing is deleted: a disabled location
// cannot be chosen for a claim; a disabled organization's users cannot sign in.
import { useState } from 'react';
import { Badge, Button, Checkbox, Field, Input, makeStyles } from '@fluentui/react-components';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { useTranslation } from 'react-i18next';
import { api, ApiError, listAll, type Organization } from '../../api.js';
import { countryName } from '../../i18n/index.js';
import { useLoad, useStyles } from '../../components/ui.js';
import { AdminSection, useAdminForm } from './AdminSection.js';
import { CountrySelect } from './CountrySelect.js';

const blankLocation = () => ({ mpnId: '', name: '', country: '' });
type LocationRow = ReturnType<typeof blankLocation> & { disabled?: boolean };
const orgUrl = (o: Organization) => `/api/v1/organizations/${encodeURIComponent(o.id)}`;

/** The form: a new organization, locations added to one, or one edited. */
type Mode = { kind: 'new' } | { kind: 'add'; org: Organization } | { kind: 'edit'; org: Organization };

/** A problem of location `i`'s own request, with its fields where the form shows them. */
function atLocation(e: unknown, i: number): unknown {
  if (!(e instanceof ApiError)) return e;
  return new ApiError({
    ...e.problem,
    errors: e.problem.errors?.map((f) => ({ ...f, path: `locations.${i}.${f.path}` })),
  });
}

const useOrgStyles = makeStyles({ list: { margin: 0, paddingInlineStart: '1em' } });

export function Organizations() {
  const s = useStyles();
  const os = useOrgStyles();
  const { t } = useTranslation();
  const q = useLoad(() => listAll<Organization>('/api/v1/organizations'), []);
  const form = useAdminForm();
  const [name, setName] = useState('');
  const [locs, setLocs] = useState<LocationRow[]>([blankLocation()]);
  const [mode, setMode] = useState<Mode>({ kind: 'new' });
  /** The organization whose disabling waits for a confirmation. */
  const [confirming, setConfirming] = useState<Organization | null>(null);
  /** The locations (MPN ID · name) whose disabling waits for a confirmation. */
  const [confirmingLocations, setConfirmingLocations] = useState<string[] | null>(null);
  const reset = () => {
    setName('');
    setMode({ kind: 'new' });
    setLocs([blankLocation()]);
  };
  const startEdit = (org: Organization) => {
    setMode({ kind: 'edit', org });
    setName(org.name);
    setLocs(
      org.locations.map((l) => ({
        mpnId: l.mpnId,
        name: l.name,
        country: l.country ?? '',
        disabled: l.disabled,
      })),
    );
  };
  const startAdd = (org: Organization) => {
    setMode({ kind: 'add', org });
    setLocs([blankLocation()]);
  };
  // A row with anything typed in it is sent: the server says at its fields what is missing.
  const filled = () =>
    locs
      .filter((l) => l.mpnId.trim() || l.name.trim() || l.country)
      .map((l) => ({
        mpnId: l.mpnId.trim(),
        name: l.name.trim(),
        ...(l.country ? { country: l.country } : {}),
      }));
  const save = (confirmed = false) =>
    void form.run(async () => {
      setConfirmingLocations(null);
      if (mode.kind === 'edit' && !confirmed) {
        const org = mode.org;
        const disabling = locs.filter(
          (l) => l.disabled && org.locations.some((x) => x.mpnId === l.mpnId && !x.disabled),
        );
        if (disabling.length) {
          setConfirmingLocations(disabling.map((l) => `${l.mpnId} · ${l.name}`));
          return false;
        }
      }
      if (mode.kind === 'add') {
        for (const l of filled()) await api.post(`${orgUrl(mode.org)}/locations`, l);
      } else if (mode.kind === 'edit') {
        const org = mode.org;
        if (name.trim() !== org.name) await api.patch(orgUrl(org), { name: name.trim() });
        for (const [i, l] of locs.entries()) {
          const was = org.locations.find((x) => x.mpnId === l.mpnId);
          if (!was) continue;
          const change = {
            ...(l.name.trim() !== was.name ? { name: l.name.trim() } : {}),
            ...((l.country || null) !== was.country ? { country: l.country || null } : {}),
            ...(Boolean(l.disabled) !== was.disabled ? { disabled: Boolean(l.disabled) } : {}),
          };
          if (Object.keys(change).length === 0) continue;
          try {
            await api.patch(`${orgUrl(org)}/locations/${encodeURIComponent(l.mpnId)}`, change);
          } catch (e) {
            throw atLocation(e, i);
          }
        }
      } else await api.post('/api/v1/organizations', { name: name.trim(), locations: filled() });
      reset();
      await q.reload();
    });
  const setDisabled = (org: Organization, disabled: boolean) =>
    void form.run(async () => {
      setConfirming(null);
      await api.patch(orgUrl(org), { disabled });
      await q.reload();
    });
  const locationText = (l: Organization['locations'][number]) =>
    `${l.mpnId} · ${l.name}${l.country ? ` (${countryName(l.country)})` : ''}${
      l.disabled ? ` · ${t('admin.organizations.locationDisabled')}` : ''
    }`;
  const editing = mode.kind === 'edit';
  return (
    <AdminSection
      label={t('admin.organizations.title')}
      intro={
        confirming ? (
          <ConfirmDialog
            open
            title={t('admin.organizations.disableOrg', { name: confirming.name })}
            confirmLabel={t('admin.organizations.disable')}
            onConfirm={() => setDisabled(confirming, true)}
            onCancel={() => setConfirming(null)}
            testId="confirm-disable-org"
          >
            {t('admin.organizations.confirmDisable', { name: confirming.name })}
          </ConfirmDialog>
        ) : confirmingLocations ? (
          <ConfirmDialog
            open
            title={t('admin.organizations.disableLocations', { count: confirmingLocations.length })}
            confirmLabel={t('admin.organizations.disable')}
            onConfirm={() => save(true)}
            onCancel={() => setConfirmingLocations(null)}
            testId="confirm-disable-locations"
          >
            {t('admin.organizations.confirmDisableLocations', {
              count: confirmingLocations.length,
              locations: confirmingLocations.join(', '),
            })}
          </ConfirmDialog>
        ) : null
      }
      rows={q.data}
      loading={q.loading}
      loadError={q.error}
      rowKey={(o) => o.id}
      columns={[
        { id: 'name', header: t('admin.name'), cell: (o) => o.name },
        {
          id: 'state',
          header: t('admin.users.account'),
          cell: (o) =>
            o.disabled ? (
              <Badge appearance="tint" color="danger">
                {t('admin.users.disabled')}
              </Badge>
            ) : (
              <Badge appearance="tint" color="success">
                {t('admin.users.active')}
              </Badge>
            ),
        },
        {
          id: 'locations',
          header: t('admin.organizations.locations'),
          cell: (o) => (
            <ul className={os.list}>
              {o.locations.map((l) => (
                <li key={l.mpnId}>{locationText(l)}</li>
              ))}
            </ul>
          ),
        },
      ]}
      rowActions={(o) => (
        <div className={s.row}>
          <Button
            size="small"
            aria-label={t('admin.organizations.editOrg', { name: o.name })}
            onClick={() => startEdit(o)}
          >
            {t('admin.edit')}
          </Button>
          <Button
            size="small"
            aria-label={t('admin.organizations.addLocationTo', { name: o.name })}
            onClick={() => startAdd(o)}
          >
            {t('admin.organizations.addLocation')}
          </Button>
          <Button
            size="small"
            disabled={form.busy}
            aria-label={t(o.disabled ? 'admin.organizations.enableOrg' : 'admin.organizations.disableOrg', {
              name: o.name,
            })}
            onClick={() => (o.disabled ? setDisabled(o, false) : setConfirming(o))}
          >
            {o.disabled ? t('admin.users.enable') : t('admin.users.disable')}
          </Button>
        </div>
      )}
      formTitle={
        mode.kind === 'add'
          ? t('admin.organizations.addLocationTo', { name: mode.org.name })
          : mode.kind === 'edit'
            ? t('admin.organizations.editOrg', { name: mode.org.name })
            : t('admin.organizations.add')
      }
      form={form}
      onSubmit={() => save()}
      submitLabel={mode.kind === 'new' ? t('admin.create') : t('admin.save')}
      onCancel={mode.kind === 'new' ? undefined : reset}
      extraButtons={
        editing ? null : (
          <Button type="button" onClick={() => setLocs((x) => [...x, blankLocation()])}>
            {t('admin.organizations.addLocation')}
          </Button>
        )
      }
    >
      {mode.kind === 'add' ? null : (
        <Field label={t('admin.name')} required validationMessage={form.fieldError('name')}>
          <Input value={name} onChange={(_, d) => setName(d.value)} />
        </Field>
      )}
      {locs.map((l, i) => {
        // A location's own request (add, edit) answers its fields at the top level.
        const path = (k: string) => (mode.kind === 'add' ? k : `locations.${i}.${k}`);
        const set = (patch: Partial<LocationRow>) =>
          setLocs((x) => x.map((y, j) => (j === i ? { ...y, ...patch } : y)));
        return (
          <div key={i} className={s.row} data-testid={`location-row-${i}`}>
            <Field
              label={t('admin.organizations.mpnId')}
              required
              hint={editing ? undefined : t('admin.organizations.mpnHint')}
              validationMessage={form.fieldError(path('mpnId'))}
              className={s.field}
            >
              <Input value={l.mpnId} readOnly={editing} onChange={(_, d) => set({ mpnId: d.value })} />
            </Field>
            <Field
              label={t('admin.organizations.name')}
              required
              validationMessage={form.fieldError(path('name'))}
              className={s.field}
            >
              <Input value={l.name} onChange={(_, d) => set({ name: d.value })} />
            </Field>
            <Field
              label={t('admin.organizations.country')}
              validationMessage={form.fieldError(path('country'))}
              className={s.field}
            >
              <CountrySelect value={l.country} onChange={(country) => set({ country })} />
            </Field>
            {editing ? (
              <Checkbox
                label={t('admin.organizations.locationActive')}
                checked={!l.disabled}
                onChange={(_, d) => set({ disabled: d.checked !== true })}
              />
            ) : null}
          </div>
        );
      })}
      {editing ? <p className={s.muted}>{t('admin.organizations.locationActiveHint')}</p> : null}
    </AdminSection>
  );
}
