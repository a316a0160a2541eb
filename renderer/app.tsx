/**
 * ipcscope's window. The test ids end-to-end tests drive are listed in
 * TEST-IDS.md (one list, so it cannot drift from a copy here).
 */
import { useEffect } from 'react';
import type { ViewApi } from '../native-bridge/model/session-api';
import { ConnectionStatus } from './controls/connection-status';
import { ExportButtons } from './controls/export-buttons';
import { LessonPicker } from './controls/lesson-picker';
import { PlaybackControls } from './controls/playback-controls';
import { useShortcuts } from './controls/use-shortcuts';
import { LanguageSwitch, RatePicker, ShowAllToggle, ThemeSwitch } from './controls/view-settings';
import { useT } from './i18n/use-t';
import { DetailsPanel } from './panels/details-panel';
import { EventLog } from './panels/event-log';
import { StdoutPanel } from './panels/stdout-panel';
import { StepList } from './panels/step-list';
import { Picture } from './picture/picture';
import { useAppStore } from './store/app-store';
import {
  selectCommandError,
  selectLecture,
  selectLesson,
  selectLessonError,
  selectLessonFinished,
  selectLocale,
  selectTheme,
} from './store/selectors';

function LessonBanner() {
  const t = useT();
  const lessonError = useAppStore(selectLessonError);
  const commandError = useAppStore(selectCommandError);
  const finished = useAppStore(selectLessonFinished);
  const text = lessonError
    ? t('lessonError', { text: lessonError })
    : commandError
      ? t('commandFailed', { text: commandError })
      : finished
        ? t('lessonFinished')
        : null;
  if (!text) return null;
  return (
    <div className={`banner ${lessonError || commandError ? 'banner-error' : 'banner-done'}`} data-testid="lesson-banner" role="status">
      {text}
    </div>
  );
}

function LessonTitle() {
  const lesson = useAppStore(selectLesson);
  const locale = useAppStore(selectLocale);
  if (!lesson) return null;
  return (
    <div className="lesson-title">
      <h1>{lesson.title[locale]}</h1>
      <p>{lesson.summary[locale]}</p>
    </div>
  );
}

export function App({ api }: { api?: ViewApi | null }) {
  const t = useT();
  const theme = useAppStore(selectTheme);
  const lecture = useAppStore(selectLecture);
  const locale = useAppStore(selectLocale);
  const connect = useAppStore((s) => s.connect);
  useShortcuts();

  useEffect(() => (api ? connect(api) : undefined), [api, connect]);
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = theme;
    root.dataset.lecture = String(lecture);
    root.lang = locale;
  }, [theme, lecture, locale]);

  return (
    <div className="app" data-testid="app">
      <header className="app-header">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◎
          </span>
          {t('appTitle')}
        </div>
        <LessonPicker />
        <PlaybackControls />
        <div className="header-settings">
          <RatePicker />
          <LanguageSwitch />
          <ThemeSwitch />
          <ExportButtons />
          <ConnectionStatus />
        </div>
      </header>
      <LessonBanner />
      <main className="app-main">
        <section className="stage">
          <div className="stage-top">
            <LessonTitle />
            <ShowAllToggle />
          </div>
          <div className="picture-frame">
            <Picture />
          </div>
        </section>
        <aside className="side">
          <StepList />
          <DetailsPanel />
        </aside>
        <section className="bottom">
          <EventLog />
          <StdoutPanel />
        </section>
      </main>
    </div>
  );
}
