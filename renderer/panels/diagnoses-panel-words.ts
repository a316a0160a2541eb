/**
 * A diagnosis's facts (model/diagnosis-types.ts) in the learner's language:
 * the engine sends data, these put it in words with diagnose-strings.ts.
 */
import type { DiagnosisFact, DiagnosisKind, NamedProcess, NeedsFact, PendingDiagnosis, SleepFact, WaitFact } from '../../native-bridge/model/diagnosis-types';
import { objectLabel } from '../format/kernel-words';
import type { StringKey, Translate } from '../i18n/strings';

export const DIAGNOSIS_TITLE: Record<DiagnosisKind, StringKey> = {
  deadlock: 'diagDeadlock',
  'never-eof': 'diagNeverEof',
  'blocked-writer': 'diagBlockedWriter',
  'orphaned-sysv': 'diagOrphanedSysv',
  'backlog-full': 'diagBacklogFull',
  'hidden-writer': 'diagHiddenWriter',
  'hidden-reader': 'diagHiddenReader',
};

export const DIAGNOSIS_WHY: Record<DiagnosisKind, StringKey> = {
  deadlock: 'diagDeadlockWhy',
  'never-eof': 'diagNeverEofWhy',
  'blocked-writer': 'diagBlockedWriterWhy',
  'orphaned-sysv': 'diagOrphanedSysvWhy',
  'backlog-full': 'diagBacklogFullWhy',
  'hidden-writer': 'diagHiddenWriterWhy',
  'hidden-reader': 'diagHiddenReaderWhy',
};

/** The short label drawn beside a diagnosis in the picture. */
export const DIAGNOSIS_MARK: Record<DiagnosisKind, StringKey> = {
  deadlock: 'markDeadlock',
  'never-eof': 'markNeverEof',
  'blocked-writer': 'markBlockedWriter',
  'orphaned-sysv': 'markOrphanedSysv',
  'backlog-full': 'markBacklogFull',
  'hidden-writer': 'markHiddenWriter',
  'hidden-reader': 'markHiddenReader',
};

/** A candidate still being confirmed: what is watched, and for how long it has held of how long it must. */
const DIAGNOSIS_PENDING: Record<DiagnosisKind, StringKey> = {
  deadlock: 'pendingDeadlock',
  'never-eof': 'pendingNeverEof',
  'blocked-writer': 'pendingBlockedWriter',
  'orphaned-sysv': 'pendingOrphanedSysv',
  'backlog-full': 'pendingBacklogFull',
  'hidden-writer': 'pendingHiddenWriter',
  'hidden-reader': 'pendingHiddenReader',
};

/** "Checking: 2 processes asleep on each other (pipe 1 · pipe 2) for 1.2 s of 3.0 s." */
export function pendingWords(p: PendingDiagnosis, t: Translate): string {
  const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(1);
  // a ring of one (a writer on a pipe only it reads, flock() on its own lock) waits on nobody "else": its own sentence
  const key = p.kind === 'deadlock' && p.processes.length === 1 ? 'pendingDeadlockSelf' : DIAGNOSIS_PENDING[p.kind];
  return t(key, { count: p.processes.length, objects: p.objects.map(objectLabel).join(' · '), held: seconds(p.heldMs), need: seconds(p.confirmMs) });
}

function processWords(p: NamedProcess, t: Translate): string {
  return p.comm === null ? t('diagProcessBare', { pid: p.pid }) : t('diagProcess', { pid: p.pid, comm: p.comm });
}

const call = (syscall: string, fd: number | null): string => `${syscall}(${fd ?? ''})`;

function waitWords(w: WaitFact, t: Translate): string {
  const values = { call: call(w.syscall, w.fd), object: objectLabel(w.object), syscall: w.syscall };
  switch (w.reason) {
    case 'pipe-empty':
      return t('waitPipeEmpty', values);
    case 'pipe-full':
      return t('waitPipeFull', { ...values, queued: w.queued ?? '?', capacity: w.capacity ?? '?' });
    case 'socket-empty':
      return t('waitSocketEmpty', values);
    case 'peer-full':
      return t('waitPeerFull', values);
    case 'backlog-full':
      return t('waitBacklogFull', values);
    case 'lock':
      return t('waitLock', { ...values, path: w.path ?? objectLabel(w.object) });
    case 'semaphore':
      return t('waitSemaphore', values);
  }
}

function needsWords(n: NeedsFact, t: Translate): string {
  switch (n.end) {
    case 'write-end':
      return t('needsWriteEnd');
    case 'read-end':
      return t('needsReadEnd');
    case 'peer':
      return t('needsPeer', { peer: objectLabel(n.peer ?? '?') });
    case 'listener':
      return t('needsListener');
    case 'lock':
      return t('needsLock');
    case 'sempid':
      return t('needsSempid');
  }
}

function sleepWords(sleep: SleepFact | null, state: string | null, t: Translate): string {
  if (!sleep) return state === null ? t('sleepOutside') : t('sleepNone', { state });
  const values = { call: call(sleep.syscall, sleep.fd), wchan: sleep.wchan };
  return sleep.object ? t('sleepOn', { ...values, object: objectLabel(sleep.object) }) : t('sleepIn', values);
}

const hex = (key: number): string => `0x${(key >>> 0).toString(16)}`;

/** One fact as one sentence in the chosen language. */
export function factWords(f: DiagnosisFact, t: Translate): string {
  switch (f.fact) {
    case 'ring-member': {
      const values = { process: processWords(f.process, t), wait: waitWords(f.wait, t), needs: needsWords(f.needs, t) };
      if (f.itself) return t('factRingSelf', values);
      const wakers = f.wakers.map((w) => (w.fd === null ? processWords(w, t) : t('diagWaker', { process: processWords(w, t), fd: w.fd }))).join(', ');
      return t('factRingMember', { ...values, wakers });
    }
    case 'waits':
      return t('factWaits', { process: processWords(f.process, t), wait: waitWords(f.wait, t) });
    case 'forgotten-write-end':
      return t('factForgotten', { fd: f.fd, process: processWords(f.process, t), object: objectLabel(f.object) });
    case 'write-end-not-shown':
      return t('factWriteEndNotShown', { object: objectLabel(f.object) });
    case 'read-end-not-shown':
      return t('factReadEndNotShown', { object: objectLabel(f.object) });
    case 'reader-elsewhere':
      return t('factReaderElsewhere', { process: processWords(f.process, t), needs: needsWords(f.needs, t), fd: f.fd ?? '-', sleep: sleepWords(f.sleep, f.state, t) });
    case 'backlog-over':
      return t('factBacklogOver', { object: objectLabel(f.object), name: f.name ? ` (${f.name})` : '', pending: f.pending, backlog: f.backlog });
    case 'listener-holder':
      return t('factListenerHolder', { process: processWords(f.process, t), sleep: sleepWords(f.sleep, f.state, t) });
    case 'connecting':
      return t('factConnecting', { process: processWords(f.process, t), sleep: sleepWords(f.sleep, f.state, t) });
    case 'sysv-unused': {
      const values = { object: objectLabel(f.object), key: hex(f.key) };
      if (f.sysv === 'shm') return t('factShmUnused', { ...values, size: f.size ?? '?' });
      if (f.sysv === 'msg') return t('factMsgUnused', { ...values, messages: f.messages ?? '?', bytes: f.bytes ?? '?' });
      return t('factSemUnused', { ...values, semaphores: f.semaphores ?? '?' });
    }
    case 'sysv-users-gone':
      if (f.sysv === 'shm') {
        return f.lastPid ? t('factShmGoneLast', { creator: f.creator ?? '?', last: f.lastPid }) : t('factShmGone', { creator: f.creator ?? '?' });
      }
      if (f.sysv === 'msg') return t('factMsgGone', { sender: f.lastSender || '-', receiver: f.lastReceiver || '-' });
      return t('factSemGone', { pids: (f.sempids ?? []).join(', ') });
  }
}
