import { Select } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { changeLanguage, LANGUAGES, LANGUAGE_NAMES, matchLanguage, type Language } from '../i18n/index.js';

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  const lang = matchLanguage(i18n.language) ?? 'en';
  return (
    <Select
      aria-label={t('shell.language')}
      value={lang}
      onChange={(_, d) => void changeLanguage(d.value as Language)}
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
