import type { Blocked, IpcObject, ProcessInfo } from '../../native-bridge/model/snapshot-types';
import type { SyscallEvent } from '../../native-bridge/model/frame-types';
import type { Translate } from '../i18n/strings';
import { peekText } from './bytes-text';

/** "pipe:4614" -> "pipe 4614": how the kernel's object ids read in a sentence. */
export function objectLabel(id: string): string {
  const colon = id.indexOf(':');
  return colon < 0 ? id : `${id.slice(0, colon)} ${id.slice(colon + 1)}`;
}

/** "read(fd 3)" from /proc/PID/syscall's number and first argument. */
export function blockedCall(blocked: Blocked): string {
  const name = blocked.op === 'other' ? blocked.syscall : blocked.op;
  return blocked.fd === null ? `${name}()` : `${name}(fd ${blocked.fd})`;
}

/** "blocked in read(fd 3) on pipe 4614". */
export function blockedSentence(blocked: Blocked, t: Translate): string {
  const call = blockedCall(blocked);
  return blocked.object
    ? t('blockedIn', { call, object: objectLabel(blocked.object) })
    : t('blockedInNoObject', { call });
}

export function stateWord(process: ProcessInfo, t: Translate): string {
  switch (process.state) {
    case 'R':
      return t('stateR');
    case 'S':
      return t('stateS');
    case 'D':
      return t('stateD');
    case 'T':
    case 't':
      return t('stateT');
    case 'Z':
      return t('stateZ');
    default:
      return t('stateOther', { state: process.state });
  }
}

/** The call as a line of C: `write(4, "hello world\n", 12)`. */
export function eventCall(event: SyscallEvent, withData = true): string {
  const args: string[] = [];
  if (event.fd !== null) args.push(String(event.fd));
  // Only a write's bytes are part of the call; a read's arrive with its result.
  if (withData && event.data && event.syscall === 'write') {
    args.push(`"${peekText(event.data, 40)}"`);
  }
  if (event.bytes !== null) args.push(String(event.bytes));
  return `${event.syscall}(${args.join(', ')})`;
}

/** "pid role syscall(...) = result errno", with EOF spelled out for a read that returned 0. */
export function eventLine(event: SyscallEvent, t: Translate): string {
  return `${event.pid} ${event.role} ${eventResult(event, t)}`;
}

/** The call as issued: the engine's own text when it sent one, else built from the fields. */
function callPart(event: SyscallEvent): string {
  return event.phase !== 'return' && event.text ? event.text : eventCall(event);
}

/** The engine's "call = result errno" text when it has that shape. */
function returnText(event: SyscallEvent): string {
  if (event.text && (event.text.includes(' = ') || event.text.includes('/*'))) return event.text;
  let line = `${eventCall(event)} = ${event.result ?? '?'}`;
  if (event.errno) line += ` ${event.errno}`;
  return line;
}

/* a call on no descriptor (msgrcv on a msqid) has only the engine's text to say what it waits for: drop its comment */
function blockedCallText(event: SyscallEvent): string {
  return event.fd === null && event.text ? event.text.replace(/\s*\/\*.*\*\/$/, '') : eventCall(event);
}

/** "read(3, 64) = 0  EOF": the call and what it returned, without who made it. */
export function eventResult(event: SyscallEvent, t: Translate): string {
  if (event.phase === 'call') return `${callPart(event)} …`;
  // The engine's text for this phase carries its own comment ("asleep in the kernel"); the word "blocked" says it.
  if (event.phase === 'blocked') return `${blockedCallText(event)} … ${t('statusBlocked')}`;
  let line = returnText(event);
  if (event.result === 0 && event.syscall === 'read' && !event.errno) line += `  ${t('eof')}`;
  if (event.syscall === 'read' && event.data && (event.result ?? 0) > 0) line += `  "${peekText(event.data, 40)}"`;
  return line;
}

/** Short form for a process node: `write(4, 12) = 12`, `read(3, 64) = 0  EOF`; the log has the bytes. */
export function eventShort(event: SyscallEvent, t: Translate): string {
  const call = eventCall(event, false);
  if (event.phase === 'call') return `${call} …`;
  if (event.phase === 'blocked') return `${call} … ${t('statusBlocked')}`;
  // exit() never returns: no "= ?" for a result that cannot exist.
  // shmat returns an address, ftok a key ipcs shows in hex: the engine's text has them as C prints them
  const address = event.syscall === 'shmat' || event.syscall === 'ftok' ? / = (0x[0-9a-f]+)$/.exec(event.text)?.[1] : undefined;
  let line = event.result === null && !event.errno ? call : `${call} = ${address ?? event.result ?? '?'}`;
  if (event.errno) line += ` ${event.errno}`;
  if (event.result === 0 && event.syscall === 'read' && !event.errno) line += `  ${t('eof')}`;
  return line;
}

/**
 * A call line says nothing new once the same step of the same process has
 * reported "blocked" or "return": the log hides it then.
 */
export function supersededCalls(events: SyscallEvent[]): Set<number> {
  const later = new Set<string>();
  const hidden = new Set<number>();
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    const key = `${e.pid}/${e.step}/${e.syscall}`;
    if (e.phase === 'call') {
      if (later.has(key)) hidden.add(e.seq);
      later.delete(key);
    } else {
      later.add(key);
    }
  }
  return hidden;
}

/** Objects the lesson made, in the lesson's order; without a lesson, every object in the frame. */
export function lessonObjects(objects: IpcObject[], lessonObjectIds: string[] | null): IpcObject[] {
  if (!lessonObjectIds) return objects;
  const byId = new Map(objects.map((o) => [o.id, o]));
  return lessonObjectIds.map((id) => byId.get(id)).filter((o): o is IpcObject => o !== undefined);
}
