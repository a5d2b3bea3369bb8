// Organizations and their partner locations (MPN IDs): create one with its locations, or
// add locations to an existing one.
import { useState } from 'react';
import { Button, Field, Input } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, listAll, type Organization } from '../../api.js';
import { useLoad, useStyles } from '../../components/ui.js';
import { AdminSection, useAdminForm } from './AdminSection.js';

const blankLocation = () => ({ mpnId: '', name: '', country: '' });
const LOCATION_FIELDS = ['mpnId', 'name', 'country'] as const;

export function Organizations() {
  const s = useStyles();
  const { t } = useTranslation();
  const q = useLoad(() => listAll<Organization>('/api/v1/organizations'), []);
  const form = useAdminForm();
  const [name, setName] = useState('');
  const [locs, setLocs] = useState([blankLocation()]);
  // Adding locations to an existing organization, or creating one with its locations.
  const [target, setTarget] = useState<Organization | null>(null);
  // A row with anything typed in it is sent: the server says at its fields what is missing.
  const filled = () =>
    locs
      .filter((l) => l.mpnId.trim() || l.name.trim() || l.country.trim())
      .map((l) => ({
        mpnId: l.mpnId.trim(),
        name: l.name.trim(),
        ...(l.country.trim() ? { country: l.country.trim() } : {}),
      }));
  const save = () =>
    void form.run(async () => {
      if (target)
        for (const l of filled())
          await api.post(`/api/v1/organizations/${encodeURIComponent(target.id)}/locations`, l);
      else await api.post('/api/v1/organizations', { name: name.trim(), locations: filled() });
      setName('');
      setTarget(null);
      setLocs([blankLocation()]);
      await q.reload();
    });
  return (
    <AdminSection
      label={t('admin.organizations.title')}
      rows={q.data}
      loading={q.loading}
      loadError={q.error}
      rowKey={(o) => o.id}
      columns={[
        { id: 'name', header: t('admin.name'), cell: (o) => o.name },
        {
          id: 'locations',
          header: t('admin.organizations.locations'),
          cell: (o) =>
            o.locations.map((l) => `${l.mpnId} · ${l.name}${l.country ? ` (${l.country})` : ''}`).join('; '),
        },
      ]}
      rowActions={(o) => (
        <Button
          size="small"
          aria-label={t('admin.organizations.addLocationTo', { name: o.name })}
          onClick={() => setTarget(o)}
        >
          {t('admin.organizations.addLocation')}
        </Button>
      )}
      formTitle={
        target ? t('admin.organizations.addLocationTo', { name: target.name }) : t('admin.organizations.add')
      }
      form={form}
      onSubmit={save}
      submitLabel={target ? t('admin.save') : t('admin.create')}
      onCancel={target ? () => setTarget(null) : undefined}
      extraButtons={
        <Button type="button" onClick={() => setLocs((x) => [...x, blankLocation()])}>
          {t('admin.organizations.addLocation')}
        </Button>
      }
    >
      {target ? null : (
        <Field label={t('admin.name')} required validationMessage={form.fieldError('name')}>
          <Input value={name} onChange={(_, d) => setName(d.value)} />
        </Field>
      )}
      {locs.map((l, i) => (
        <div key={i} className={s.row}>
          {LOCATION_FIELDS.map((k) => (
            <Field
              key={k}
              label={t(`admin.organizations.${k}`)}
              required={k !== 'country'}
              hint={k === 'mpnId' ? t('admin.organizations.mpnHint') : undefined}
              validationMessage={form.fieldError(target ? k : `locations.${i}.${k}`)}
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
    </AdminSection>
  );
}
