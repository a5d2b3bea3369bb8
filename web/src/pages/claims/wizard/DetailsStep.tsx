// Step "details": the claim's name, and the three revenue-association names (R-FIELD-4).
import { Field, Input, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { useStyles } from '../../../components/ui.js';
import type { StepProps } from './types.js';

const REVENUE = ['solutionSellerName', 'customerName', 'isvSolutionName'] as const;

export function DetailsStep({ form, update, err, locked }: StepProps) {
  const s = useStyles();
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('claim.name')} required validationMessage={err('name')} hint={t('wizard.nameHint')}>
        <Input
          value={form.name}
          disabled={locked('name')}
          onChange={(_, d) => update((f) => void (f.name = d.value))}
        />
      </Field>
      {form.activity === 'revenue_association' ? (
        <>
          <Text>{t('wizard.revenueIntro')}</Text>
          {REVENUE.map((k) => (
            <Field key={k} label={t(`claim.revenue.${k}`)} required validationMessage={err(`revenue.${k}`)}>
              <Input
                value={form.revenue[k]}
                disabled={locked('revenue')}
                onChange={(_, d) => update((f) => void (f.revenue[k] = d.value))}
              />
            </Field>
          ))}
        </>
      ) : (
        <Text className={s.muted}>{t('wizard.noActivityFields')}</Text>
      )}
    </>
  );
}
