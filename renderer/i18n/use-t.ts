import { useMemo } from 'react';
import { useAppStore } from '../store/app-store';
import { selectLocale, translatorFor } from '../store/selectors';
import type { Translate } from './strings';

/** The translate function for the language chosen in the header. */
export function useT(): Translate {
  const locale = useAppStore(selectLocale);
  return useMemo(() => translatorFor(locale), [locale]);
}
