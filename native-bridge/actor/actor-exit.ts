/**
 * How an actor ended, as the kernel reports it to whoever waits for it:
 * - an actor the engine spawned is the engine's child: libuv's waitpid gives
 *   the ChildProcess its exit code or signal;
 * - a child of an actor is its parent's to wait for, not the engine's: until
 *   the parent does, it is a zombie, and /proc/PID/stat's exit_code (field
 *   52, since Linux 3.5) holds the very status waitpid will return.
 * null when the kernel no longer says (reaped, gone from /proc) within waitMs.
 *
 * And the other side of a death: an op that waits on another process
 * (OpSpec.waitsOnPeer) is sent SIGCHLD until it returns.
 */
import { constants } from 'node:os';
import type { Actor } from './actor';
import { readProcFile } from './proc-read';

export interface ActorExit {
  pid: number;
  exitCode?: number;
  signal?: number;
}

/* exit_code is the 52nd field of /proc/PID/stat; the state (field 3) is the first after the command's ')' */
const EXIT_CODE_AFTER_STATE = 52 - 3;
const POLL_MS = 10;
/* how often SIGCHLD is repeated to an op that waits on a process that died */
const PEER_NUDGE_MS = 20;

/** The zombie's wait status (WIFSIGNALED: the low 7 bits; else WEXITSTATUS); "running", or "gone" once reaped. */
function zombieStatus(pid: number): ActorExit | 'running' | 'gone' {
  let text: string | null;
  try {
    text = readProcFile(`/proc/${pid}/stat`);
  } catch {
    /* no descriptor free: no answer yet */
    return 'running';
  }
  if (text === null) return 'gone';
  const fields = text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
  const status = Number(fields[EXIT_CODE_AFTER_STATE]);
  if (fields[0] !== 'Z' || !Number.isInteger(status)) return 'running';
  return (status & 0x7f) === 0 ? { pid, exitCode: (status >> 8) & 0xff } : { pid, signal: status & 0x7f };
}

function childProcessExit(actor: Actor): ActorExit | null {
  const child = actor.process!;
  if (child.signalCode !== null) return { pid: actor.pid, signal: constants.signals[child.signalCode] };
  if (child.exitCode !== null) return { pid: actor.pid, exitCode: child.exitCode };
  return null;
}

/** How `actor` ended, waiting at most `waitMs` for the kernel to say (its control channel closes a moment before it exits). */
export async function actorExit(actor: Actor, waitMs = 2000): Promise<ActorExit | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const exit = actor.process ? childProcessExit(actor) : zombieStatus(actor.pid);
    /* reaped already (by its parent, or by the engine as its subreaper): the kernel keeps no status for anyone else */
    if (exit === 'gone') return null;
    if (exit !== 'running' && exit !== null) return exit;
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * `actor` runs an op that waits on the other `peers` (OpSpec.waitsOnPeer):
 * should one die before `reply` settles, SIGCHLD is sent to `actor` every
 * PEER_NUDGE_MS until it does, as the kernel's own SIGCHLD (sent to the
 * parent only) may have come between two of its calls, unseen. `ended`: the
 * lesson is over.
 */
export function nudgeOnPeerDeath(actor: Actor, peers: Iterable<Actor>, reply: Promise<unknown>, ended: () => boolean): void {
  let returned = false;
  void reply.then(() => (returned = true));
  for (const peer of peers) {
    if (peer === actor || !peer.alive) continue;
    void peer.gone.then(async () => {
      while (!returned && !ended() && actor.alive) {
        try {
          process.kill(actor.pid, 'SIGCHLD');
        } catch {
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, PEER_NUDGE_MS));
      }
    });
  }
}
