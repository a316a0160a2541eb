/**
 * Event texts of the message-queue calls (System V and POSIX, and the
 * POSIX lesson's unshare and mounts), as the lessons' C writes them
 * (`msgsnd(3, "apple\0", 6, 0)`, `msgrcv(3, &m, 64, 2, 0)`); event-text.ts
 * asks here first. Null for any other call.
 */
import { offeredBytes, type OpArgs } from '../actor/actor-protocol';

const SHOWN_BYTES = 24;

const num = (args: OpArgs, name: string, fallback = '?'): string => (typeof args[name] === 'number' ? String(args[name]) : fallback);
const flags = (args: OpArgs): string => (args.nowait === true ? 'IPC_NOWAIT' : '0');

function quoted(bytes: Buffer): string {
  /* a C string's terminating NUL travels in these messages: written as C writes it */
  const escaped = JSON.stringify(bytes.subarray(0, SHOWN_BYTES).toString('latin1')).slice(1, -1).replace(/\\u0000/g, '\\0');
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
    /* POSIX queues and the msgq-posix lesson's namespace calls */
    case 'mq_open': {
      const access = args.access === 'r' ? 'O_RDONLY' : args.access === 'w' ? 'O_WRONLY' : 'O_RDWR';
      const create = args.create === false ? '' : 'O_CREAT | ';
      const attr = typeof args.maxMessages === 'number' ? `, 0600, {mq_maxmsg ${args.maxMessages}, mq_msgsize ${num(args, 'messageSize')}}` : '';
      return `mq_open(${JSON.stringify(args.name)}, ${create}${access} | O_CLOEXEC${attr})`;
    }
    case 'mq_send': {
      const bytes = offeredBytes(args);
      return `mq_send(${num(args, 'fd')}, ${bytes ? quoted(bytes) : '""'}, ${bytes ? bytes.length : 0}, ${num(args, 'priority', '0')})`;
    }
    case 'mq_receive':
      return `mq_receive(${num(args, 'fd')}, buf, ${num(args, 'size', '8192')}, &prio)`;
    case 'mq_unlink':
      return `mq_unlink(${JSON.stringify(args.name)})`;
    case 'unshare':
      return 'unshare(CLONE_NEWNS | CLONE_NEWIPC)';
    case 'mount':
      return typeof args.path === 'string' ? `mount("mqueue", ${JSON.stringify(args.path)}, "mqueue", 0, NULL)` : 'mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)';
    default:
      return null;
  }
}
