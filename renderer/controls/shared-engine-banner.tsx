/**
 * Browser mode: when more than one window is connected to the same engine,
 * they drive one lesson or observation. A quiet banner says how many share
 * it and which window this is, and what another window last did ("Window 2
 * started the lesson “Pipe”"), so a change nobody made here is explained.
 */
import type { LessonSummary, Locale } from '../../native-bridge/model/frame-types';
import type { Translate } from '../i18n/strings';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectLessons, selectLocale } from '../store/selectors';
import type { PeerAction } from '../transport/transport';

/** Another window's action in the learner's language. */
export function peerActionWords(client: number, action: PeerAction, t: Translate, lessons: readonly LessonSummary[], locale: Locale): string {
  const n = client;
  switch (action.command) {
    case 'lesson.start': {
      const lesson = lessons.find((l) => l.id === action.lesson);
      return t('peerStartedLesson', { n, lesson: lesson?.title[locale] ?? action.lesson ?? '?' });
    }
    case 'lesson.stop':
      return t('peerStoppedLesson', { n });
    case 'lesson.restart':
      return t('peerRestartedLesson', { n });
    case 'step':
      return t('peerStepped', { n });
    case 'step.back':
      return t('peerSteppedBack', { n, step: (action.step ?? 0) + 1 });
    case 'play':
      return t('peerPlayed', { n });
    case 'pause':
      return t('peerPaused', { n });
    case 'observe':
      if (action.all) return t('peerObservedAll', { n });
      return t(action.tree ? 'peerObservedTree' : 'peerObservedPids', { n, pids: (action.pids ?? []).join(', ') });
    case 'observe.stop':
      return t('peerStoppedObserving', { n });
    default:
      return t('peerChanged', { n, command: action.command });
  }
}

export function SharedEngineBanner() {
  const t = useT();
  const shared = useAppStore((s) => s.sharedEngine);
  const peer = useAppStore((s) => s.peerAction);
  const lessons = useAppStore(selectLessons);
  const locale = useAppStore(selectLocale);
  if (!shared || shared.count < 2) return null;
  return (
    <div className="banner banner-shared" data-testid="shared-engine-banner" data-count={shared.count} role="status">
      <span>{t('sharedEngine', { count: shared.count, you: shared.you })}</span>
      {peer && (
        <span className="peer-action" data-testid="peer-action" data-client={peer.client} key={peer.seq}>
          {peerActionWords(peer.client, peer.action, t, lessons, locale)}
        </span>
      )}
    </div>
  );
}
