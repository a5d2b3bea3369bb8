// "+ Customer association": the wizard follows the source pages' steps, one component per
// step (STEP_VIEWS), addressed by name. The draft is created after the contacts step (the
// PoE needs a claim to attach to); later steps upload documents, add a comment and submit.
// Also the edit page of an existing claim (/claims/:id/edit), where statuses past draft
// only allow the R-EDIT-2 fields.
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
} from '../../../api.js';
import { navigate } from '../../../components/router.js';
import { useMe } from '../../../components/session.js';
import { fieldText, Loading, PageTitle, ProblemBar, useLoad, useStyles } from '../../../components/ui.js';
import { AreaStep } from './AreaStep.js';
import {
  checkStep,
  emptyForm,
  firstStepOf,
  formFromClaim,
  STEPS,
  toBody,
  type ClaimForm,
  type StepName,
} from './claimForm.js';
import { CommentsStep } from './CommentsStep.js';
import { ContactsStep } from './ContactsStep.js';
import { DetailsStep } from './DetailsStep.js';
import { LocationStep } from './LocationStep.js';
import { PoeStep } from './PoeStep.js';
import { ProductsStep } from './ProductsStep.js';
import { useWizardStyles } from './styles.js';
import type { FieldGroup, StepProps } from './types.js';

const STEP_VIEWS: Record<StepName, ComponentType<StepProps>> = {
  location: LocationStep,
  area: AreaStep,
  details: DetailsStep,
  products: ProductsStep,
  contacts: ContactsStep,
  poe: PoeStep,
  comments: CommentsStep,
};

/** The step whose Continue creates (or saves) the draft. */
const SAVE_STEP: StepName = 'contacts';
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

const indexOf = (step: StepName) => STEPS.indexOf(step);
const stepAt = (i: number): StepName => STEPS[Math.max(0, Math.min(i, STEPS.length - 1))] ?? 'location';

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
  const [step, setStep] = useState<StepName>('location');
  const [errors, setErrors] = useState<Record<string, string>>({});
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
  // R-EDIT-1/2, as the server says for this caller (abilities.editableFields); a new claim: all.
  const editable = claim?.abilities.editableFields;
  const locked = (group: FieldGroup) => !!editable && !GROUP_FIELDS[group].every((f) => editable.includes(f));
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
      const fe = e.fieldErrors((f) => fieldText(f, t));
      setErrors(fe);
      setStep(firstStepOf(Object.keys(fe)));
    }
    setError(e);
  };

  /** Saves the claim: creates the draft the first time, then patches it. */
  const save = async (): Promise<Claim | null> => {
    setBusy(true);
    setError(null);
    try {
      const c = !claim
        ? await api.post<Claim>('/api/v1/claims', toBody(form, catalog))
        : await api.patch<Claim>(claimUrl(claim.id), toBody(form, catalog, editable), {
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
    if (step === 'poe' && docs.length === 0) e.documents = 'validation.poe';
    setErrors(e);
    if (Object.keys(e).length) {
      setError(null);
      return;
    }
    if (step === SAVE_STEP && !(await save())) return;
    setStep(stepAt(indexOf(step) + 1));
  };

  const finish = async () => {
    if (!claim) return;
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

  const last = step === STEPS[STEPS.length - 1];
  const current = indexOf(step);
  const finalLabel =
    !claim || claim.allowedActions.includes('submit') ? t('wizard.submit') : t('wizard.done');
  const View = STEP_VIEWS[step];

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
                aria-current={k === step ? 'step' : undefined}
                className={mergeClasses(w.step, i < current && w.stepDone, k === step && w.stepCurrent)}
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
            void (last ? finish() : next());
          }}
        >
          <h2 ref={headingRef} tabIndex={-1} data-testid="wizard-step" className={w.heading}>
            {t('wizard.stepOf', { n: current + 1, total: STEPS.length })}: {t(`wizard.step.${step}`)}
          </h2>
          <ProblemBar
            error={error}
            onReload={
              claim
                ? () => {
                    setError(null);
                    void api.get<Claim>(claimUrl(claim.id)).then(setClaim, setError);
                  }
                : undefined
            }
          />
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
          />
          <div className={w.actions}>
            {current > 0 ? (
              <Button type="button" onClick={() => setStep(stepAt(current - 1))} disabled={busy}>
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
                {step === SAVE_STEP ? (claim ? t('wizard.save') : t('wizard.create')) : t('wizard.continue')}
              </Button>
            )}
          </div>
        </form>
      </div>
    </div>
  );
}
