// "+ Customer association": the wizard follows the source pages' steps, one component per
// step (STEP_VIEWS), addressed by name in the URL (/claims/:id/edit/:step). The draft is
// created by the first step's Continue, and from then on has its own URL: a reload resumes
// it at the same step, and each Continue saves what changed (the server checks each value at
// the step where it is entered). A review step shows the whole claim before it is submitted.
// Also the edit page of a submitted claim, where statuses past draft only allow the
// R-EDIT-2 fields.
import { useEffect, useRef, useState, type ComponentType } from 'react';
import { Button, MessageBar, MessageBarBody, mergeClasses } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import {
  api,
  ApiError,
  claimUrl,
  type Catalog,
  type Claim,
  type ClaimField,
  type DocumentInfo,
  type ProblemField,
  type Schema,
} from '../../../api.js';
import { navigate } from '../../../components/router.js';
import { useMe } from '../../../components/session.js';
import { fieldText, Loading, PageTitle, ProblemBar, useLoad, useStyles } from '../../../components/ui.js';
import { AreaStep } from './AreaStep.js';
import {
  checkStep,
  doneSteps,
  emptyForm,
  firstStepOf,
  formFromClaim,
  isStep,
  resumeStep,
  stepOfPath,
  STEPS,
  toBody,
  type ClaimForm,
  type StepName,
} from './claimForm.js';
import { ContactsStep } from './ContactsStep.js';
import { DetailsStep } from './DetailsStep.js';
import { DiscardDraft } from './DiscardDraft.js';
import { LocationStep } from './LocationStep.js';
import { PoeStep } from './PoeStep.js';
import { ProductsStep } from './ProductsStep.js';
import { ReviewStep } from './ReviewStep.js';
import { useWizardStyles } from './styles.js';
import type { FieldGroup, StepProps } from './types.js';

const STEP_VIEWS: Record<StepName, ComponentType<StepProps>> = {
  location: LocationStep,
  area: AreaStep,
  details: DetailsStep,
  products: ProductsStep,
  contacts: ContactsStep,
  poe: PoeStep,
  review: ReviewStep,
};

/** The claim's fields each group of the form shows (the server says which may change). */
const GROUP_FIELDS: Record<FieldGroup, readonly ClaimField[]> = {
  mpnId: ['mpnId'],
  customer: ['customer'],
  area: ['solutionArea', 'activity'],
  name: ['name'],
  revenue: ['revenue'],
  products: ['products'],
  contacts: ['customerContact', 'technicalContact', 'partnerContact'],
};

type Readiness = Schema<'ClaimReadiness'>;
/** A field error's path, dotted (`products.0.subscriptionId`). */
const pathOf = (e: ProblemField) => e.path.replace(/^\/+/, '').replace(/\//g, '.');

/**
 * A server's field problem in the user's language; the directory's answers (R-ROLE-3: whether
 * what the partner typed agrees, R-FIELD-3, R-CONS-3) in words of their own.
 */
function wizardFieldText(e: ProblemField, t: (k: string, o?: Record<string, unknown>) => string): string {
  const path = pathOf(e);
  if (path === 'customer.domain' && e.code === 'not_of_tenant') return t('wizard.check.domain');
  if (/^products\.\d+\.subscriptionId$/.test(path))
    return t(e.code === 'required' ? 'wizard.check.subscriptionRequired' : 'wizard.check.subscription');
  if (/^products\.\d+$/.test(path) && e.code === 'already_yours') return t('wizard.check.yours');
  if (path === 'customerContact.email' && e.code === 'outside_tenant_domains')
    return t('wizard.check.contactEmail');
  return fieldText(e, t);
}

/** Field problems by dotted path, the first of each. */
function byPath(errors: ProblemField[]): Record<string, ProblemField> {
  const out: Record<string, ProblemField> = {};
  for (const e of errors) out[pathOf(e)] ??= e;
  return out;
}

const indexOf = (step: StepName) => STEPS.indexOf(step);
const stepAt = (i: number): StepName => STEPS[Math.max(0, Math.min(i, STEPS.length - 1))] ?? 'location';
const editUrl = (id: string, step: StepName) => `/claims/${encodeURIComponent(id)}/edit/${step}`;

export default function NewClaimWizard({
  existingId,
  step: stepParam,
}: { existingId?: string; step?: string } = {}) {
  const s = useStyles();
  const w = useWizardStyles();
  const { t } = useTranslation();
  const me = useMe();
  const locations = me.organization?.locations ?? [];
  // The locations a new claim may choose (a disabled one may not: issue 13 point 10).
  const active = locations.filter((l) => !l.disabled);
  const catalogQ = useLoad(() => api.get<Catalog>('/api/v1/catalog'), []);
  const catalog = catalogQ.data;
  const [claim, setClaim] = useState<Claim | null>(null);
  const [form, setForm] = useState<ClaimForm>(() =>
    emptyForm(active.length === 1 ? active[0]?.mpnId : '', { name: me.name, email: me.email }),
  );
  /** The form as the server last saved it: a step's Continue saves only when it changed. */
  const saved = useRef<string>('');
  const [newStep, setNewStep] = useState<StepName>('location');
  /** By body path: an i18n key of the browser's checks, or the server's problem (translated when shown). */
  const [errors, setErrors] = useState<Record<string, string | ProblemField>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [docs, setDocs] = useState<DocumentInfo[]>([]);
  const [comment, setComment] = useState('');
  /** What the server's check last said submit would refuse (the review lists it). */
  const [readiness, setReadiness] = useState<ProblemField[] | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  /** One key per new draft: a retried create (a double click, a lost answer) makes no second one. */
  const createKey = useRef(crypto.randomUUID());

  const adopt = (c: Claim) => {
    const f = formFromClaim(c);
    setClaim(c);
    setForm(f);
    saved.current = JSON.stringify(f);
  };

  // A claim opened by its URL (a reload, a link, the claim page's Edit): load it and its
  // documents; the draft this wizard has just created is already here.
  useEffect(() => {
    if (!existingId || claim?.id === existingId) return;
    void (async () => {
      try {
        const c = await api.get<Claim>(claimUrl(existingId));
        const d = await api.get<{ items: DocumentInfo[] } | DocumentInfo[]>(
          claimUrl(existingId, '/documents'),
        );
        setDocs(Array.isArray(d) ? d : d.items);
        adopt(c);
      } catch (e) {
        setError(e);
      }
    })();
    // adopt only sets state
  }, [existingId]);

  const done = doneSteps(form, catalog, docs.length, !!claim);
  const urlStep = isStep(stepParam) ? stepParam : null;
  const step: StepName = existingId
    ? (urlStep ?? (claim?.status === 'draft' ? resumeStep(done) : 'location'))
    : newStep;

  // /claims/:id/edit without a step: a draft resumes where it was left; a submitted claim's
  // edit (R-EDIT-2) opens at the first step.
  useEffect(() => {
    if (existingId && claim && catalog && !urlStep) navigate(editUrl(existingId, step), true);
  }, [existingId, claim, catalog, urlStep, step]);

  // The review step lists what the server would still refuse.
  const claimId = claim?.id;
  const checkable = claim?.status === 'draft';
  useEffect(() => {
    if (step !== 'review' || !claimId || !checkable) return;
    let live = true;
    api.get<Readiness>(claimUrl(claimId, '/check')).then(
      (r) => live && setReadiness(r.errors),
      () => live && setReadiness(null),
    );
    return () => {
      live = false;
    };
  }, [step, claimId, checkable, docs.length]);

  useEffect(() => {
    headingRef.current?.focus();
    // On a phone the step list is one row that scrolls: keep the current step in sight.
    document
      .querySelector('[data-testid^="step-"][aria-current="step"]')
      ?.scrollIntoView({ block: 'nearest', inline: 'center' });
  }, [step]);

  const goTo = (target: StepName) => {
    if (claim) navigate(editUrl(claim.id, target));
    else setNewStep(target);
  };

  const isDraft = !claim || claim.status === 'draft';
  // R-EDIT-1/2, as the server says for this caller (abilities.editableFields); a new claim: all.
  const editable = claim?.abilities.editableFields;
  const locked = (group: FieldGroup) => !!editable && !GROUP_FIELDS[group].every((f) => editable.includes(f));
  const err = (path: string): string | undefined => {
    const m = errors[path];
    if (!m) return undefined;
    return typeof m === 'string' ? t(m) : wizardFieldText(m, t);
  };
  const update = (fn: (f: ClaimForm) => void) =>
    setForm((f) => {
      const copy = structuredClone(f);
      fn(copy);
      return copy;
    });

  const showServerErrors = (e: unknown) => {
    if (e instanceof ApiError && e.problem.errors?.length) {
      const fe = byPath(e.problem.errors);
      setErrors(fe);
      const at = firstStepOf(Object.keys(fe));
      if (at !== step) goTo(at);
    }
    setError(e);
  };

  /**
   * Saves the form: creates the draft the first time (its URL replaces /claims/new), then
   * patches what changed. The server's own checks answer at the fields.
   */
  const save = async (then: StepName): Promise<boolean> => {
    if (claim && JSON.stringify(form) === saved.current) return true;
    setBusy(true);
    setError(null);
    try {
      if (!claim) {
        const c = await api.post<Claim>('/api/v1/claims', toBody(form, catalog), {
          idempotencyKey: createKey.current,
        });
        adopt(c);
        navigate(editUrl(c.id, then), true);
        return false;
      }
      adopt(
        await api.patch<Claim>(claimUrl(claim.id), toBody(form, catalog, editable), {
          ifMatch: claim.version,
        }),
      );
      return true;
    } catch (e) {
      showServerErrors(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const next = async () => {
    const e = checkStep(step, form, catalog);
    // R-SUB-1: submitting needs at least one PoE document.
    if (step === 'poe' && docs.length === 0) e.documents = 'validation.poe';
    setErrors(e);
    if (Object.keys(e).length) {
      setError(null);
      return;
    }
    const target = stepAt(indexOf(step) + 1);
    if (!(await save(target))) return;
    if (await refusedHere(step)) return;
    goTo(target);
  };

  /**
   * The server's own check of the fields of `at` (GET .../check: what submit would refuse),
   * e.g. a subscription ID the directory cannot fill in, or a product the organization holds
   * (R-FIELD-3, R-UNIQ-6). Shown at the fields; true when there is any.
   */
  const refusedHere = async (at: StepName): Promise<boolean> => {
    if (!claim || claim.status !== 'draft' || at === 'poe' || at === 'review') return false;
    try {
      const r = await api.get<Readiness>(claimUrl(claim.id, '/check'));
      setReadiness(r.errors);
      const here = r.errors.filter((e) => stepOfPath(pathOf(e)) === at);
      if (!here.length) return false;
      setErrors(byPath(here));
      return true;
    } catch (e) {
      setError(e);
      return true;
    }
  };

  /** A step chosen in the step list: what was entered here is saved first. */
  const jump = async (target: StepName) => {
    if (target === step) return;
    setErrors({});
    if (await save(target)) goTo(target);
  };

  const finish = async () => {
    if (!claim) return;
    if (!(await save('review'))) return;
    setBusy(true);
    setError(null);
    try {
      let c = claim;
      if (comment.trim()) {
        await api.post(claimUrl(c.id, '/comments'), { text: comment.trim() }, { ifMatch: c.version });
        setComment('');
        c = await api.get<Claim>(claimUrl(c.id));
      }
      if (c.allowedActions.includes('submit')) {
        c = await api.post<Claim>(claimUrl(c.id, '/submit'), {}, { ifMatch: c.version });
      }
      navigate(`/claims/${c.id}`);
    } catch (e) {
      try {
        adopt(await api.get<Claim>(claimUrl(claim.id)));
      } catch {
        // keep the claim we have
      }
      showServerErrors(e);
    } finally {
      setBusy(false);
    }
  };

  if (catalogQ.loading && !catalog) return <Loading />;
  if (existingId && claim?.id !== existingId && !error) return <Loading />;

  const last = step === 'review';
  const current = indexOf(step);
  const finalLabel =
    !claim || claim.allowedActions.includes('submit') ? t('wizard.submit') : t('wizard.done');
  const View = STEP_VIEWS[step];

  return (
    <div className={s.page}>
      <PageTitle
        actions={
          claim && claim.status === 'draft' && claim.allowedActions.includes('withdraw') ? (
            <DiscardDraft claim={claim} />
          ) : null
        }
      >
        {existingId && claim?.name ? t('wizard.editTitle', { name: claim.name }) : t('wizard.title')}
      </PageTitle>
      <div className={w.layout}>
        <nav aria-label={t('wizard.stepsLabel')} className={w.nav}>
          <ol className={w.steps}>
            {STEPS.map((k, i) => {
              const isDone = done.has(k);
              const label = (
                <>
                  <span className={w.stepMark} aria-hidden="true">
                    {isDone ? '✓' : i + 1}
                  </span>
                  <span className={w.stepName}>{t(`wizard.step.${k}`)}</span>
                  {isDone ? <span className={w.visuallyHidden}>{t('wizard.stepDone')}</span> : null}
                </>
              );
              return (
                <li
                  key={k}
                  className={mergeClasses(w.step, isDone && w.stepDone, k === step && w.stepCurrent)}
                >
                  {claim || k === step ? (
                    <button
                      type="button"
                      className={w.stepButton}
                      aria-current={k === step ? 'step' : undefined}
                      disabled={busy}
                      data-testid={`step-${k}`}
                      onClick={() => void jump(k)}
                    >
                      {label}
                    </button>
                  ) : (
                    <span className={w.stepButton}>{label}</span>
                  )}
                </li>
              );
            })}
          </ol>
        </nav>
        <form
          className={mergeClasses(s.card, w.form)}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void (last ? finish() : next());
          }}
        >
          <h2 ref={headingRef} tabIndex={-1} data-testid="wizard-step" className={w.heading}>
            {t('wizard.stepOf', { n: current + 1, total: STEPS.length })}
            {t('wizard.stepSep')}
            {t(`wizard.step.${step}`)}
          </h2>
          <ProblemBar
            error={error}
            onReload={
              claim
                ? () => {
                    setError(null);
                    void api.get<Claim>(claimUrl(claim.id)).then(adopt, setError);
                  }
                : undefined
            }
          />
          {!claim ? (
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>{t('wizard.draftNote')}</MessageBarBody>
            </MessageBar>
          ) : null}
          {!isDraft ? (
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>{t('wizard.editLimited')}</MessageBarBody>
            </MessageBar>
          ) : null}
          <View
            form={form}
            catalog={catalog}
            locations={locations}
            update={update}
            err={err}
            locked={locked}
            claim={claim}
            setClaim={setClaim}
            docs={docs}
            setDocs={setDocs}
            comment={comment}
            setComment={setComment}
            done={done}
            serverMissing={checkable ? (readiness ?? []).map((e) => stepOfPath(pathOf(e))) : []}
            goTo={(k) => void jump(k)}
          />
          <div className={w.actions}>
            {current > 0 ? (
              <Button type="button" onClick={() => void jump(stepAt(current - 1))} disabled={busy}>
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
            {last ? (
              <Button appearance="primary" type="submit" disabled={busy} data-testid="wizard-finish">
                {finalLabel}
              </Button>
            ) : (
              <Button appearance="primary" type="submit" disabled={busy} data-testid="wizard-next">
                {t('wizard.continue')}
              </Button>
            )}
          </div>
        </form>
      </div>
    </div>
  );
}
