/**
 * The diagnoses' facts in English: the `evidence` sentences of the JSON
 * contract and of `ipcscope snapshot`'s DIAGNOSES section. The renderer words
 * the same facts in three languages (renderer/i18n/diagnose-strings.ts).
 */
import type { DiagnosisFact, NamedProcess, NeedsFact, SleepFact, WaitFact } from '../model/diagnosis-types';
import type { ProcessInfo } from '../model/snapshot-types';
import type { SnapshotIndex } from './wait-for';

/** The PID and command name of a process, null for one outside the snapshot. */
export function named(pid: number, index: SnapshotIndex): NamedProcess {
  return { pid, comm: index.processes.get(pid)?.comm ?? null };
}

/** Where a process sleeps (null when it is not asleep in a syscall). */
export function sleepOf(proc: ProcessInfo): SleepFact | null {
  const b = proc.blocked;
  return b ? { syscall: b.syscall, fd: b.fd, wchan: b.wchan, object: b.object } : null;
}

/** "pid 4242 (cat)", or "pid 4242" for a process outside the snapshot. */
export function namedText(p: NamedProcess): string {
  return p.comm === null ? `pid ${p.pid}` : `pid ${p.pid} (${p.comm})`;
}

/** Where a process is asleep, in the kernel's words: "asleep in read(5), wchan anon_pipe_read, on pipe:4614". */
export function sleepText(sleep: SleepFact | null, state: string | null): string {
  if (!sleep) return state === null ? 'outside the snapshot' : `not asleep in a syscall (state ${state})`;
  const on = sleep.object ? `, on ${sleep.object}` : '';
  return `asleep in ${sleep.syscall}(${sleep.fd ?? ''}), wchan ${sleep.wchan}${on}`;
}

/** "fd 4" or "no descriptor". */
export function fdText(fd: number | null): string {
  return fd === null ? 'no descriptor' : `fd ${fd}`;
}

/** What a process waits for: "is asleep in read(3) on pipe:4614 (empty)". */
export function waitText(w: WaitFact): string {
  const call = `${w.syscall}(${w.fd ?? ''})`;
  switch (w.reason) {
    case 'pipe-empty':
      return `is asleep in ${call} on ${w.object} (empty)`;
    case 'pipe-full':
      return `is asleep in ${call} on ${w.object} (full: ${w.queued ?? '?'} of ${w.capacity ?? '?'} bytes)`;
    case 'socket-empty':
      return `is asleep in ${call} on ${w.object} (nothing queued)`;
    case 'peer-full':
      return `is asleep in ${call} on ${w.object} (peer's queue full)`;
    case 'backlog-full':
      return `is asleep in ${call} connecting to ${w.object} (backlog full)`;
    case 'lock':
      return `is asleep in ${w.syscall}() waiting for a lock on ${w.path ?? w.object}`;
    case 'semaphore':
      return `is asleep in ${w.syscall}() on ${w.object}`;
  }
}

/** What would end a wait: "holds a write end". */
export function needsText(n: NeedsFact): string {
  switch (n.end) {
    case 'write-end':
      return 'holds a write end';
    case 'read-end':
      return 'holds a read end';
    case 'peer':
      return `holds the peer ${n.peer ?? '?'}`;
    case 'listener':
      return 'holds the listener';
    case 'lock':
      return 'holds the lock';
    case 'sempid':
      return 'was the last to change it (sempid)';
  }
}

const hex = (key: number): string => `0x${(key >>> 0).toString(16)}`;

/** One fact as one English sentence. */
export function factText(f: DiagnosisFact): string {
  switch (f.fact) {
    case 'ring-member': {
      const who = f.wakers.map((w) => `${namedText(w)}${w.fd === null ? '' : ` through fd ${w.fd}`}`).join(', ');
      return `${namedText(f.process)} ${waitText(f.wait)}; only ${who} ${needsText(f.needs)}, ${f.itself ? 'itself' : 'and is asleep too'}`;
    }
    case 'waits':
      return `${namedText(f.process)} ${waitText(f.wait)}`;
    case 'forgotten-write-end':
      return `the write end fd ${f.fd} is still open in ${namedText(f.process)}, which is itself asleep reading ${f.object}: close it so the reader sees EOF`;
    case 'write-end-not-shown':
      return `a write end of ${f.object} is open in a process this view does not show (poll on a read end: no POLLHUP): in another PID namespace, in a process whose descriptors cannot be read, or in flight in a Unix socket's queue; the reader gets data only if that holder writes, and EOF only once it closes the end`;
    case 'read-end-not-shown':
      return `a read end of ${f.object} is open in a process this view does not show (poll on a write end: no POLLERR): in another PID namespace, in a process whose descriptors cannot be read, or in flight in a Unix socket's queue; the writer gets room only if that holder reads, and EPIPE only once it closes the end`;
    case 'reader-elsewhere':
      return `${namedText(f.process)} ${needsText(f.needs)} (${fdText(f.fd)}) but is ${sleepText(f.sleep, f.state)}`;
    case 'backlog-over':
      return `${f.object}${f.name ? ` (${f.name})` : ''} has ${f.pending} connection(s) waiting for accept(), more than its backlog of ${f.backlog}`;
    case 'listener-holder':
      return `${namedText(f.process)} holds the listener and is ${sleepText(f.sleep, f.state)}`;
    case 'connecting':
      return `${namedText(f.process)} is ${sleepText(f.sleep, f.state)}`;
    case 'sysv-unused':
      if (f.sysv === 'shm') return `${f.object} (key ${hex(f.key)}, ${f.size ?? '?'} bytes) has no attacher (nattch 0)`;
      if (f.sysv === 'msg') return `${f.object} (key ${hex(f.key)}) holds ${f.messages ?? '?'} message(s), ${f.bytes ?? '?'} bytes, and nobody waits on it`;
      return `${f.object} (key ${hex(f.key)}, ${f.semaphores ?? '?'} semaphore(s)) has nobody waiting in semop`;
    case 'sysv-users-gone':
      if (f.sysv === 'shm') {
        const last = f.lastPid ? `, and so is pid ${f.lastPid}, the last to attach or detach` : '';
        return `its creator pid ${f.creator ?? '?'} is gone${last}: nothing removed it (IPC_RMID)`;
      }
      if (f.sysv === 'msg') return `its last sender pid ${f.lastSender || '-'} and last receiver pid ${f.lastReceiver || '-'} are gone: nothing removed it (IPC_RMID)`;
      return `the last processes to change it (sempid ${(f.sempids ?? []).join(', ')}) are gone: nothing removed it (IPC_RMID)`;
  }
}

/** The facts and their English sentences, as a Diagnosis carries them. */
export function withEvidence(facts: DiagnosisFact[]): { evidence: string[]; facts: DiagnosisFact[] } {
  return { evidence: facts.map(factText), facts };
}
