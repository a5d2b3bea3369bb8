// Step "contacts": the customer's contact (and the language of its consent mail), the
// technical contact for Dynamics 365 (R-FIELD-2) and the partner's contact.
import type { ReactNode } from 'react';
import { Field, Input, Subtitle2, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { useStyles } from '../../../components/ui.js';
import { LanguageField } from '../../../components/LanguagePicker.js';
import { needsTechnicalContact } from './claimForm.js';
import { useWizardStyles } from './styles.js';
import type { StepProps } from './types.js';

const CONTACT_FIELDS = ['name', 'title', 'email'] as const;

function ContactFields({
  which,
  title,
  hint,
  form,
  update,
  err,
  children,
}: Pick<StepProps, 'form' | 'update' | 'err'> & {
  which: 'customerContact' | 'technicalContact';
  title: string;
  hint?: string;
  children?: ReactNode;
}) {
  const s = useStyles();
  const w = useWizardStyles();
  const { t } = useTranslation();
  return (
    <fieldset className={`${s.col} ${w.bare}`}>
      <legend>
        <Subtitle2 as="h3">{title}</Subtitle2>
      </legend>
      {hint ? <Text className={s.muted}>{hint}</Text> : null}
      <div className={s.row}>
        {CONTACT_FIELDS.map((k) => (
          <Field
            key={k}
            label={t(`contact.${k}`)}
            required
            validationMessage={err(`${which}.${k}`)}
            className={s.field}
          >
            <Input
              type={k === 'email' ? 'email' : 'text'}
              value={form[which][k]}
              onChange={(_, d) => update((f) => void (f[which][k] = d.value))}
            />
          </Field>
        ))}
        {children}
      </div>
    </fieldset>
  );
}

export function ContactsStep({ form, catalog, update, err }: StepProps) {
  const s = useStyles();
  const w = useWizardStyles();
  const { t } = useTranslation();
  return (
    <>
      <ContactFields
        which="customerContact"
        title={t('contact.customer')}
        form={form}
        update={update}
        err={err}
      >
        {/* The consent mail reaches the customer in this language (R-CONS-2). */}
        <LanguageField
          label={t('wizard.contactLanguage')}
          hint={t('wizard.contactLanguageHint')}
          emptyLabel={t('wizard.contactLanguageDefault')}
          value={form.customerContact.language}
          onChange={(l) => update((f) => void (f.customerContact.language = l))}
          error={err('customerContact.language')}
          className={s.field}
        />
      </ContactFields>
      {needsTechnicalContact(form, catalog) ? (
        <ContactFields
          which="technicalContact"
          title={t('contact.technical')}
          hint={t('wizard.technicalWhy')}
          form={form}
          update={update}
          err={err}
        />
      ) : null}
      <fieldset className={`${s.col} ${w.bare}`}>
        <legend>
          <Subtitle2 as="h3">{t('contact.partner')}</Subtitle2>
        </legend>
        <div className={s.row}>
          {(['name', 'email'] as const).map((k) => (
            <Field
              key={k}
              label={t(`contact.${k}`)}
              required
              validationMessage={err(`partnerContact.${k}`)}
              className={s.field}
            >
              <Input
                type={k === 'email' ? 'email' : 'text'}
                value={form.partnerContact[k]}
                onChange={(_, d) => update((f) => void (f.partnerContact[k] = d.value))}
              />
            </Field>
          ))}
        </div>
      </fieldset>
    </>
  );
}
