// R-UNIQ-3: whether a workload or subscription is free, taken or claimed, never by whom.
import { useEffect, useState } from 'react';
import { Badge } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, qs, type Availability } from '../../../api.js';

export function AvailabilityBadge({
  tenantId,
  productId,
  subscriptionId,
}: {
  tenantId: string;
  productId: string;
  subscriptionId?: string;
}) {
  const { t } = useTranslation();
  const [a, setA] = useState<Availability | 'error' | null>(null);
  useEffect(() => {
    if (!tenantId) return;
    let live = true;
    setA(null);
    const timer = setTimeout(() => {
      api
        .get<Availability>(
          '/api/v1/availability' + qs({ tenantId: tenantId.trim().toLowerCase(), productId, subscriptionId }),
        )
        .then((r) => live && setA(r))
        .catch(() => live && setA('error'));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [tenantId, productId, subscriptionId]);
  if (a === null)
    return (
      <Badge appearance="outline" color="subtle">
        {t('availability.checking')}
      </Badge>
    );
  if (a === 'error')
    return (
      <Badge appearance="outline" color="subtle">
        {t('availability.unknown')}
      </Badge>
    );
  if (a.available)
    return (
      <Badge appearance="tint" color="success">
        {t('availability.free')}
      </Badge>
    );
  // R-UNIQ-6: the partner's own organization holds it; a claim on it would be refused.
  if (a.reason === 'yours')
    return (
      <Badge appearance="tint" color="informative">
        {t('availability.yours')}
      </Badge>
    );
  // The directory knows the tenant, and this is not one of its subscriptions of the product.
  if (a.reason === 'unknown_subscription')
    return (
      <Badge appearance="tint" color="danger">
        {t('availability.unknown_subscription')}
      </Badge>
    );
  if (a.reason === 'associated')
    return (
      <Badge appearance="tint" color="danger">
        {t('availability.associated')}
      </Badge>
    );
  return (
    <Badge appearance="tint" color="warning">
      {t('availability.claim_pending')}
    </Badge>
  );
}
