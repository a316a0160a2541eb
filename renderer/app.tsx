/**
 * ipcscope's window. Test ids the end-to-end tests drive (see TEST-IDS.md):
 *   picture, picture-waiting                the SVG picture / placeholder before the first frame
 *   process-<pid>                           a process node (data-state, data-blocked)
 *   blocked-<pid>, wchan-<pid>              "blocked in read(fd 3) on pipe 4614", "wchan anon_pipe_read"
 *   last-call-<pid>                         the process's latest syscall ("read(3, 64) = 0  EOF")
 *   object-<objectId>                       an IPC object, e.g. object-pipe:4614
 *   fill-<objectId>, peek-<objectId>        "12 / 65536 bytes", "hello world\n"
 *   slot-<objectId>-<k>                     ring slot k (data-fill 0..1)
 *   edge-<pid>-<fd>                         an fd edge (data-access r|w|rw, data-object)
 *   flight-<seq>                            bytes in flight for syscall event <seq>
 *   btn-play, btn-pause, btn-step, btn-restart, speed, lesson-picker, rate
 *   language, theme, lecture, show-all, export-png, record-webm, connection-status (data-status)
 *   event-log (event-<seq>-<phase>), stdout-panel, step-list (step-<i>, data-status), details-panel
 *   lesson-banner                           lesson finished / lesson error / command error
 *   gone-<objectId>, picture-hidden         freed lesson objects; "+N not drawn"
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
    <div className={`app theme-${theme}${lecture ? ' lecture' : ''}`} data-testid="app">
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
