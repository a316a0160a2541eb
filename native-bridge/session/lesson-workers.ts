/**
 * Processes a lesson's actor started that are not actors themselves (the
 * process-pool lesson's `sh` workers). The actor puts them all in one
 * process group and records its id in the lesson directory
 * (`.process-group`) as soon as the first one exists; the op's reply also
 * gives their pids (`spawned`). The runner adds them to the lesson's pids,
 * so the sampler sees them, and removes them when the lesson stops:
 *   - kill(-group, SIGKILL) before the actors go (while the group surely
 *     exists: a member, even a zombie, keeps its id reserved);
 *   - once their parent actor is gone they are our children (subreaper):
 *     waitpid(-group) until none is left, so even workers of a pool-start
 *     stopped half-way (whose pids never reached us) are reaped;
 *   - the directory's watchdog kills the group when the engine is
 *     SIGKILLed (GROUP_WATCHDOG_SH); on a normal engine exit an 'exit'
 *     handler does it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ECHILD } from '../libc/errno';
import { native } from '../libc/libc';
import { SIGKILL } from '../actor/actor-libc';
import { GROUP_RECORD } from '../actor/ops/pool-ops-spawn';
import { waitpidBlocking, waitpidNoHang } from '../actor/reaper-libc';

/** The watchdog's part, in sh: SIGKILL to the recorded process group, before the directory goes. */
export const GROUP_WATCHDOG_SH = `g="$0/${GROUP_RECORD}"; if [ -f "$g" ]; then kill -s KILL -- "-$(cat "$g")" 2>/dev/null; fi; `;

function recordedGroup(dir: string | null): number {
  if (!dir || !existsSync(join(dir, GROUP_RECORD))) return 0;
  const group = Number(readFileSync(join(dir, GROUP_RECORD), 'utf8').trim());
  return Number.isInteger(group) && group > 0 ? group : 0;
}

/**
 * Workers the lesson view names (roles, objects): the lesson picture draws
 * at most 12 processes and 6 objects, and a pool of 10 with the trap has
 * 55 write-end edges, which no longer fit; the first few show the trap
 * (worker 1's pipe held by the parent and the younger workers). Every
 * worker is in the frame's processes (the sampler's scope) for the map.
 */
export const PICTURED_WORKERS = 4;

export class LessonWorkers {
  private readonly pids: number[] = [];
  /** "pipe:INODE" of each worker's pipe, as the snapshot names it. */
  private readonly pipes: string[] = [];
  private disposed = false;
  private readonly onExit = (): void => this.killSync();

  constructor(private readonly dir: string | null) {
    if (dir) process.on('exit', this.onExit);
  }

  /** Takes note of the pids (`spawned`) and pipe inodes (`pipes`) an op's reply says it made. */
  note(data: Record<string, unknown> | undefined): void {
    const { spawned, pipes } = data ?? {};
    if (Array.isArray(spawned)) for (const pid of spawned) if (typeof pid === 'number' && !this.pids.includes(pid)) this.pids.push(pid);
    if (Array.isArray(pipes)) for (const ino of pipes) if (typeof ino === 'number' && ino > 0) this.pipes.push(`pipe:${ino}`);
  }

  all(): readonly number[] {
    return this.pids;
  }

  /** The first workers as the lesson view's roles: worker1 .. worker4, in the order they were started. */
  roles(): Record<string, number> {
    return Object.fromEntries(this.pids.slice(0, PICTURED_WORKERS).map((pid, i) => [`worker${i + 1}`, pid]));
  }

  /** Their pipes, for the lesson view's objects. */
  objects(): readonly string[] {
    return this.pipes.slice(0, PICTURED_WORKERS);
  }

  /** Kills the workers' group and, once their parent actor is gone (`parentGone`), reaps every one of them. */
  async dispose(parentGone: () => Promise<void>): Promise<void> {
    if (this.disposed) return parentGone();
    this.disposed = true;
    process.off('exit', this.onExit);
    const group = recordedGroup(this.dir);
    /* the group's leader (worker 1) is unreaped until the lesson's own waitpid: if that ran, ESRCH is all we get */
    if (group > 0) native.kill(-group, SIGKILL);
    await parentGone();
    if (group === 0) return;
    const deadline = Date.now() + 5000;
    /* waitpid(-group): any child of ours in that group; ECHILD once none is left */
    while (Date.now() < deadline) {
      const reaped = waitpidNoHang(-group);
      if (reaped === -ECHILD) return;
      if (reaped === 0) await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** The engine is exiting: the team's own 'exit' handler (registered first) killed and reaped the actors, so the workers are ours. */
  private killSync(): void {
    const group = recordedGroup(this.dir);
    if (group === 0) return;
    native.kill(-group, SIGKILL);
    for (let n = 0; n < 2000; n++) if (waitpidBlocking(-group) < 0) break;
  }
}
