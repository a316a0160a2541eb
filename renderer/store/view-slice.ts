import type { StateCreator } from 'zustand';
import type { Locale } from '../../native-bridge/model/frame-types';
import type { AppStore } from './app-store';

export type Theme = 'dark' | 'light';
/** What the stage shows: chosen by the frame ('auto': the system map when observing or when the picture cannot hold it), or by the user. */
/** What the stage draws: 'auto' picks by the frame's size; 'chart' is the IPC race's chart, when it has numbers. */
export type StageView = 'auto' | 'picture' | 'map' | 'chart';

export interface StageBox {
  width: number;
  height: number;
}

export interface ViewPrefs {
  theme: Theme;
  locale: Locale;
  /** Large type for screen-recorded lectures. */
  lecture: boolean;
  /** Draw every descriptor, not only the lesson's objects. */
  showAll: boolean;
}

export interface ViewSlice extends ViewPrefs {
  /** A process ("process:<pid>") or an object id chosen for the details panel. */
  selection: string | null;
  stageView: StageView;
  setStageView(view: StageView): void;
  /** The stage's size on screen (CSS px), measured by use-stage-box.ts: whether the picture's text stays readable there (map-selectors.ts). null until measured. */
  stageBox: StageBox | null;
  setStageBox(box: StageBox | null): void;
  setTheme(theme: Theme): void;
  setLocale(locale: Locale): void;
  setLecture(lecture: boolean): void;
  setShowAll(showAll: boolean): void;
  select(selection: string | null): void;
}

const PREFS_KEY = 'ipcscope.view';
const LOCALES: Locale[] = ['en', 'zh-Hans', 'zh-Hant'];

export const viewDefaults: ViewPrefs = { theme: 'dark', locale: 'en', lecture: false, showAll: false };

/** Preferences survive a reload; anything unreadable falls back to the defaults. */
export function loadPrefs(): ViewPrefs {
  try {
    const raw = globalThis.localStorage?.getItem(PREFS_KEY);
    if (!raw) return { ...viewDefaults };
    const saved = JSON.parse(raw) as Partial<Record<keyof ViewPrefs, unknown>>;
    return {
      theme: saved.theme === 'light' ? 'light' : 'dark',
      locale: LOCALES.includes(saved.locale as Locale) ? (saved.locale as Locale) : viewDefaults.locale,
      lecture: saved.lecture === true,
      showAll: saved.showAll === true,
    };
  } catch {
    return { ...viewDefaults };
  }
}

function savePrefs(state: ViewPrefs): void {
  try {
    const { theme, locale, lecture, showAll } = state;
    globalThis.localStorage?.setItem(PREFS_KEY, JSON.stringify({ theme, locale, lecture, showAll }));
  } catch {
    /* private mode or no storage: preferences just do not persist */
  }
}

export const createViewSlice: StateCreator<AppStore, [], [], ViewSlice> = (set, get) => {
  const update = (patch: Partial<ViewPrefs>) => {
    set(patch);
    savePrefs(get());
  };
  return {
    ...loadPrefs(),
    selection: null,
    stageView: 'auto',
    setStageView: (stageView) => set({ stageView }),
    stageBox: null,
    // Whole pixels: a sub-pixel resize changes nothing the stage chooses.
    setStageBox: (box) => {
      const next = box ? { width: Math.round(box.width), height: Math.round(box.height) } : null;
      const now = get().stageBox;
      if (next?.width !== now?.width || next?.height !== now?.height) set({ stageBox: next });
    },
    setTheme: (theme) => update({ theme }),
    setLocale: (locale) => update({ locale }),
    setLecture: (lecture) => update({ lecture }),
    setShowAll: (showAll) => update({ showAll }),
    // A clicked process or object is explained in the side column's Details tab.
    select: (selection) => set(selection ? { selection, sideTab: 'details' } : { selection }),
  };
};
