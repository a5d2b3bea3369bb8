// The tenant directory: each customer tenant's domains and subscriptions (what claims are
// checked against: R-CONS-3, R-FIELD-3, R-UNIQ-7).
import { useState } from 'react';
import { Button, Field, Input, Select, Textarea } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, listAll, type Catalog, type Tenant } from '../../api.js';
import { useLoad, useStyles } from '../../components/ui.js';
import { AdminSection, useAdminForm } from './AdminSection.js';

interface SubscriptionRow {
  id: string;
  productId: string;
  expiresAt: string;
}

export function Tenants() {
  const s = useStyles();
  const { t } = useTranslation();
  const q = useLoad(() => listAll<Tenant>('/api/v1/tenants'), []);
  const catalog = useLoad(() => api.get<Catalog>('/api/v1/catalog'), []);
  const form = useAdminForm();
  const [tenantId, setTenantId] = useState('');
  const [domains, setDomains] = useState('');
  const [subs, setSubs] = useState<SubscriptionRow[]>([]);
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
  const setSub = (i: number, change: Partial<SubscriptionRow>) =>
    setSubs((a) => a.map((y, j) => (j === i ? { ...y, ...change } : y)));
  const save = () =>
    void form.run(async () => {
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
    });
  return (
    <AdminSection
      label={t('admin.tenants.title')}
      rows={q.data}
      loading={q.loading}
      loadError={q.error}
      rowKey={(x) => x.tenantId}
      columns={[
        { id: 'tenantId', header: t('claim.tenantId'), cell: (x) => x.tenantId },
        { id: 'domains', header: t('admin.tenants.domains'), cell: (x) => x.domains.join(', ') },
        {
          id: 'subscriptions',
          header: t('admin.tenants.subscriptions'),
          cell: (x) => x.subscriptions.length,
        },
      ]}
      rowActions={(x) => (
        <Button size="small" onClick={() => edit(x)}>
          {t('admin.edit')}
        </Button>
      )}
      formTitle={t('admin.tenants.put')}
      form={form}
      onSubmit={save}
      submitLabel={t('admin.save')}
      canSubmit={!!tenantId.trim()}
      extraButtons={
        <Button
          type="button"
          onClick={() => setSubs((a) => [...a, { id: '', productId: '', expiresAt: '' }])}
        >
          {t('admin.tenants.addSubscription')}
        </Button>
      }
    >
      <Field
        label={t('claim.tenantId')}
        required
        hint={t('wizard.tenantHint')}
        validationMessage={form.fieldError('tenantId')}
      >
        <Input value={tenantId} onChange={(_, d) => setTenantId(d.value)} />
      </Field>
      <Field
        label={t('admin.tenants.domains')}
        hint={t('admin.tenants.domainsHint')}
        validationMessage={form.fieldError('domains')}
      >
        <Textarea value={domains} onChange={(_, d) => setDomains(d.value)} />
      </Field>
      {subs.map((x, i) => (
        <div key={i} className={s.row}>
          <Field
            label={t('claim.subscriptionId')}
            className={s.field}
            validationMessage={form.fieldError(`subscriptions.${i}.id`)}
          >
            <Input value={x.id} onChange={(_, d) => setSub(i, { id: d.value })} />
          </Field>
          <Field
            label={t('admin.catalog.product')}
            validationMessage={form.fieldError(`subscriptions.${i}.productId`)}
          >
            <Select value={x.productId} onChange={(_, d) => setSub(i, { productId: d.value })}>
              <option value="">{t('common.choose')}</option>
              {(catalog.data?.products ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            label={t('admin.tenants.expiresAt')}
            validationMessage={form.fieldError(`subscriptions.${i}.expiresAt`)}
          >
            <Input type="date" value={x.expiresAt} onChange={(_, d) => setSub(i, { expiresAt: d.value })} />
          </Field>
        </div>
      ))}
    </AdminSection>
  );
}
