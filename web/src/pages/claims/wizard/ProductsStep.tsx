// Step "products": the products of the solution area, each with its availability.
import { useMemo } from 'react';
import { Badge, Checkbox, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { CheckGroup, useStyles } from '../../../components/ui.js';
import { AvailabilityBadge } from './AvailabilityBadge.js';
import { useWizardStyles } from './styles.js';
import type { StepProps } from './types.js';

export function ProductsStep({ form, catalog, update, err }: StepProps) {
  const w = useWizardStyles();
  const s = useStyles();
  const { t } = useTranslation();
  const products = useMemo(
    () => (catalog?.products ?? []).filter((p) => p.solutionArea === form.solutionArea && p.active !== false),
    [catalog, form.solutionArea],
  );
  return (
    <CheckGroup label={t('claim.products')} required error={err('products')}>
      <div>
        <Text className={s.muted}>{t('wizard.productsHint')}</Text>
        {products.map((p) => {
          const selected = form.products.some((x) => x.productId === p.id);
          return (
            <div key={p.id} className={w.product}>
              <Checkbox
                label={p.name}
                checked={selected}
                onChange={(_, d) =>
                  update((f) => {
                    if (d.checked) f.products.push({ productId: p.id, subscriptionId: '' });
                    else f.products = f.products.filter((x) => x.productId !== p.id);
                  })
                }
              />
              <span className={s.grow} />
              {p.dynamics365 ? <Badge appearance="outline">{t('wizard.dynamics365')}</Badge> : null}
              {p.scope === 'subscription' ? (
                <Badge appearance="outline" color="informative">
                  {t('availability.perSubscription')}
                </Badge>
              ) : (
                <AvailabilityBadge tenantId={form.tenantId} productId={p.id} />
              )}
            </div>
          );
        })}
      </div>
    </CheckGroup>
  );
}
