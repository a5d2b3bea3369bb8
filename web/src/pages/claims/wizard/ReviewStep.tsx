// Step "review": the whole claim as it will be submitted, each part with a way back to its
// step, what is still missing, and an optional comment for the reviewer.
import type { ReactNode } from 'react';
import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Textarea,
  mergeClasses,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { formatBytes, LANGUAGE_NAMES, type Language } from '../../../i18n/index.js';
import { useStyles } from '../../../components/ui.js';
import { needsTechnicalContact, productOf, STEPS, type StepName } from './claimForm.js';
import { useWizardStyles } from './styles.js';
import type { StepProps } from './types.js';

function Part({
  step,
  goTo,
  rows,
  children,
}: {
  step: StepName;
  goTo: (s: StepName) => void;
  rows?: [string, ReactNode][];
  children?: ReactNode;
}) {
  const s = useStyles();
  const w = useWizardStyles();
  const { t } = useTranslation();
  const title = t(`wizard.step.${step}`);
  return (
    <section className={w.reviewPart} data-testid={`review-${step}`}>
      <div className={s.header}>
        <Subtitle2 as="h3" className={s.grow}>
          {title}
        </Subtitle2>
        <Button type="button" appearance="transparent" size="small" onClick={() => goTo(step)}>
          <span aria-hidden="true">{t('wizard.change')}</span>
          <span className={w.visuallyHidden}>{t('wizard.changeStep', { step: title })}</span>
        </Button>
      </div>
      {rows ? (
        <dl className={mergeClasses(s.dl, w.reviewDl)}>
          {rows.map(([k, v]) => (
            <div key={k} className={w.reviewRow}>
              <dt>{k}</dt>
              <dd>{v === '' || v === null || v === undefined ? '—' : v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {children}
    </section>
  );
}

export function ReviewStep({
  form,
  catalog,
  locations,
  docs,
  done,
  serverMissing,
  goTo,
  comment,
  setComment,
}: StepProps) {
  const s = useStyles();
  const { t } = useTranslation();
  const missing = STEPS.filter((k) => k !== 'review' && (!done.has(k) || serverMissing.includes(k)));
  const location = locations.find((l) => l.mpnId === form.mpnId);
  const contact = (c: { name: string; title?: string; email: string }) =>
    [c.name, c.title, c.email].filter(Boolean).join(' · ');
  const lang = form.customerContact.language as Language;
  return (
    <>
      {missing.length ? (
        <MessageBar intent="warning" layout="multiline" data-testid="review-missing">
          <MessageBarBody>
            <MessageBarTitle>{t('wizard.reviewMissing')}</MessageBarTitle>
            <ul className={s.col}>
              {missing.map((k) => (
                <li key={k}>
                  <Button type="button" appearance="transparent" size="small" onClick={() => goTo(k)}>
                    {t(`wizard.step.${k}`)}
                  </Button>
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      ) : (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>{t('wizard.reviewReady')}</MessageBarBody>
        </MessageBar>
      )}
      <Part
        step="location"
        goTo={goTo}
        rows={[
          [t('claim.mpnId'), location ? `${location.mpnId} · ${location.name}` : form.mpnId],
          [t('claim.domain'), form.domain],
          [t('claim.tenantId'), form.tenantId],
        ]}
      />
      <Part
        step="area"
        goTo={goTo}
        rows={[
          [t('claim.solutionArea'), form.solutionArea ? t(`solutionArea.${form.solutionArea}`) : ''],
          [t('claim.activity'), form.activity ? t(`activity.${form.activity}`) : ''],
        ]}
      />
      <Part
        step="details"
        goTo={goTo}
        rows={[
          [t('claim.name'), form.name],
          ...(form.activity === 'revenue_association'
            ? (['solutionSellerName', 'customerName', 'isvSolutionName'] as const).map(
                (k): [string, ReactNode] => [t(`claim.revenue.${k}`), form.revenue[k]],
              )
            : []),
        ]}
      />
      <Part step="products" goTo={goTo}>
        {form.products.length ? (
          <ul>
            {form.products.map((p) => (
              <li key={p.productId}>
                {productOf(catalog, p.productId)?.name ?? p.productId}
                {p.subscriptionId ? ` · ${t('claim.subscriptionId')} ${p.subscriptionId}` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p>—</p>
        )}
      </Part>
      <Part
        step="contacts"
        goTo={goTo}
        rows={[
          [t('contact.customer'), contact(form.customerContact)],
          ...(form.customerContact.language
            ? [[t('wizard.contactLanguage'), LANGUAGE_NAMES[lang] ?? lang] as [string, ReactNode]]
            : []),
          ...(needsTechnicalContact(form, catalog)
            ? [[t('contact.technical'), contact(form.technicalContact)] as [string, ReactNode]]
            : []),
          [t('contact.partner'), contact(form.partnerContact)],
        ]}
      />
      <Part step="poe" goTo={goTo}>
        {docs.length ? (
          <ul data-testid="review-documents">
            {docs.map((d) => (
              <li key={d.id}>
                {d.fileName} ({formatBytes(d.size)})
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('poe.none')}</p>
        )}
      </Part>
      <Field label={t('wizard.commentLabel')} hint={t('wizard.commentHint')}>
        <Textarea value={comment} onChange={(_, d) => setComment(d.value)} resize="vertical" rows={4} />
      </Field>
    </>
  );
}
