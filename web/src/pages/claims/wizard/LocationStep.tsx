// Step "location": the partner location (MPN ID) and the customer's domain and tenant ID.
import { Field, Input, Select } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { countryName } from '../../../i18n/index.js';
import type { StepProps } from './types.js';

export function LocationStep({ form, locations, update, err, locked }: StepProps) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('claim.mpnId')} required validationMessage={err('mpnId')} hint={t('wizard.mpnHint')}>
        <Select
          value={form.mpnId}
          disabled={locked('mpnId')}
          onChange={(_, d) => update((f) => void (f.mpnId = d.value))}
        >
          <option value="">{t('common.choose')}</option>
          {/* A disabled location is not offered (issue 13 point 10), unless the claim names it. */}
          {locations
            .filter((l) => !l.disabled || l.mpnId === form.mpnId)
            .map((l) => (
              <option key={l.mpnId} value={l.mpnId}>
                {l.mpnId} · {l.name}
                {l.country ? ` (${countryName(l.country)})` : ''}
              </option>
            ))}
        </Select>
      </Field>
      <Field
        label={t('claim.domain')}
        required
        validationMessage={err('customer.domain')}
        hint={t('wizard.domainHint')}
      >
        <Input
          value={form.domain}
          disabled={locked('customer')}
          placeholder="contoso.onmicrosoft.com"
          onChange={(_, d) => update((f) => void (f.domain = d.value))}
        />
      </Field>
      <Field
        label={t('claim.tenantId')}
        required
        validationMessage={err('customer.tenantId')}
        hint={t('wizard.tenantHint')}
      >
        <Input
          value={form.tenantId}
          disabled={locked('customer')}
          placeholder="00000000-0000-0000-0000-000000000000"
          onChange={(_, d) => update((f) => void (f.tenantId = d.value))}
        />
      </Field>
    </>
  );
}
