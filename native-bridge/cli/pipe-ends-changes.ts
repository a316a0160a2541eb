/**
 * Changes of a pipe's or FIFO's ends that no listed holder shows
 * (PipeObject.hiddenWriters / hiddenReaders), worded as the kernel acts on
 * them: read() returns 0 (EOF) only once no write end is open anywhere
 * (pipe_read: `if (!pipe->writers)`), write() fails with EPIPE and raises
 * SIGPIPE once no read end is (pipe_write: `if (!pipe->readers)`). The
 * probe learns both from poll() on a borrowed end: POLLHUP on a read end,
 * POLLERR on a write end.
 */
import type { PipeObject } from '../model/snapshot-types';
import { escapeText } from './safe-text';

export type EndKind = 'writers' | 'readers';

export const HIDDEN_FIELD = { writers: 'hiddenWriters', readers: 'hiddenReaders' } as const;

/** Whether an end of `kind` is open where no listed holder shows it; undefined when holders of that kind are listed (the kernel's answer then says nothing of the others). */
export function hiddenEnd(pipe: PipeObject, kind: EndKind): boolean | null | undefined {
  return pipe[HIDDEN_FIELD[kind]];
}

/** What the listed count falling to 0 means, after "pipe:N writers 1 -> 0". */
export function listedZeroNote(kind: EndKind, hidden: boolean | null | undefined, queued: number | null): string {
  if (hidden === undefined) return '';
  if (kind === 'writers') {
    if (hidden === true) return ' (a write end is still open in a process this view does not show: no EOF yet)';
    if (hidden === false) return ` (no write end is open anywhere: read() returns 0, EOF, ${drained(queued)})`;
    return ' (whether a write end is open elsewhere is not known)';
  }
  if (hidden === true) return ' (a read end is still open in a process this view does not show: write() does not fail yet)';
  if (hidden === false) return ' (no read end is open anywhere: write() fails with EPIPE and raises SIGPIPE)';
  return ' (whether a read end is open elsewhere is not known)';
}

function drained(queued: number | null): string {
  if (queued === 0) return 'now';
  return queued === null ? 'once the queued bytes are read' : `once the ${queued} queued bytes are read`;
}

/** The line for hiddenWriters / hiddenReaders moving while no holder of that kind is listed. */
export function hiddenEndText(pipe: PipeObject, kind: EndKind, from: boolean | null, to: boolean | null): string {
  const id = escapeText(pipe.id);
  const end = kind === 'writers' ? 'write end' : 'read end';
  const how = kind === 'writers' ? 'poll on a read end' : 'poll on a write end';
  const signal = kind === 'writers' ? 'POLLHUP' : 'POLLERR';
  if (to === null) return `${id}: whether a ${end} is open in a process this view does not show is no longer known (no end could be polled)`;
  if (to) {
    const effect = kind === 'writers' ? 'read() sleeps again on an empty pipe instead of returning EOF' : 'write() no longer fails with EPIPE';
    return `${id}: a ${end} is open in a process this view does not show (${how}: no ${signal}): ${effect}`;
  }
  const last = from === true ? `the last ${end} open in a process this view does not show closed` : `no ${end} is open anywhere`;
  const effect = kind === 'writers' ? `a reader now sees EOF: read() returns 0 ${drained(pipe.queued)}` : 'a writer now gets EPIPE and SIGPIPE';
  return `${id}: ${last} (${how}: ${signal}): ${effect}`;
}
