// One dialog for the actions that need words: request information, approve (with
// supersede), reject, resolve dispute, withdraw, disassociate, dispute.
import { useState } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Select,
  Textarea,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, ApiError, claimUrl, type Claim, type CompetingClaim, type DocumentInfo } from '../../api.js';
import { CheckGroup, fieldText, ProblemBar, useLoad, useStyles } from '../../components/ui.js';
import { PoeUpload } from './wizard/PoeUpload.js';

export type DialogKind =
  'request-information' | 'approve' | 'reject' | 'resolve-dispute' | 'withdraw' | 'disassociate' | 'dispute';

export function ActionDialog({
  kind,
  claim,
  checklist,
  onClose,
  onDone,
  onReload,
  onClaim,
  productName,
}: {
  kind: DialogKind;
  claim: Claim;
  /** The claim after an upload from the dialog (its version moved). */
  onClaim: (c: Claim) => void;
  productName: (id: string) => string;
  /** The reviewer's checklist (true = the PoE shows it); unticked points are proposed as reasons. */
  checklist: Record<string, boolean> | null;
  onClose: () => void;
  onDone: (c: Claim | undefined) => void;
  /** Read the claim again (after a 412): the dialog stays open with what was typed. */
  onReload: () => void;
}) {
  const s = useStyles();
  const { t } = useTranslation();
  const [text, setText] = useState('');
  // R-DISP-1: PoE added since the rejection carries a dispute without a justification (the server says).
  const poeSinceRejection = !claim.abilities.dispute.justificationRequired;
  const [reasons, setReasons] = useState<string[]>(() =>
    checklist ? claim.abilities.informationReasons.filter((r) => checklist[r] === false) : [],
  );
  const withChecklist = checklist ? { checklist } : {};
  const [reason, setReason] = useState('');
  const [supersede, setSupersede] = useState(false);
  // R-CONS-3: the directory does not know the tenant's domains, so the reviewer confirms the
  // customer contact before the consent mail goes there.
  const contactCheck = claim.customerContactCheck;
  const [contactVerified, setContactVerified] = useState(false);
  const [outcome, setOutcome] = useState<'overturn' | 'uphold' | ''>('');
  const approves = kind === 'approve' || (kind === 'resolve-dispute' && outcome === 'overturn');
  const needsContactCheck = approves && contactCheck === 'reviewer_required';
  const [needsSupersede, setNeedsSupersede] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Issue 13 point 6: whose association a supersede would end, and which products: the other
  // partners' approved claims on this claim's workloads or subscriptions (R-UNIQ-5); only
  // reviewers open these dialogs.
  const holdersQ = useLoad(
    async () =>
      kind === 'approve' || kind === 'resolve-dispute'
        ? (await api.get<{ items: CompetingClaim[] }>(claimUrl(claim.id, '/competing'))).items.filter(
            (c) => c.status === 'approved',
          )
        : [],
    [kind, claim.id],
  );
  const holders = holdersQ.data ?? [];
  // PoE added from the dispute dialog (R-DISP-1).
  const [uploaded, setUploaded] = useState<DocumentInfo[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const body = (): Record<string, unknown> | null => {
    const e: Record<string, string> = {};
    let b: Record<string, unknown> = {};
    // R-CONS-3: what the reviewer confirmed of the customer contact, when it must.
    if (needsContactCheck && !contactVerified)
      e['checklist.customer_contact_verified'] = t('review.contactVerifyRequired');
    const contactChecklist = contactVerified ? { customer_contact_verified: true } : {};
    switch (kind) {
      case 'request-information':
        if (!reasons.length) e.reasons = t('validation.reasons');
        if (!text.trim()) e.comment = t('validation.required');
        b = { reasons, comment: text.trim(), ...withChecklist };
        break;
      case 'approve':
        b = {
          ...(text.trim() ? { comment: text.trim() } : {}),
          ...(supersede ? { supersede: true } : {}),
          ...(checklist || needsContactCheck ? { checklist: { ...checklist, ...contactChecklist } } : {}),
        };
        break;
      case 'reject':
        if (!reason) e.reason = t('validation.required');
        if (!text.trim()) e.comment = t('validation.required');
        b = { reason, comment: text.trim(), ...withChecklist };
        break;
      case 'resolve-dispute':
        if (!outcome) e.outcome = t('validation.required');
        if (!text.trim()) e.comment = t('validation.required');
        b = { outcome, comment: text.trim(), ...(needsContactCheck ? { checklist: contactChecklist } : {}) };
        break;
      case 'withdraw':
        b = text.trim() ? { comment: text.trim() } : {};
        break;
      case 'disassociate':
        if (!text.trim()) e.reason = t('validation.required');
        b = { reason: text.trim() };
        break;
      case 'dispute':
        // R-DISP-1: a justification, or PoE added since the rejection (the server checks it too).
        if (!text.trim() && !poeSinceRejection) e.justification = t('validation.justificationOrPoe');
        b = text.trim() ? { justification: text.trim() } : {};
        break;
    }
    setErrors(e);
    return Object.keys(e).length ? null : b;
  };

  const confirm = async () => {
    const b = body();
    if (!b) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await api.post<Claim>(claimUrl(claim.id, `/${kind}`), b, { ifMatch: claim.version });
      onDone(updated);
    } catch (e) {
      if (e instanceof ApiError) {
        // R-UNIQ-6: refused with supersede too, it is the partner's own holding: supersede cannot help.
        if (e.code === 'already_associated' && !('supersede' in b && b.supersede)) setNeedsSupersede(true);
        const fe = e.fieldErrors((f) => fieldText(f, t));
        if (Object.keys(fe).length) setErrors(fe);
      }
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const textField = (path: string, label: string, required: boolean) => (
    <Field label={label} required={required} validationMessage={errors[path]}>
      <Textarea
        value={text}
        onChange={(_, d) => setText(d.value)}
        resize="vertical"
        rows={4}
        data-testid="dialog-text"
      />
    </Field>
  );

  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-describedby={undefined}>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void confirm();
          }}
        >
          <DialogBody>
            <DialogTitle>{t(`actions.${kind}`)}</DialogTitle>
            <DialogContent className={s.col}>
              <p>{t(`actions.help.${kind}`)}</p>
              <ProblemBar
                error={error}
                onReload={() => {
                  setError(null);
                  onReload();
                }}
              />
              {kind === 'request-information' ? (
                <CheckGroup label={t('review.reasons')} required error={errors.reasons}>
                  <div style={{ display: 'flex', flexDirection: 'column' }}>
                    {/* What this reviewer may ask for, as the server says (abilities). */}
                    {claim.abilities.informationReasons.map((r) => (
                      <Checkbox
                        key={r}
                        label={t(`infoReason.${r}`)}
                        checked={reasons.includes(r)}
                        data-testid={`reason-${r}`}
                        onChange={(_, d) =>
                          setReasons((x) => (d.checked ? [...x, r] : x.filter((y) => y !== r)))
                        }
                      />
                    ))}
                  </div>
                </CheckGroup>
              ) : null}
              {kind === 'reject' ? (
                <Field label={t('review.rejectionReason')} required validationMessage={errors.reason}>
                  <Select value={reason} onChange={(_, d) => setReason(d.value)} data-testid="reject-reason">
                    <option value="">{t('common.choose')}</option>
                    {/* Only the reasons the server accepts from this caller (R-REJ-1). */}
                    {claim.abilities.rejectionReasons.map((r) => (
                      <option key={r} value={r}>
                        {t(`rejection.${r}`)}
                      </option>
                    ))}
                  </Select>
                </Field>
              ) : null}
              {kind === 'resolve-dispute' ? (
                <Field label={t('review.outcome')} required validationMessage={errors.outcome}>
                  <RadioGroup
                    value={outcome}
                    onChange={(_, d) => setOutcome(d.value as 'overturn' | 'uphold')}
                  >
                    <Radio value="overturn" label={t('review.overturn')} />
                    <Radio value="uphold" label={t('review.uphold')} />
                  </RadioGroup>
                </Field>
              ) : null}
              {approves && contactCheck === 'outside_tenant_domains' ? (
                <MessageBar intent="error" data-testid="contact-outside">
                  <MessageBarBody>
                    {t('review.contactOutside', { email: claim.customerContact?.email ?? '' })}
                  </MessageBarBody>
                </MessageBar>
              ) : null}
              {needsContactCheck ? (
                <Field
                  required
                  hint={t('review.contactVerifyHint')}
                  validationMessage={errors['checklist.customer_contact_verified']}
                >
                  <Checkbox
                    checked={contactVerified}
                    onChange={(_, d) => setContactVerified(!!d.checked)}
                    label={t('review.contactVerify', { email: claim.customerContact?.email ?? '' })}
                    data-testid="contact-verified"
                  />
                </Field>
              ) : null}
              {kind === 'approve' ? (
                <Checkbox
                  checked={supersede}
                  onChange={(_, d) => setSupersede(!!d.checked)}
                  label={
                    holders.length
                      ? t('review.supersedeNamed', {
                          holders: holders
                            .map((h) =>
                              t('review.supersedeHolder', {
                                partner: h.organizationName ?? '—',
                                mpnId: h.mpnId ?? '—',
                                products: h.sharedProducts.map((p) => productName(p.productId)).join(', '),
                              }),
                            )
                            .join('; '),
                        })
                      : needsSupersede
                        ? t('review.supersedeNeeded')
                        : t('review.supersede')
                  }
                  data-testid="supersede"
                />
              ) : null}
              {kind === 'dispute' && claim.abilities.addDocument ? (
                // R-DISP-1: updated PoE carries a dispute; it is added here, before sending.
                <div data-testid="dispute-upload">
                  <PoeUpload
                    claim={claim}
                    docs={uploaded}
                    onUploaded={(d) => setUploaded((x) => [...x, d])}
                    onClaim={onClaim}
                  />
                </div>
              ) : null}
              {kind === 'request-information'
                ? textField('comment', t('review.commentToPartner'), true)
                : null}
              {kind === 'reject' ? textField('comment', t('review.commentToPartner'), true) : null}
              {kind === 'resolve-dispute' ? textField('comment', t('review.commentToPartner'), true) : null}
              {kind === 'approve' ? textField('comment', t('review.commentOptional'), false) : null}
              {kind === 'withdraw' ? textField('comment', t('review.commentOptional'), false) : null}
              {kind === 'disassociate' ? textField('reason', t('actions.disassociateReason'), true) : null}
              {kind === 'dispute'
                ? textField('justification', t('actions.disputeJustification'), !poeSinceRejection)
                : null}
            </DialogContent>
            <DialogActions>
              <Button type="button" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" appearance="primary" disabled={busy} data-testid="dialog-confirm">
                {t(`actions.confirm.${kind}`)}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
