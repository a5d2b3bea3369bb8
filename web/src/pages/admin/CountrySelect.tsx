// A partner location's country (issue 13 point 10): the ISO 3166-1 alpha-2 codes the server
// accepts (its OpenAPI enum, api-schema.ts), each named in the reader's language by the
// browser's Intl.DisplayNames, sorted in that language's order.
import { useMemo } from 'react';
import { Select } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { countryValues } from '../../api-schema.js';
import { countryName, currentLanguage } from '../../i18n/index.js';

export function CountrySelect(props: {
  value: string;
  onChange: (code: string) => void;
  id?: string;
  disabled?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage();
  const options = useMemo(() => {
    const collator = new Intl.Collator(language);
    return countryValues
      .map((code) => ({ code, name: countryName(code, language) }))
      .sort((a, b) => collator.compare(a.name, b.name));
    // i18n.language: the names follow a change of language.
  }, [language, i18n.language]);
  return (
    <Select
      id={props.id}
      value={props.value}
      disabled={props.disabled}
      onChange={(_, d) => props.onChange(d.value)}
      data-testid="country-select"
    >
      <option value="">{t('admin.organizations.noCountry')}</option>
      {options.map((o) => (
        <option key={o.code} value={o.code}>
          {o.name}
        </option>
      ))}
    </Select>
  );
}
