/**
 * Words for what a snapshot holds, shared by the table, Graphviz and watch
 * outputs: how a blocked process, a holder, peeked bytes and an object's key
 * numbers are written.
 */
import type { Blocked, FdEntry, FileLock, Holder, IpcObject } from '../model/snapshot-types';
import { escapeCode, escapeText } from './safe-text';

/** "read(fd 3) on pipe:4614 [anon_pipe_read]"; the object id escaped (a POSIX shm or queue name is anyone's choice). */
export function describeBlocked(blocked: Blocked): string {
  const call = blocked.op === 'other' ? escapeText(blocked.syscall) || `syscall ${blocked.syscallNr}` : blocked.op;
  const args = blocked.fd === null ? '' : `(fd ${blocked.fd})`;
  const on = blocked.object ? ` on ${escapeText(blocked.object)}` : '';
  const wchan = blocked.wchan ? ` [${escapeText(blocked.wchan)}]` : '';
  return `${call}${args}${on}${wchan}`;
}

/** "1234/3(r)" */
function describeHolder(holder: Holder): string {
  return `${holder.pid}/${holder.fd}(${holder.access})`;
}

/** At most `limit` holders, then "+N more" (--json has them all). */
export function describeHolders(holders: Holder[], limit = 6): string {
  if (holders.length === 0) return '-';
  const shown = holders.slice(0, limit).map(describeHolder).join(' ');
  return holders.length > limit ? `${shown} +${holders.length - limit} more` : shown;
}

/** A trailing run of zero bytes at least this long is counted, not spelled out (an shm segment's unused tail). */
const ZERO_RUN = 4;

/**
 * Bytes as C would write them in a string literal: printable ASCII kept, the
 * rest escaped (the same escapes as names, see safe-text.ts, plus the quote
 * and every byte from 0x7f up); a trailing run of zero bytes as its length.
 */
export function escapeBytes(bytes: Uint8Array, limit: number): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const zeros = bytes.length - end >= ZERO_RUN ? bytes.length - end : 0;
  const content = bytes.length - zeros;
  let text = '';
  const shown = Math.min(content, limit);
  for (let i = 0; i < shown; i++) {
    const byte = bytes[i]!;
    if (byte === 0x22) text += '\\"';
    else if (byte >= 0x7f) text += `\\x${byte.toString(16).padStart(2, '0')}`;
    else text += escapeCode(byte) ?? String.fromCharCode(byte);
  }
  if (content > shown) return `"${text}"...`;
  return zeros > 0 ? `"${text}" + ${zeros} zero bytes` : `"${text}"`;
}

/** Peeked bytes (base64 in the snapshot) as escaped text, or null when nothing was peeked. */
export function describePeek(peek: string | null | undefined, limit = 48): string | null {
  if (!peek) return null;
  return escapeBytes(Buffer.from(peek, 'base64'), limit);
}

function describeSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '?';
  return `${bytes}`;
}

function hexKey(key: number): string {
  /* keys are signed 32-bit in ipc_perm; print them as ipcs does */
  return `0x${(key >>> 0).toString(16).padStart(8, '0')}`;
}

function pidList(pids: number[]): string {
  return pids.length === 0 ? '-' : pids.join(',');
}

/**
 * Listed ends of a pipe, and what the kernel says of ends no listed holder
 * has (PipeObject.hiddenWriters): "0+" when one is open elsewhere, "0?" when
 * that is not known. Never a bare 0 while an end is open.
 */
function endCount(listed: number, hidden: boolean | null | undefined): string {
  if (hidden === true) return `${listed}+`;
  if (hidden === null) return `${listed}?`;
  return `${listed}`;
}

/**
 * The key numbers of an object, as label/value pairs in reading order:
 * capacity and queued for pipes, peer and pending for sockets, nattch for
 * shm, messages for queues, values and waiters for semaphores.
 */
export function keyNumbers(object: IpcObject): [string, string][] {
  switch (object.kind) {
    case 'pipe':
    case 'fifo': {
      const pairs: [string, string][] = [
        ['queued', `${describeSize(object.queued)}/${describeSize(object.capacity)}`],
        ['readers', endCount(object.readers, object.hiddenReaders)],
        ['writers', endCount(object.writers, object.hiddenWriters)],
      ];
      if (object.path) pairs.push(['path', escapeText(object.path)]);
      return pairs;
    }
    case 'unix': {
      const pairs: [string, string][] = [
        ['type', object.type],
        ['state', escapeText(object.state)],
        ['peer', object.peer === null ? '-' : escapeText(object.peer)],
        ['queued', describeSize(object.queued)],
      ];
      if (object.pending !== undefined || object.backlog !== undefined) {
        pairs.push(['pending', `${object.pending ?? '?'}/${object.backlog ?? '?'}`]);
      }
      if (object.path) pairs.push(['path', escapeText(object.path)]);
      return pairs;
    }
    case 'tcp':
    case 'udp': {
      const pairs: [string, string][] = [
        ['state', escapeText(object.state)],
        ['local', escapeText(object.local)],
        ['remote', escapeText(object.remote)],
        ['recv-q', describeSize(object.queued)],
        ['send-q', describeSize(object.sendQueue)],
      ];
      if (object.peer) pairs.push(['peer', escapeText(object.peer)]);
      if (object.pending !== undefined || object.backlog !== undefined) {
        pairs.push(['pending', `${object.pending ?? '?'}/${object.backlog ?? '?'}`]);
      }
      return pairs;
    }
    case 'shm':
      return [
        ['key', hexKey(object.key)],
        ['size', `${object.size}`],
        ['nattch', `${object.nattch}`],
        ['attached', pidList(object.attached)],
        ['cpid', `${object.cpid}`],
        ['lpid', `${object.lpid}`],
        ['mode', object.mode.toString(8)],
        ...(object.markedForDeletion ? ([['dest', 'yes']] as [string, string][]) : []),
      ];
    case 'msg':
      return [
        ['key', hexKey(object.key)],
        ['messages', `${object.messages}`],
        ['bytes', `${object.bytes}/${object.maxBytes}`],
        ['lspid', `${object.lastSender}`],
        ['lrpid', `${object.lastReceiver}`],
        ['waiting-send', pidList(object.waitingSenders)],
        ['waiting-recv', pidList(object.waitingReceivers)],
      ];
    case 'sem':
      return [
        ['key', hexKey(object.key)],
        ['values', `[${object.semaphores.map((s) => s.value).join(',')}]`],
        ['ncnt', `[${object.semaphores.map((s) => s.waitingForIncrease).join(',')}]`],
        ['zcnt', `[${object.semaphores.map((s) => s.waitingForZero).join(',')}]`],
        ['waiting', pidList(object.waiting)],
      ];
    case 'posix_shm':
      return [
        ['name', escapeText(object.name)],
        ['size', describeSize(object.size)],
        ['attached', pidList(object.attached)],
      ];
    case 'mqueue':
      return [
        ['name', escapeText(object.name)],
        ['messages', `${object.messages ?? '?'}/${object.maxMessages ?? '?'}`],
        ['queued', describeSize(object.queued)],
        ['msgsize', describeSize(object.messageSize)],
      ];
    case 'lock':
      return [
        ['file', object.path ?? `${object.device}:${object.inode}`],
        ['locks', describeLocks(object.locks)],
        ['waiters', describeLocks(object.waiters)],
        ['waiting', pidList(object.waiting)],
      ];
    case 'mmap':
      return [
        ['file', escapeText(object.path)],
        ['size', describeSize(object.size)],
        ['attached', pidList(object.attached)],
      ];
  }
}

/** "1 process", "2 processes". */
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "FLOCK WRITE 1234 0-EOF, POSIX READ 99 10-29" as /proc/locks gives them (OFD locks have no PID: "-"). */
function describeLocks(locks: FileLock[]): string {
  if (locks.length === 0) return '-';
  return locks.map((l) => `${l.type} ${l.mode} ${l.pid ?? '-'} ${l.start}-${l.end ?? 'EOF'}`).join(', ');
}

/** Descriptors that reach an IPC object (not plain files or other links). */
export function isIpcFd(fd: FdEntry): boolean {
  return !fd.object.startsWith('file:') && !fd.object.startsWith('other:');
}

export const KIND_TITLES: Record<IpcObject['kind'], string> = {
  pipe: 'PIPES',
  fifo: 'FIFOS',
  unix: 'UNIX SOCKETS',
  tcp: 'TCP SOCKETS',
  udp: 'UDP SOCKETS',
  shm: 'SYSTEM V SHARED MEMORY',
  msg: 'SYSTEM V MESSAGE QUEUES',
  sem: 'SYSTEM V SEMAPHORES',
  posix_shm: 'POSIX SHARED MEMORY',
  mqueue: 'POSIX MESSAGE QUEUES',
  lock: 'FILE LOCKS',
  mmap: 'MAPPED FILES',
};
