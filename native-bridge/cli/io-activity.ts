/**
 * Traffic between two samples, from the kernel's cumulative /proc/PID/io
 * counters: a write read within microseconds never shows as queued bytes,
 * but it moves the writer's wchar/syscw and the reader's rchar/syscr. The
 * counters are per process (every descriptor, files and terminals too): a
 * count is tied to an object only when the process held one descriptor that
 * could have carried it, the same one at both samples. send/recv on a
 * socket bypass these counters (see ProcessIo): such traffic shows nowhere.
 */
import type { FdEntry, ProcessInfo } from '../model/snapshot-types';
import { isIpcFd } from './describe';
import { escapeText } from './safe-text';
import type { Change } from './snapshot-diff';

type Direction = 'r' | 'w';

const WORDS: Record<Direction, { done: string; through: string; only: string }> = {
  w: { done: 'written', through: 'from', only: 'its only writable descriptor' },
  r: { done: 'read', through: 'to', only: 'its only readable descriptor' },
};

/** The one descriptor able to move data in `direction`, when there is exactly one. */
function onlyDescriptor(process: ProcessInfo, direction: Direction): FdEntry | null {
  let found: FdEntry | null = null;
  for (const fd of process.fds) {
    if (fd.access !== 'rw' && fd.access !== direction) continue;
    if (found) return null;
    found = fd;
  }
  return found;
}

/** That descriptor when it is an IPC object's and was the only one at both samples. */
function attributedDescriptor(before: ProcessInfo, after: ProcessInfo, direction: Direction): FdEntry | null {
  const now = onlyDescriptor(after, direction);
  const was = onlyDescriptor(before, direction);
  if (!now || !was || now.fd !== was.fd || now.object !== was.object || !isIpcFd(now)) return null;
  return now;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export interface IoOptions {
  /**
   * Whether descriptor tables are complete: a whole-machine scan keeps only
   * IPC descriptors, so "the only one" cannot be told there.
   */
  attribute: boolean;
}

/** One change per direction that moved: tied to an object when it can be, else for the process. */
export function ioChanges(time: number, before: ProcessInfo, after: ProcessInfo, options: IoOptions, changes: Change[]): void {
  if (!before.io || !after.io) return;
  const who = `pid ${after.pid} (${escapeText(after.comm)})`;
  for (const direction of ['w', 'r'] as const) {
    const bytes = direction === 'w' ? after.io.wchar - before.io.wchar : after.io.rchar - before.io.rchar;
    const calls = direction === 'w' ? after.io.syscw - before.io.syscw : after.io.syscr - before.io.syscr;
    /* a smaller count is another process that got the same pid: no traffic to report */
    if (calls <= 0 || bytes < 0) continue;
    const words = WORDS[direction];
    const fd = options.attribute ? attributedDescriptor(before, after, direction) : null;
    if (fd && bytes > 0) {
      changes.push({
        time,
        kind: 'object.carried',
        pid: after.pid,
        fd: fd.fd,
        object: fd.object,
        access: direction,
        bytes,
        calls,
        text: `${escapeText(fd.object)} carried ${plural(bytes, 'byte')} ${words.through} ${who} fd ${fd.fd} in ${plural(calls, 'call')} (${words.only})`,
      });
      continue;
    }
    changes.push({
      time,
      kind: direction === 'w' ? 'process.wrote' : 'process.read',
      pid: after.pid,
      bytes,
      calls,
      text: `${who} +${plural(bytes, 'byte')} ${words.done} in ${plural(calls, 'call')} (whole process, /proc/${after.pid}/io)`,
    });
  }
}
