// R-UNIQ-3: whether a workload or subscription is available, in plain words, never naming
// the other partner: available, yours, held by another partner, a claim pending (the
// partner's own or another's), or not a subscription of this customer. Ticking one that is
// not available says what follows (issue 13 point 4).
import { useEffect, useState } from 'react';
import { Badge, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, qs, type Availability } from '../../../api.js';

export type AvailabilityState = Availability | 'error' | null;

/** What the server says of one workload or subscription of the tenant; null while it asks. */
export function useAvailability(tenantId: string, productId: string, subscriptionId?: string) {
  const [a, setA] = useState<AvailabilityState>(null);
  useEffect(() => {
    setA(null);
    if (!tenantId) return;
    let live = true;
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
  return a;
}

/**
 * What the server says of each of these workloads of the tenant, in one request (issue 13:
 * the products step asked once per product); an empty map while it asks.
 */
export function useAvailabilities(tenantId: string, productIds: string[]) {
  const [all, setAll] = useState<Map<string, AvailabilityState>>(new Map());
  const key = productIds.join(',');
  useEffect(() => {
    setAll(new Map());
    if (!tenantId || !key) return;
    let live = true;
    const timer = setTimeout(() => {
      api
        .get<{ items: (Availability & { productId: string })[] }>(
          '/api/v1/availability/products' + qs({ tenantId: tenantId.trim().toLowerCase(), productIds: key }),
        )
        .then((r) => live && setAll(new Map(r.items.map(({ productId, ...a }) => [productId, a]))))
        .catch(() => live && setAll(new Map(key.split(',').map((id) => [id, 'error' as const]))));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [tenantId, key]);
  return all;
}

/** Which words: the API's reason, with a pending claim told apart by whose it is. */
export function availabilityKey(a: Availability): string {
  if (a.available) return 'available';
  if (a.reason === 'claim_pending' && a.heldByYou) return 'yours_pending';
  return a.reason ?? 'associated';
}

const COLOR = {
  available: 'success',
  yours: 'informative',
  yours_pending: 'informative',
  associated: 'danger',
  claim_pending: 'warning',
  unknown_subscription: 'danger',
} as const;

export function AvailabilityBadge({ a }: { a: AvailabilityState }) {
  const { t } = useTranslation();
  if (a === null || a === 'error')
    return (
      <Badge appearance="outline" color="subtle">
        {t(a === null ? 'availability.checking' : 'availability.unknown')}
      </Badge>
    );
  const key = availabilityKey(a);
  return (
    <Badge appearance="tint" color={COLOR[key as keyof typeof COLOR] ?? 'warning'} data-testid="availability">
      {t(`availability.${key}`)}
    </Badge>
  );
}

/** A chosen product that is not available: what that means for this claim. */
export function AvailabilityWarning({ a }: { a: AvailabilityState }) {
  const { t } = useTranslation();
  if (!a || a === 'error' || a.available || a.reason === 'unknown_subscription') return null;
  const key = availabilityKey(a);
  return (
    <MessageBar
      intent={key === 'yours' ? 'error' : 'warning'}
      layout="multiline"
      data-testid="availability-warning"
    >
      <MessageBarBody>{t(`availability.warn.${key}`)}</MessageBarBody>
    </MessageBar>
  );
}
