// Step "products": the products of the solution area, each with its availability; a
// subscription product asks here for the subscription it claims (R-FIELD-3), and the
// server's check of it answers at this step.
import { useMemo } from 'react';
import { Badge, Checkbox, Field, Input, Text, mergeClasses } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { CheckGroup, useStyles } from '../../../components/ui.js';
import {
  AvailabilityBadge,
  AvailabilityWarning,
  useAvailabilities,
  useAvailability,
  type AvailabilityState,
} from './AvailabilityBadge.js';
import { isGuid, needsSubscription } from './claimForm.js';
import { useWizardStyles } from './styles.js';
import type { StepProps } from './types.js';
import type { CatalogProduct } from '../../../api.js';

export function ProductsStep(props: StepProps) {
  const { form, catalog, err } = props;
  const s = useStyles();
  const { t } = useTranslation();
  const products = useMemo(
    () => (catalog?.products ?? []).filter((p) => p.solutionArea === form.solutionArea && p.active !== false),
    [catalog, form.solutionArea],
  );
  // Every workload's availability in one request; a subscription product's once its ID is typed.
  const workloads = useMemo(
    () => products.filter((p) => p.scope !== 'subscription').map((p) => p.id),
    [products],
  );
  const known = useAvailabilities(form.tenantId, workloads);
  return (
    <CheckGroup label={t('claim.products')} required error={err('products')}>
      <div>
        <Text className={s.muted}>{t('wizard.productsHint')}</Text>
        {products.map((p) => (
          <ProductRow key={p.id} product={p} workload={known.get(p.id) ?? null} {...props} />
        ))}
      </div>
    </CheckGroup>
  );
}

/** One product: ticked or not, its availability (a warning when ticked and taken), its subscription. */
function ProductRow({
  product: p,
  workload,
  form,
  update,
  err,
  locked,
}: StepProps & { product: CatalogProduct; workload: AvailabilityState }) {
  const w = useWizardStyles();
  const s = useStyles();
  const { t } = useTranslation();
  const disabled = locked('products');
  const i = form.products.findIndex((x) => x.productId === p.id);
  const line = form.products[i];
  const sub = line?.subscriptionId.trim() ?? '';
  const lineError = err(`products.${i}`) ?? err(`products.${i}.productId`);
  const perSubscription = p.scope === 'subscription';
  // A subscription product's availability, once its ID is typed (a workload's came with the step's).
  const single = useAvailability(perSubscription && isGuid(sub) ? form.tenantId : '', p.id, sub);
  const a = perSubscription ? single : workload;
  return (
    <div className={w.product} data-testid={`product-${p.id}`}>
      <Checkbox
        label={p.name}
        checked={!!line}
        disabled={disabled}
        onChange={(_, d) =>
          update((f) => {
            if (d.checked) f.products.push({ productId: p.id, subscriptionId: '' });
            else f.products = f.products.filter((x) => x.productId !== p.id);
          })
        }
      />
      <span className={w.badges}>
        {p.dynamics365 ? <Badge appearance="outline">{t('wizard.dynamics365')}</Badge> : null}
        {perSubscription ? (
          <Badge appearance="outline" color="informative">
            {t('availability.perSubscription')}
          </Badge>
        ) : (
          <AvailabilityBadge a={a} />
        )}
      </span>
      {line && needsSubscription(p) ? (
        <div className={w.subscription}>
          <Field
            label={t('claim.subscriptionIdOf', { product: p.name })}
            hint={t('wizard.subscriptionWhy')}
            validationMessage={err(`products.${i}.subscriptionId`)}
            className={s.field}
          >
            <Input
              value={line.subscriptionId}
              disabled={disabled}
              placeholder="00000000-0000-0000-0000-000000000000"
              onChange={(_, d) =>
                update((f) => {
                  const x = f.products[i];
                  if (x) x.subscriptionId = d.value;
                })
              }
            />
          </Field>
          {isGuid(sub) ? <AvailabilityBadge a={a} /> : null}
        </div>
      ) : null}
      {line ? (
        <div className={w.lineError}>
          <AvailabilityWarning a={a} />
        </div>
      ) : null}
      {lineError ? (
        <Text role="alert" className={mergeClasses(s.error, w.lineError)}>
          {lineError}
        </Text>
      ) : null}
    </div>
  );
}
