/**
 * Event texts of the message-queue calls, as the lessons' C writes them
 * (`msgsnd(3, "apple\0", 6, 0)`, `msgrcv(3, &m, 64, 2, 0)`); event-text.ts
 * asks here first. Null for any other call.
 */
import { offeredBytes, type OpArgs } from '../actor/actor-protocol';

const SHOWN_BYTES = 24;

const num = (args: OpArgs, name: string, fallback = '?'): string => (typeof args[name] === 'number' ? String(args[name]) : fallback);
const flags = (args: OpArgs): string => (args.nowait === true ? 'IPC_NOWAIT' : '0');

function quoted(bytes: Buffer): string {
  const escaped = JSON.stringify(bytes.subarray(0, SHOWN_BYTES).toString('latin1')).slice(1, -1);
  return `"${escaped}${bytes.length > SHOWN_BYTES ? '...' : ''}"`;
}

export function msgqCallText(syscall: string, args: OpArgs): string | null {
  switch (syscall) {
    case 'msgget': {
      const perms = Number(args.perms ?? 0o600);
      const how = [args.create === false ? '' : 'IPC_CREAT', args.excl === true ? 'IPC_EXCL' : '', perms === 0 ? '' : `0${perms.toString(8)}`].filter(Boolean);
      /* msgget(key, 0): only look the key up */
      return `msgget(0x${(Number(args.key ?? 0) >>> 0).toString(16)}, ${how.length > 0 ? how.join(' | ') : '0'})`;
    }
    case 'msgsnd': {
      const bytes = offeredBytes(args);
      /* msgsnd-sized: `size` bytes of filler the engine never sends over the control channel */
      const body = bytes ? quoted(bytes) : `<${num(args, 'size')} bytes>`;
      return `msgsnd(${num(args, 'msqid')}, {type ${num(args, 'type', '1')}, ${body}}, ${bytes ? bytes.length : num(args, 'size')}, ${flags(args)})`;
    }
    case 'msgrcv':
      return `msgrcv(${num(args, 'msqid')}, &m, ${num(args, 'size', '8192')}, ${num(args, 'type', '0')}, ${flags(args)})`;
    case 'msgctl':
      return typeof args.qbytes === 'number' ? `msgctl(${num(args, 'msqid')}, IPC_SET, {msg_qbytes ${args.qbytes}})` : `msgctl(${num(args, 'msqid')}, IPC_RMID, NULL)`;
    default:
      return null;
  }
}
