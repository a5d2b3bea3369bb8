import { Field, Select } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { useSession } from './session.js';
import { changeLanguage, LANGUAGES, LANGUAGE_NAMES, matchLanguage, type Language } from '../i18n/index.js';

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  const { me, setMe } = useSession();
  const lang = matchLanguage(i18n.language) ?? 'en';
  const change = (l: Language) => {
    void changeLanguage(l);
    // Signed in: the choice is the user's language, also for the mails sent to them.
    if (me && me.language !== l)
      api
        .patch(`/api/v1/users/${encodeURIComponent(me.id)}`, { language: l })
        .then(() => setMe({ ...me, language: l }))
        .catch(() => undefined);
  };
  return (
    <Select
      aria-label={t('shell.language')}
      value={lang}
      onChange={(_, d) => change(d.value as Language)}
      size="small"
      data-testid="language-picker"
    >
      {LANGUAGES.map((l) => (
        <option key={l} value={l} lang={l}>
          {LANGUAGE_NAMES[l]}
        </option>
      ))}
    </Select>
  );
}

/** A language chosen for someone else (a user's, a customer contact's mails); empty: the default. */
export function LanguageField(props: {
  label: string;
  hint: string;
  /** What no choice means. */
  emptyLabel: string;
  value: string;
  onChange: (language: string) => void;
  error?: string;
  className?: string;
}) {
  return (
    <Field label={props.label} hint={props.hint} validationMessage={props.error} className={props.className}>
      <Select value={props.value} onChange={(_, d) => props.onChange(d.value)}>
        <option value="">{props.emptyLabel}</option>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </Select>
    </Field>
  );
}
