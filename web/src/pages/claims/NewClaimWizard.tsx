// "+ Customer association": the wizard follows the source pages' steps. The draft is
// created after the contacts step (the PoE needs a claim to attach to); later steps
// upload documents, add a comment and submit. Also used to edit an existing claim
// (/claims/:id/edit), where statuses past draft only allow the R-EDIT-2 fields.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Field,
  Input,
  Link as FluentLink,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Select,
  Subtitle2,
  Text,
  Textarea,
  makeStyles,
  mergeClasses,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import {
  api,
  ApiError,
  claimUrl,
  qs,
  type Availability,
  type Catalog,
  type Claim,
  type DocumentInfo,
} from '../../api.js';
import { formatBytes } from '../../i18n/index.js';
import { navigate } from '../../components/router.js';
import { useMe } from '../../components/session.js';
import { CheckGroup, Loading, PageTitle, ProblemBar, useLoad, useStyles } from '../../components/ui.js';
import {
  checkStep,
  emptyForm,
  formFromClaim,
  needsSubscription,
  needsTechnicalContact,
  productOf,
  stepOfPath,
  toBody,
  type ClaimForm,
} from './claimForm.js';

const STEPS = ['location', 'area', 'details', 'products', 'contacts', 'poe', 'comments'] as const;
const EDITABLE_AFTER_SUBMIT = new Set(['mpnId', 'products', 'contacts']);

const useWizardStyles = makeStyles({
  layout: {
    display: 'grid',
    gridTemplateColumns: 'minmax(200px, 240px) 1fr',
    gap: tokens.spacingHorizontalXXL,
  },
  steps: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: '2px',
  },
  step: {
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderLeft: `3px solid ${tokens.colorNeutralStroke2}`,
    color: tokens.colorNeutralForeground2,
  },
  stepCurrent: {
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
    color: tokens.colorNeutralForeground1,
    fontWeight: tokens.fontWeightSemibold,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  stepDone: { color: tokens.colorNeutralForeground1 },
  drop: {
    border: `2px dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    padding: tokens.spacingVerticalXXL,
    textAlign: 'center',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalM,
  },
  dropActive: {
    border: `2px dashed ${tokens.colorBrandStroke1}`,
    backgroundColor: tokens.colorBrandBackground2,
  },
  product: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  hidden: { display: 'none' },
  heading: { ...typographyStyles.subtitle1, margin: 0, ':focus': { outline: 'none' } },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, justifyContent: 'flex-end' },
});

type Errors = Record<string, string>;

export default function NewClaimWizard({ existingId }: { existingId?: string } = {}) {
  const s = useStyles();
  const w = useWizardStyles();
  const { t } = useTranslation();
  const me = useMe();
  const locations = me.organization?.locations ?? [];
  const catalogQ = useLoad(() => api.get<Catalog>('/api/v1/catalog'), []);
  const catalog = catalogQ.data;
  const [claim, setClaim] = useState<Claim | null>(null);
  const [form, setForm] = useState<ClaimForm>(() =>
    emptyForm(locations.length === 1 ? locations[0]?.mpnId : ''),
  );
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [docs, setDocs] = useState<DocumentInfo[]>([]);
  const [comment, setComment] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Editing an existing claim: load it and its documents.
  useEffect(() => {
    if (!existingId) return;
    void (async () => {
      try {
        const c = await api.get<Claim>(claimUrl(existingId));
        setClaim(c);
        setForm(formFromClaim(c));
        const d = await api.get<{ items: DocumentInfo[] } | DocumentInfo[]>(
          claimUrl(existingId, '/documents'),
        );
        setDocs(Array.isArray(d) ? d : d.items);
      } catch (e) {
        setError(e);
      }
    })();
  }, [existingId]);

  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  const isDraft = !claim || claim.status === 'draft';
  const locked = (group: string) => !isDraft && !EDITABLE_AFTER_SUBMIT.has(group);
  const err = (path: string): string | undefined => {
    const m = errors[path];
    if (!m) return undefined;
    return m.startsWith('validation.') ? t(m) : m;
  };
  const update = (fn: (f: ClaimForm) => void) =>
    setForm((f) => {
      const copy = structuredClone(f);
      fn(copy);
      return copy;
    });

  const showServerErrors = (e: unknown) => {
    if (e instanceof ApiError && e.problem.errors?.length) {
      const fe = e.fieldErrors();
      setErrors(fe);
      const first = Math.min(...Object.keys(fe).map(stepOfPath));
      setStep(first);
    }
    setError(e);
  };

  /** Saves the claim: creates the draft the first time, then patches it. */
  const save = async (): Promise<Claim | null> => {
    setBusy(true);
    setError(null);
    try {
      let c: Claim;
      if (!claim) c = await api.post<Claim>('/api/v1/claims', toBody(form, catalog));
      else
        c = await api.patch<Claim>(claimUrl(claim.id), toBody(form, catalog, !isDraft), {
          ifMatch: claim.version,
        });
      setClaim(c);
      return c;
    } catch (e) {
      showServerErrors(e);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const next = async () => {
    const e = checkStep(step, form, catalog);
    // R-SUB-1: submitting needs at least one PoE document.
    if (step === 5 && docs.length === 0) e.documents = 'validation.poe';
    setErrors(e);
    if (Object.keys(e).length) {
      setError(null);
      return;
    }
    if (step === 4) {
      const c = await save();
      if (!c) return;
    }
    setStep((n) => Math.min(n + 1, STEPS.length - 1));
  };

  const finish = async () => {
    if (!claim) return;
    setBusy(true);
    setError(null);
    try {
      let c = claim;
      if (comment.trim()) {
        await api.post(claimUrl(c.id, '/comments'), { text: comment.trim() });
        setComment('');
        c = await api.get<Claim>(claimUrl(c.id));
      }
      if (c.allowedActions.includes('submit')) {
        c = await api.post<Claim>(claimUrl(c.id, '/submit'), {}, { ifMatch: c.version });
      }
      navigate(`/claims/${c.id}`);
    } catch (e) {
      try {
        setClaim(await api.get<Claim>(claimUrl(claim.id)));
      } catch {
        // keep the claim we have
      }
      showServerErrors(e);
    } finally {
      setBusy(false);
    }
  };

  if (catalogQ.loading && !catalog) return <Loading />;
  if (existingId && !claim && !error) return <Loading />;

  const stepTitle = t(`wizard.step.${STEPS[step] ?? 'location'}`);
  const finalLabel =
    !claim || claim.allowedActions.includes('submit') ? t('wizard.submit') : t('wizard.done');

  return (
    <div className={s.page}>
      <PageTitle>
        {existingId ? t('wizard.editTitle', { name: claim?.name ?? '' }) : t('wizard.title')}
      </PageTitle>
      <div className={w.layout}>
        <nav aria-label={t('wizard.stepsLabel')}>
          <ol className={w.steps}>
            {STEPS.map((k, i) => (
              <li
                key={k}
                aria-current={i === step ? 'step' : undefined}
                className={mergeClasses(w.step, i < step && w.stepDone, i === step && w.stepCurrent)}
              >
                {i + 1}. {t(`wizard.step.${k}`)}
              </li>
            ))}
          </ol>
        </nav>
        <form
          className={s.card}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (step === STEPS.length - 1) void finish();
            else void next();
          }}
        >
          <h2 ref={headingRef} tabIndex={-1} data-testid="wizard-step" className={w.heading}>
            {t('wizard.stepOf', { n: step + 1, total: STEPS.length })}: {stepTitle}
          </h2>
          <ProblemBar error={error} />
          {!isDraft ? (
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>{t('wizard.editLimited')}</MessageBarBody>
            </MessageBar>
          ) : null}
          {step === 0 ? (
            <>
              <Field
                label={t('claim.mpnId')}
                required
                validationMessage={err('mpnId')}
                hint={t('wizard.mpnHint')}
              >
                <Select
                  value={form.mpnId}
                  disabled={locked('mpnId')}
                  onChange={(_, d) => update((f) => void (f.mpnId = d.value))}
                >
                  <option value="">{t('common.choose')}</option>
                  {locations.map((l) => (
                    <option key={l.mpnId} value={l.mpnId}>
                      {l.mpnId} · {l.name}
                      {l.country ? ` (${l.country})` : ''}
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
          ) : null}
          {step === 1 ? (
            <>
              <Field label={t('claim.solutionArea')} required validationMessage={err('solutionArea')}>
                <RadioGroup
                  value={form.solutionArea}
                  disabled={locked('area')}
                  onChange={(_, d) =>
                    update((f) => {
                      if (f.solutionArea !== d.value) {
                        f.products = [];
                        f.activity = '';
                      }
                      f.solutionArea = d.value;
                    })
                  }
                >
                  {(catalog?.solutionAreas ?? []).map((a) => (
                    <Radio key={a.id} value={a.id} label={t(`solutionArea.${a.id}`)} />
                  ))}
                </RadioGroup>
              </Field>
              {form.solutionArea ? (
                <Field label={t('claim.activity')} required validationMessage={err('activity')}>
                  <RadioGroup
                    value={form.activity}
                    disabled={locked('area')}
                    onChange={(_, d) => update((f) => void (f.activity = d.value))}
                  >
                    {(catalog?.solutionAreas.find((a) => a.id === form.solutionArea)?.activities ?? []).map(
                      (a) => (
                        <Radio key={a} value={a} label={t(`activity.${a}`)} />
                      ),
                    )}
                  </RadioGroup>
                </Field>
              ) : null}
            </>
          ) : null}
          {step === 2 ? (
            <>
              <Field
                label={t('claim.name')}
                required
                validationMessage={err('name')}
                hint={t('wizard.nameHint')}
              >
                <Input
                  value={form.name}
                  disabled={locked('name')}
                  onChange={(_, d) => update((f) => void (f.name = d.value))}
                />
              </Field>
              {form.activity === 'revenue_association' ? (
                <>
                  <Text>{t('wizard.revenueIntro')}</Text>
                  {(['solutionSellerName', 'customerName', 'isvSolutionName'] as const).map((k) => (
                    <Field
                      key={k}
                      label={t(`claim.revenue.${k}`)}
                      required
                      validationMessage={err(`revenue.${k}`)}
                    >
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
          ) : null}
          {step === 3 ? <ProductsStep form={form} catalog={catalog} update={update} err={err} /> : null}
          {step === 4 ? <ContactsStep form={form} catalog={catalog} update={update} err={err} /> : null}
          {step === 5 && claim ? (
            <PoeStep
              claim={claim}
              docs={docs}
              onUploaded={(d) => setDocs((x) => [...x, d])}
              err={err('documents')}
            />
          ) : null}
          {step === 6 ? (
            <Field label={t('wizard.commentLabel')} hint={t('wizard.commentHint')}>
              <Textarea value={comment} onChange={(_, d) => setComment(d.value)} resize="vertical" rows={4} />
            </Field>
          ) : null}
          <div className={w.actions}>
            {step > 0 ? (
              <Button type="button" onClick={() => setStep((n) => n - 1)} disabled={busy}>
                {t('common.back')}
              </Button>
            ) : null}
            <Button
              type="button"
              appearance="subtle"
              onClick={() => navigate(claim ? `/claims/${claim.id}` : '/claims')}
            >
              {t('common.cancel')}
            </Button>
            {step === STEPS.length - 1 ? (
              <Button appearance="primary" type="submit" disabled={busy} data-testid="wizard-finish">
                {finalLabel}
              </Button>
            ) : (
              <Button appearance="primary" type="submit" disabled={busy} data-testid="wizard-next">
                {step === 4 ? (claim ? t('wizard.save') : t('wizard.create')) : t('wizard.continue')}
              </Button>
            )}
          </div>
        </form>
      </div>
    </div>
  );
}

interface StepProps {
  form: ClaimForm;
  catalog: Catalog | undefined;
  update: (fn: (f: ClaimForm) => void) => void;
  err: (path: string) => string | undefined;
}

/** R-UNIQ-3: whether a workload / subscription is free, taken or claimed, never by whom. */
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

function ProductsStep({ form, catalog, update, err }: StepProps) {
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

function ContactsStep({ form, catalog, update, err }: StepProps) {
  const s = useStyles();
  const { t } = useTranslation();
  const contact = (key: 'customerContact' | 'technicalContact', title: string, hint?: string): ReactNode => (
    <fieldset className={s.col} style={{ border: 'none', padding: 0, margin: 0 }}>
      <legend>
        <Subtitle2 as="h3">{title}</Subtitle2>
      </legend>
      {hint ? <Text className={s.muted}>{hint}</Text> : null}
      <div className={s.row}>
        {(['name', 'title', 'email'] as const).map((k) => (
          <Field
            key={k}
            label={t(`contact.${k}`)}
            required
            validationMessage={err(`${key}.${k}`)}
            className={s.field}
          >
            <Input
              type={k === 'email' ? 'email' : 'text'}
              value={form[key][k]}
              onChange={(_, d) => update((f) => void (f[key][k] = d.value))}
            />
          </Field>
        ))}
      </div>
    </fieldset>
  );
  const subs = form.products
    .map((p, i) => ({ p, i, prod: productOf(catalog, p.productId) }))
    .filter((x) => needsSubscription(x.prod));
  return (
    <>
      {contact('customerContact', t('contact.customer'))}
      {needsTechnicalContact(form, catalog)
        ? contact('technicalContact', t('contact.technical'), t('wizard.technicalWhy'))
        : null}
      <fieldset className={s.col} style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend>
          <Subtitle2 as="h3">{t('contact.partner')}</Subtitle2>
        </legend>
        <div className={s.row}>
          <Field
            label={t('contact.name')}
            required
            validationMessage={err('partnerContact.name')}
            className={s.field}
          >
            <Input
              value={form.partnerContact.name}
              onChange={(_, d) => update((f) => void (f.partnerContact.name = d.value))}
            />
          </Field>
          <Field
            label={t('contact.email')}
            required
            validationMessage={err('partnerContact.email')}
            className={s.field}
          >
            <Input
              type="email"
              value={form.partnerContact.email}
              onChange={(_, d) => update((f) => void (f.partnerContact.email = d.value))}
            />
          </Field>
        </div>
      </fieldset>
      {subs.length ? (
        <fieldset className={s.col} style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend>
            <Subtitle2 as="h3">{t('claim.subscriptionIds')}</Subtitle2>
          </legend>
          <Text className={s.muted}>{t('wizard.subscriptionWhy')}</Text>
          {subs.map(({ p, i, prod }) => (
            <div key={p.productId} className={s.row}>
              <Field
                label={t('claim.subscriptionIdOf', { product: prod?.name ?? p.productId })}
                validationMessage={err(`products.${i}.subscriptionId`)}
                className={s.field}
              >
                <Input
                  value={p.subscriptionId}
                  onChange={(_, d) =>
                    update((f) => {
                      const x = f.products[i];
                      if (x) x.subscriptionId = d.value;
                    })
                  }
                />
              </Field>
              {p.subscriptionId.trim() ? (
                <AvailabilityBadge
                  tenantId={form.tenantId}
                  productId={p.productId}
                  subscriptionId={p.subscriptionId.trim()}
                />
              ) : null}
            </div>
          ))}
        </fieldset>
      ) : null}
    </>
  );
}

/** PoE by drag-and-drop or browse, with the template to download. */
export function PoeStep({
  claim,
  docs,
  onUploaded,
  err,
}: {
  claim: Claim;
  docs: DocumentInfo[];
  onUploaded: (d: DocumentInfo) => void;
  err?: string;
}) {
  const w = useWizardStyles();
  const s = useStyles();
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const upload = async (files: FileList | File[]) => {
    setBusy(true);
    setError(null);
    try {
      for (const f of Array.from(files))
        onUploaded(await api.upload<DocumentInfo>(claimUrl(claim.id, '/documents'), f));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={s.col}>
      <Text>{t('wizard.poeIntro')}</Text>
      <div>
        <FluentLink href={claimUrl(claim.id, '/poe-template')} download data-testid="poe-template">
          {t('poe.downloadTemplate')}
        </FluentLink>
      </div>
      <div
        className={mergeClasses(w.drop, over && w.dropActive)}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (e.dataTransfer.files.length) void upload(e.dataTransfer.files);
        }}
      >
        <Text weight="semibold">{t('poe.dropHere')}</Text>
        <Text className={s.muted}>{t('poe.or')}</Text>
        <Button type="button" onClick={() => input.current?.click()} disabled={busy}>
          {t('poe.browse')}
        </Button>
        <input
          ref={input}
          type="file"
          multiple
          className={w.hidden}
          aria-label={t('poe.browse')}
          data-testid="poe-input"
          onChange={(e) => {
            if (e.target.files?.length) void upload(e.target.files);
            e.target.value = '';
          }}
        />
        {busy ? <Text>{t('poe.uploading')}</Text> : null}
      </div>
      {err ? (
        <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>
          {err}
        </Text>
      ) : null}
      <ProblemBar error={error} />
      {docs.length ? (
        <ul aria-label={t('poe.uploaded')} data-testid="poe-list">
          {docs.map((d) => (
            <li key={d.id}>
              {d.fileName} ({formatBytes(d.size)})
            </li>
          ))}
        </ul>
      ) : (
        <Text className={s.muted}>{t('poe.none')}</Text>
      )}
    </div>
  );
}
