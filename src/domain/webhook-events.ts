// Which webhook events a claim's history entry is (api.md "Integrations", issue 12 point 1).
// Every change of a claim writes history (R-HIST-1), and the database turns every history
// entry into an outbox event row (migration 0007); this pure table says what each entry means
// to the programs that listen. An entry may be no event (an SLA marker) or several (an
// approval changes the status and starts associations).

export const webhookEventTypes = [
  'claim.created',
  'claim.status_changed',
  'claim.comment_added',
  'claim.document_added',
  'claim.document_deleted',
  'claim.association_started',
  'claim.association_ended',
  'claim.consent_completed',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** A history entry as the event table reads it. */
export interface HistoryEntry {
  claimId: string;
  seq: number;
  at: Date;
  type: string;
  actor: { name: string; role: string };
  data: Record<string, unknown>;
}

/** One event: its type and data; the sender adds the event id and the claim. */
export interface WebhookEvent {
  type: WebhookEventType;
  data: Record<string, unknown>;
}

interface AssociationRef {
  productId: string;
  subscriptionId: string | null;
}

function associationsIn(v: unknown): AssociationRef[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((a: unknown) => {
    const o = a as { productId?: unknown; subscriptionId?: unknown } | null;
    return typeof o?.productId === 'string'
      ? [
          {
            productId: o.productId,
            subscriptionId: typeof o.subscriptionId === 'string' ? o.subscriptionId : null,
          },
        ]
      : [];
  });
}

const pick = (data: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => data[k] !== undefined).map((k) => [k, data[k]]));

/** The events of one history entry, in the order a receiver hears them. */
export function eventsOfHistory(e: HistoryEntry): WebhookEvent[] {
  const d = e.data;
  const by = { name: e.actor.name, role: e.actor.role };
  const events: WebhookEvent[] = [];
  if (e.type === 'created') events.push({ type: 'claim.created', data: { status: 'draft', by } });
  if (typeof d.from === 'string' && typeof d.to === 'string')
    events.push({
      type: 'claim.status_changed',
      data: { action: e.type, from: d.from, to: d.to, ...pick(d, ['statusReason', 'comment']), by },
    });
  if (e.type === 'comment_added')
    events.push({ type: 'claim.comment_added', data: { ...pick(d, ['commentId', 'text']), by } });
  if (e.type === 'document_added')
    events.push({
      type: 'claim.document_added',
      data: { ...pick(d, ['documentId', 'fileName', 'contentType', 'size', 'sha256']), by },
    });
  if (e.type === 'document_deleted')
    events.push({ type: 'claim.document_deleted', data: { ...pick(d, ['documentId', 'fileName']), by } });
  const started = associationsIn(d.associations);
  if (started.length > 0) events.push({ type: 'claim.association_started', data: { associations: started } });
  const ended = associationsIn(d.endedAssociations);
  if (ended.length > 0)
    events.push({
      type: 'claim.association_ended',
      data: { associations: ended, reason: typeof d.endReason === 'string' ? d.endReason : e.type },
    });
  // Another claim took the association over (R-UNIQ-5). Which claim is not said: it may be
  // another organization's, and a partner's hook hears only of its own claims.
  if (e.type === 'association_superseded' && typeof d.productId === 'string')
    events.push({
      type: 'claim.association_ended',
      data: {
        associations: [
          {
            productId: d.productId,
            subscriptionId: typeof d.subscriptionId === 'string' ? d.subscriptionId : null,
          },
        ],
        reason: 'superseded',
      },
    });
  if (e.type === 'complete_consent')
    events.push({ type: 'claim.consent_completed', data: { consentState: 'completed' } });
  return events;
}

/** Whether a hook listening to `subscribed` hears an event of this type. */
export function hookHears(subscribed: readonly string[], type: WebhookEventType): boolean {
  return subscribed.includes('*') || subscribed.includes(type);
}
