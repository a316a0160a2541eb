/**
 * The control channel between the engine and each actor: one JSON object per
 * line over the actor's end of a socketpair the engine made for it, which the
 * actor finds at CONTROL_FD when it starts. Nothing listens, so no other
 * process can connect to an actor or pose as one. Every actor has its own
 * channel, so a parent blocked in a syscall never delays its child's
 * commands.
 */

/** The actor's end of its control socketpair (stream, JSON lines). */
export const CONTROL_FD = 3;
/**
 * The actor's end of its descriptor inbox (a datagram socketpair): the engine
 * sends through it, with SCM_RIGHTS, the control ends of a child this actor is
 * about to spawn. Only spawn-child reads it, so Node never reads (and drops)
 * the descriptors.
 */
export const INBOX_FD = 4;

/** Environment variables an actor is started with. */
export const ENV_ROLE = 'IPCSCOPE_ROLE';
/** The pid of the process that spawned this actor: a different parent after PR_SET_PDEATHSIG means it already died. */
export const ENV_PARENT_PID = 'IPCSCOPE_PARENT_PID';
/** JSON ActorCommand: how to start another actor (a parent actor re-uses it for posix_spawn). */
export const ENV_COMMAND = 'IPCSCOPE_ACTOR_COMMAND';
/** Comma-separated lesson descriptors the actor inherited from its parent actor. */
export const ENV_FDS = 'IPCSCOPE_FDS';
/** "1": the actor dies with its parent (PR_SET_PDEATHSIG): the engine's actors, and children unless a lesson lets them outlive it. */
export const ENV_DIE_WITH_PARENT = 'IPCSCOPE_DIE_WITH_PARENT';

export type OpArgs = Record<string, unknown>;
export type OpDataValue = string | number | boolean | null | number[];
export type OpData = Record<string, OpDataValue>;

/** The bytes a write-like op offers: its `text` (UTF-8) or `data` (base64) argument; null when it has neither. */
export function offeredBytes(args: OpArgs): Buffer | null {
  if (typeof args.text === 'string') return Buffer.from(args.text, 'utf8');
  if (typeof args.data === 'string') return Buffer.from(args.data, 'base64');
  return null;
}

/** Sent by the engine: run one op (one syscall) now. */
export interface ActorRequest {
  id: number;
  op: string;
  args: OpArgs;
}

/** What an op produced: the syscall's return value and errno, plus op-specific facts. */
export interface OpOutcome {
  /** Return value of the syscall; -1 on failure (errno then names why). */
  result: number;
  errno: string | null;
  /** e.g. pipe2: {fds:[r,w], inode, object}; read: {bytes: base64}; spawn-child: {pid}. */
  data?: OpData;
  /** A request the op could not even attempt (unknown op, bad argument). */
  error?: string;
}

export interface ActorReply extends OpOutcome {
  id: number;
}

/** First line an actor writes on its control channel, before anything else it does. */
export interface ActorHello {
  hello: true;
  role: string;
  pid: number;
}

/** How to start an actor process: argv[0] is `file`. */
export interface ActorCommand {
  file: string;
  args: string[];
  /** Extra environment the command needs (e.g. ELECTRON_RUN_AS_NODE=1). */
  env: Record<string, string>;
  cwd: string;
}

export function isActorHello(value: unknown): value is ActorHello {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.hello === true && typeof v.role === 'string' && typeof v.pid === 'number';
}

export function isActorReply(value: unknown): value is ActorReply {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'number' && typeof v.result === 'number' && (v.errno === null || typeof v.errno === 'string');
}
