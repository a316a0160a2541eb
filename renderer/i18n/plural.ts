import type { Locale } from '../../native-bridge/model/frame-types';

/**
 * Plural forms inside a UI string: `{calls:call|calls}` picks the word that
 * goes with the value `calls`, by the language's plural rules (English: one
 * for exactly "1", other for everything else, "1.0" and "0" included). The
 * forms are one|other; a language without plurals (Chinese) simply writes no
 * marker. A marker whose value is missing stays visible, like an unknown
 * `{placeholder}`.
 */
const MARKER = /\{(\w+):([^|{}]*)\|([^|{}]*)\}/g;

const rules = new Map<string, Intl.PluralRules>();

function pluralRules(locale: Locale, fractionDigits: number): Intl.PluralRules {
  const key = `${locale}/${fractionDigits}`;
  let found = rules.get(key);
  if (!found) {
    found = new Intl.PluralRules(locale, { minimumFractionDigits: fractionDigits });
    rules.set(key, found);
  }
  return found;
}

/** The plural category of a value as it is shown: "1" is one, "1.0", "1,000" and "?" are other in English. */
export function pluralCategory(locale: Locale, value: string | number): Intl.LDMLPluralRule {
  const text = String(value).replace(/,/g, '');
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) return 'other';
  const fractionDigits = /\.(\d+)$/.exec(text)?.[1]?.length ?? 0;
  return pluralRules(locale, fractionDigits).select(n);
}

/** Replaces every `{name:one|other}` marker of `text` with the form its value needs. */
export function fillPlurals(locale: Locale, text: string, values: Record<string, string | number>): string {
  return text.replace(MARKER, (whole, name: string, one: string, other: string) => {
    if (!(name in values)) return whole;
    return pluralCategory(locale, values[name]!) === 'one' ? one : other;
  });
}
