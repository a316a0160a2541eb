/**
 * ipcscope's window. The test ids end-to-end tests drive are listed in
 * TEST-IDS.md (one list, so it cannot drift from a copy here).
 */
import { useEffect, useRef } from 'react';
import type { ViewApi } from '../native-bridge/model/session-api';
import { ConnectionStatus } from './controls/connection-status';
import { SharedEngineBanner } from './controls/shared-engine-banner';
import { ExportButtons } from './controls/export-buttons';
import { HelpOverlay } from './controls/help-overlay';
import { LessonChooser } from './controls/lesson-chooser';
import { LessonPicker } from './controls/lesson-picker';
import { LessonTitle } from './controls/lesson-title';
import { PlaybackControls } from './controls/playback-controls';
import { useShortcuts } from './controls/use-shortcuts';
import { LanguageSwitch, RatePicker, ShowAllToggle, ThemeSwitch } from './controls/view-settings';
import { useT } from './i18n/use-t';
import { actionTitle, runAction } from './actions';
import { CodePane } from './panels/code-pane';
import { EventLog } from './panels/event-log';
import { StdoutPanel } from './panels/stdout-panel';
import { QuestionCard } from './panels/question-card';
import { SideTabs } from './panels/side-tabs';
import { FocusNotes } from './picture/focus-notes';
import { Picture } from './picture/picture';
import { RaceChart, selectRaceShown } from './race/race-chart';
import { StageSwitch } from './map/stage-switch';
import { selectShowsMap } from './map/map-selectors';
import { SystemMap } from './map/map-view';
import { useStageBox } from './map/use-stage-box';
import { useAppStore } from './store/app-store';
import { ObserveSide } from './observe/observe-side';
import { ProcessPicker } from './observe/process-picker';
import { ObserveButtons, ScopeBar } from './observe/scope-bar';
import { useObserveShortcut } from './observe/use-observe-shortcut';
import { selectAsleepAtEnd, selectReplayedFrom, selectReplayedTo } from './store/lesson-selectors';
import { selectChooserOpen } from './store/panel-slice';
import {
  selectCommandError,
  selectLecture,
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
  const replayedFrom = useAppStore(selectReplayedFrom);
  const replayedTo = useAppStore(selectReplayedTo);
  const replayed =
    replayedFrom === null || replayedTo === null
      ? null
      : replayedTo < replayedFrom
        ? t('replayedStart')
        : replayedTo === replayedFrom
          ? t('replayedOne', { from: replayedFrom })
          : t('replayed', { from: replayedFrom, to: replayedTo });
  const asleep = useAppStore(selectAsleepAtEnd);
  const text = lessonError
    ? t('lessonError', { text: lessonError })
    : commandError
      ? t('commandFailed', { text: commandError })
      : finished
        ? t('lessonFinished')
        : asleep > 0
          ? t('lessonAsleep', { count: asleep })
          : null;
  return (
    <>
      {text && (
        <div className={`banner ${lessonError || commandError ? 'banner-error' : finished ? 'banner-done' : 'banner-info'}`} data-testid="lesson-banner" role="status">
          {text}
        </div>
      )}
      {replayed && (
        <div className="banner banner-info" data-testid="replayed-banner" role="status">
          {replayed}
        </div>
      )}
    </>
  );
}

function LessonShowAll() {
  const hasLesson = useAppStore((s) => s.frame?.lesson != null);
  return hasLesson ? <ShowAllToggle /> : null;
}

/** The picture, or the lesson chooser: the first screen when no lesson runs and nothing is observed, an overlay when asked for. */
function Stage() {
  const hasLesson = useAppStore((s) => s.frame?.lesson != null);
  const chooserOpen = useAppStore(selectChooserOpen);
  const connected = useAppStore((s) => s.status === 'open');
  // an observation (ipcscope web --pid/--all, the observe command) is drawn like a lesson's processes
  const observing = useAppStore((s) => s.frame?.observing != null);
  const showsMap = useAppStore(selectShowsMap);
  const raceShown = useAppStore(selectRaceShown);
  if (!hasLesson && !observing && connected) return <LessonChooser welcome />;
  // the race's chart, once it has numbers, in the place of the picture or the map (both draw the processes while they race)
  if (raceShown) {
    return (
      <>
        <RaceChart />
        {chooserOpen && <LessonChooser welcome={false} />}
      </>
    );
  }
  if (showsMap) {
    return (
      <>
        <SystemMap />
        {chooserOpen && <LessonChooser welcome={false} />}
      </>
    );
  }
  return (
    <>
      <Picture />
      {chooserOpen && <LessonChooser welcome={false} />}
    </>
  );
}

function HeaderButtons() {
  const t = useT();
  const chooserOpen = useAppStore(selectChooserOpen);
  const setChooserOpen = useAppStore((s) => s.setChooserOpen);
  return (
    <>
      <button type="button" className="control small" data-testid="btn-lessons" aria-pressed={chooserOpen} onClick={(e) => {
          e.currentTarget.blur();
          setChooserOpen(!chooserOpen);
        }}>
        {t('chooseLesson')}…
      </button>
    </>
  );
}

function HelpButton() {
  const t = useT();
  const title = actionTitle('help', t);
  return (
    <button type="button" className="control small" data-testid="btn-help" title={title} aria-label={title} onClick={(e) => {
        e.currentTarget.blur();
        void runAction('help');
      }}>
      ?
    </button>
  );
}

export function App({ api }: { api?: ViewApi | null }) {
  const t = useT();
  const theme = useAppStore(selectTheme);
  const lecture = useAppStore(selectLecture);
  const locale = useAppStore(selectLocale);
  const connect = useAppStore((s) => s.connect);
  const hasLesson = useAppStore((s) => s.frame?.lesson != null);
  const observing = useAppStore((s) => s.frame?.observing != null);
  // The map's inspector (Details) sits in the side column: keep it while the map shows.
  const showsMap = useAppStore(selectShowsMap);
  // The stage's size decides whether an observation's picture stays readable (map-selectors.ts).
  const stageRef = useRef<HTMLDivElement | null>(null);
  useStageBox(stageRef);
  useShortcuts();
  useObserveShortcut();

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
          <span className="brand-name">{t('appTitle')}</span>
        </div>
        <div className="header-lesson">
          <LessonPicker />
          <HeaderButtons />
          <StageSwitch />
          <ObserveButtons />
        </div>
        <PlaybackControls />
        <div className="header-settings">
          <RatePicker />
          <LanguageSwitch />
          <ThemeSwitch />
          <ExportButtons />
          <HelpButton />
          <ConnectionStatus />
        </div>
      </header>
      <LessonBanner />
      <SharedEngineBanner />
      <ScopeBar />
      <main className={`app-main${hasLesson ? '' : observing ? ' observing' : showsMap ? '' : ' no-lesson'}`}>
        <section className="stage">
          <div className="stage-top">
            <LessonTitle />
            <LessonShowAll />
          </div>
          <div className="picture-frame" ref={stageRef}>
            <Stage />
          </div>
          <FocusNotes />
        </section>
        <aside className="side">
          {observing && !hasLesson ? (
            <ObserveSide />
          ) : (
            <>
              <QuestionCard />
              <CodePane />
              <SideTabs />
            </>
          )}
        </aside>
        <section className="bottom">
          <EventLog />
          <StdoutPanel />
        </section>
      </main>
      <HelpOverlay />
      <ProcessPicker />
    </div>
  );
}
