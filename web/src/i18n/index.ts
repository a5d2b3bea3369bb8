// i18next with the five languages of the source pages. English is bundled (the fallback);
// the others load on demand so the first download stays small. Words follow docs/glossary.md.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json' with { type: 'json' };
import { now } from '../clock.js';

export const LANGUAGES = ['en', 'pt-BR', 'es-ES', 'zh-CN', 'zh-TW'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  'pt-BR': 'Português (Brasil)',
  'es-ES': 'Español (España)',
  'zh-CN': '中文(简体)',
  'zh-TW': '中文(繁體)',
};

type Resource = typeof en;
const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Resource }>> = {
  'pt-BR': () => import('./pt-BR.json', { with: { type: 'json' } }),
  'es-ES': () => import('./es-ES.json', { with: { type: 'json' } }),
  'zh-CN': () => import('./zh-CN.json', { with: { type: 'json' } }),
  'zh-TW': () => import('./zh-TW.json', { with: { type: 'json' } }),
};

const STORAGE_KEY = 'cpor.language';

/** Maps a BCP 47 tag from the browser (or a user's setting) to one of our five languages. */
export function matchLanguage(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const t = tag.toLowerCase();
  if (t === 'en' || t.startsWith('en-')) return 'en';
  if (t.startsWith('pt')) return 'pt-BR';
  if (t.startsWith('es')) return 'es-ES';
  if (t.startsWith('zh')) {
    if (/hant|-tw|-hk|-mo/.test(t)) return 'zh-TW';
    return 'zh-CN';
  }
  return null;
}

export function initialLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  const fromStore = matchLanguage(stored);
  if (fromStore) return fromStore;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const m = matchLanguage(tag);
    if (m) return m;
  }
  return 'en';
}

export async function changeLanguage(lang: Language, remember = true): Promise<void> {
  if (lang !== 'en' && !i18n.hasResourceBundle(lang, 'translation')) {
    const mod = await loaders[lang]();
    i18n.addResourceBundle(lang, 'translation', mod.default, true, true);
  }
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }
  document.documentElement.lang = lang;
  await i18n.changeLanguage(lang);
}

export async function initI18n(): Promise<void> {
  await i18n.use(initReactI18next).init({
    resources: { en: { translation: en } },
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const lang = initialLanguage();
  if (lang !== 'en') await changeLanguage(lang, false);
  else document.documentElement.lang = 'en';
}

export function currentLanguage(): Language {
  return matchLanguage(i18n.language) ?? 'en';
}

// Dates and numbers in the locale's own format (Intl), never hand-formatted.
export function formatDate(iso: string | null | undefined, withTime = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(currentLanguage(), {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(d);
}

export function formatDay(isoDay: string): string {
  // A calendar day (YYYY-MM-DD) is shown as that day, whatever the time zone.
  const d = new Date(`${isoDay}T12:00:00Z`);
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'full', timeZone: 'UTC' }).format(d);
}

export function formatRelative(iso: string | null | undefined, at = now()): string {
  if (!iso) return '';
  const diffMs = new Date(iso).getTime() - at;
  const rtf = new Intl.RelativeTimeFormat(currentLanguage(), { numeric: 'auto' });
  const abs = Math.abs(diffMs);
  const hour = 3_600_000;
  const day = 24 * hour;
  if (abs < day) return rtf.format(Math.round(diffMs / hour), 'hour');
  return rtf.format(Math.round(diffMs / day), 'day');
}

/**
 * A country's name in the reader's language from its ISO 3166-1 alpha-2 code, by the browser's
 * own Intl.DisplayNames (no hand-written list of names); the code itself when it knows none.
 */
export function countryName(code: string, language: string = currentLanguage()): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function formatNumber(n: number, opts?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(currentLanguage(), opts).format(n);
}

export function formatPercent(ratio: number): string {
  return formatNumber(ratio, { style: 'percent', maximumFractionDigits: 0 });
}

export function formatBytes(n: number): string {
  // "79 bytes", not "79 byte": the short form of the byte unit is not plural in English.
  if (n < 1024) return formatNumber(n, { style: 'unit', unit: 'byte', unitDisplay: 'long' });
  if (n < 1024 * 1024)
    return formatNumber(n / 1024, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 });
  return formatNumber(n / 1024 / 1024, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
}

export default i18n;
