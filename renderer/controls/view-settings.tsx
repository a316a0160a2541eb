import { RATE_MAX_HZ, RATE_MIN_HZ } from '../../native-bridge/model/commands';
import type { Locale } from '../../native-bridge/model/frame-types';
import { LOCALES } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectLecture, selectLocale, selectRateHz, selectShowAll, selectTheme } from '../store/selectors';
import { withCurrent } from './with-current';

const RATES = [1, 2, 5, 10, 15, 30, 60].filter((hz) => hz >= RATE_MIN_HZ && hz <= RATE_MAX_HZ);

export function LanguageSwitch() {
  const t = useT();
  const locale = useAppStore(selectLocale);
  const setLocale = useAppStore((s) => s.setLocale);
  return (
    <label className="setting">
      <span className="sr-only">{t('language')}</span>
      <select data-testid="language" aria-label={t('language')} value={locale} onChange={(e) => {
          e.currentTarget.blur();
          setLocale(e.currentTarget.value as Locale);
        }}>
        {LOCALES.map((l) => (
          <option key={l.id} value={l.id} lang={l.id}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ThemeSwitch() {
  const t = useT();
  const theme = useAppStore(selectTheme);
  const lecture = useAppStore(selectLecture);
  const setTheme = useAppStore((s) => s.setTheme);
  const setLecture = useAppStore((s) => s.setLecture);
  const name = theme === 'dark' ? t('themeDark') : t('themeLight');
  return (
    <div className="setting theme-switch" role="group" aria-label={t('theme')}>
      {/* the theme's name gives way to its icon in a narrow header (styles.css: .control-label), and stays in the tooltip */}
      <button type="button" data-testid="theme" className="control small" title={`${t('theme')}: ${name}`} onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
        {theme === 'dark' ? '☾' : '☀'} <span className="control-label">{name}</span>
      </button>
      <button type="button" data-testid="lecture" className="control small" aria-pressed={lecture} title={t('lecture')} onClick={() => setLecture(!lecture)}>
        A<span className="big-a">A</span>
      </button>
    </div>
  );
}

export function ShowAllToggle() {
  const t = useT();
  const showAll = useAppStore(selectShowAll);
  const setShowAll = useAppStore((s) => s.setShowAll);
  return (
    <label className="setting toggle">
      <input type="checkbox" data-testid="show-all" checked={showAll} onChange={(e) => setShowAll(e.currentTarget.checked)} />
      <span>{t('showAll')}</span>
    </label>
  );
}

/** Sampling rate as the engine reports it in each frame; choosing one sends a "rate" command. */
export function RatePicker() {
  const t = useT();
  const rate = useAppStore(selectRateHz);
  const send = useAppStore((s) => s.send);
  const options = withCurrent(RATES, rate, (a, b) => a === b, (a, b) => a - b);
  return (
    <label className="setting" title={t('rate')}>
      <span className="sr-only">{t('rate')}</span>
      <select data-testid="rate" disabled={rate === null} value={rate ?? ''} onChange={(e) => {
          e.currentTarget.blur();
          void send({ type: 'rate', hz: Number(e.currentTarget.value) });
        }}>
        {rate === null && <option value="">—</option>}
        {options.map((hz) => (
          <option key={hz} value={hz}>
            {t('rateUnit', { hz })}
          </option>
        ))}
      </select>
    </label>
  );
}
