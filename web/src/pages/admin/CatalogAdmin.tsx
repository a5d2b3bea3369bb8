// The product catalog: each product's solution area, whether it is associated per workload
// or per subscription, whether it is Dynamics 365, and whether it can still be claimed.
import { useState } from 'react';
import { Button, Checkbox, Field, Input, Select } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, SOLUTION_AREAS, type Catalog, type CatalogProduct } from '../../api.js';
import { useLoad, useStyles } from '../../components/ui.js';
import { AdminSection, useAdminForm } from './AdminSection.js';

const blank: CatalogProduct = {
  id: '',
  name: '',
  solutionArea: 'microsoft_365',
  scope: 'workload',
  dynamics365: false,
  active: true,
};

export function CatalogAdmin() {
  const s = useStyles();
  const { t } = useTranslation();
  const q = useLoad(() => api.get<Catalog>('/api/v1/catalog'), []);
  const form = useAdminForm();
  const [p, setP] = useState<CatalogProduct>(blank);
  const yesNo = (b: boolean) => (b ? t('common.yes') : t('common.no'));
  const save = () =>
    void form.run(async () => {
      await api.put(`/api/v1/catalog/products/${encodeURIComponent(p.id.trim())}`, {
        name: p.name.trim(),
        solutionArea: p.solutionArea,
        scope: p.scope,
        dynamics365: p.dynamics365,
        active: p.active !== false,
      });
      setP(blank);
      await q.reload();
    });
  return (
    <AdminSection
      label={t('admin.catalog.title')}
      rows={q.data?.products}
      loading={q.loading}
      loadError={q.error}
      rowKey={(x) => x.id}
      columns={[
        { id: 'id', header: t('admin.catalog.id'), cell: (x) => x.id },
        { id: 'name', header: t('admin.name'), cell: (x) => x.name },
        { id: 'area', header: t('claim.solutionArea'), cell: (x) => t(`solutionArea.${x.solutionArea}`) },
        { id: 'scope', header: t('admin.catalog.scope'), cell: (x) => t(`admin.catalog.scopes.${x.scope}`) },
        { id: 'd365', header: t('wizard.dynamics365'), cell: (x) => yesNo(x.dynamics365) },
        { id: 'active', header: t('admin.catalog.active'), cell: (x) => yesNo(x.active !== false) },
      ]}
      rowActions={(x) => (
        <Button size="small" onClick={() => setP({ ...x, active: x.active !== false })}>
          {t('admin.edit')}
        </Button>
      )}
      formTitle={t('admin.catalog.put')}
      form={form}
      onSubmit={save}
      submitLabel={t('admin.save')}
      canSubmit={!!p.id.trim()}
    >
      <div className={s.row}>
        <Field
          label={t('admin.catalog.id')}
          required
          className={s.field}
          validationMessage={form.fieldError('id')}
        >
          <Input value={p.id} onChange={(_, d) => setP({ ...p, id: d.value })} />
        </Field>
        <Field
          label={t('admin.name')}
          required
          className={s.field}
          validationMessage={form.fieldError('name')}
        >
          <Input value={p.name} onChange={(_, d) => setP({ ...p, name: d.value })} />
        </Field>
        <Field label={t('claim.solutionArea')} validationMessage={form.fieldError('solutionArea')}>
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
        <Field label={t('admin.catalog.scope')} validationMessage={form.fieldError('scope')}>
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
      </div>
    </AdminSection>
  );
}
