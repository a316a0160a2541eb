/**
 * Process-pool ops (lesson process-pool), run by the parent actor. Each is a
 * bulk step: one op makes the same call for every worker, because a pool of
 * 1000 workers cannot be stepped one syscall at a time.
 *
 *   pool-start    for each worker: pipe2, posix_spawn (the lesson's fork +
 *                 exec of worker.sh), close of the read end in the parent
 *   pool-dispatch `tasks` task codes, each a line written to a worker
 *                 chosen at random
 *   pool-close    closes the write ends of workers first..last
 *   pool-wait     waitpid for every worker not reaped yet (sleeps in wait4)
 *
 * The workers are not actors: they are `sh` processes, children of this
 * actor, whose pids the reply of pool-start gives the engine (`spawned`),
 * with their pipes (`pipes`, inodes), so it can show and remove them; their
 * process group is recorded in the lesson directory at once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errnoName } from '../../libc/errno';
import { O_CLOEXEC, lastErrno, native, selfFdInode } from '../../libc/libc';
import { errnoWithLimit } from '../../libc/process-limits';
import { WORKER_SH_FILE, workerSh } from '../../lessons/programs/process-pool/worker-sh';
import { decodeWaitStatus } from './process-ops';
import { recordGroup, spawnWorker } from './pool-ops-spawn';
import type { OpData } from '../actor-protocol';
import { type OpTable, OpArgError, failed, intArg, stringArg } from './op-types';

export const MAX_POOL_WORKERS = 1000;
export const MAX_POOL_TASKS = 1000;
/* three task codes, as the seed's three functors */
const TASK_KINDS = 3;

interface Worker {
  pid: number;
  writeFd: number;
  inode: number | null;
  open: boolean;
  reaped: boolean;
}

/* this actor's pool (one lesson per actor) */
const workers: Worker[] = [];
let processGroup = 0;

function workerEnv(): string[] {
  return [`PATH=${process.env.PATH ?? '/usr/bin:/bin'}`];
}

/** Closes what a pool-start that failed half-way made; the workers already started get EOF and exit. */
function abandon(readFd: number, writeFd: number): void {
  native.close(readFd);
  native.close(writeFd);
}

export const poolOps: OpTable = {
  'pool-start': {
    sleepsIn: [],
    run(args) {
      if (workers.length > 0) throw new OpArgError('this process already started its pool');
      const count = intArg(args, 'workers');
      if (count < 1 || count > MAX_POOL_WORKERS) throw new OpArgError(`workers must be 1 to ${MAX_POOL_WORKERS} (got ${count})`);
      const keeps = args.keeps === true;
      const dir = stringArg(args, 'dir');
      const script = join(dir, WORKER_SH_FILE);
      writeFileSync(script, workerSh.source.en, { mode: 0o600 });
      const fds = new Int32Array(2);
      const env = workerEnv();
      const report = (): OpData => ({
        spawned: workers.map((w) => w.pid),
        processGroup,
        writeFds: workers.map((w) => w.writeFd),
        /* the pipes' inodes, worker by worker (0: could not be read) */
        pipes: workers.map((w) => w.inode ?? 0),
      });
      for (let index = 1; index <= count; index++) {
        /* keeps: no O_CLOEXEC, so this write end reaches every worker spawned after it (the trap) */
        if (native.pipe2(fds, keeps ? 0 : O_CLOEXEC) < 0) {
          /* EMFILE: the parent holds one write end per worker, so RLIMIT_NOFILE bounds the pool */
          const errno = errnoName(lastErrno());
          const why = `pipe2 for worker ${index} of ${count} failed: ${errnoWithLimit(errno)}; ${index - 1} workers were started`;
          return { result: -1, errno, error: why, data: report() };
        }
        const [readFd, writeFd] = [fds[0]!, fds[1]!];
        const inode = selfFdInode(readFd, 'pipe');
        const pid = spawnWorker({ readFd, writeFd, processGroup, script, index, env });
        if (typeof pid === 'string') {
          abandon(readFd, writeFd);
          const why = `posix_spawn of worker ${index} of ${count} failed: ${errnoWithLimit(pid)}; ${index - 1} workers were started`;
          return { result: -1, errno: pid, error: why, data: report() };
        }
        if (processGroup === 0) {
          processGroup = pid;
          /* at once, not in the reply: a lesson stopped (or an engine killed) in the middle of this loop still finds them */
          recordGroup(dir, processGroup);
        }
        native.close(readFd);
        workers.push({ pid, writeFd, inode, open: true, reaped: false });
      }
      return { result: count, errno: null, data: report() };
    },
  },
  'pool-dispatch': {
    sleepsIn: [1],
    run(args) {
      const tasks = intArg(args, 'tasks');
      if (tasks < 1 || tasks > MAX_POOL_TASKS) throw new OpArgError(`tasks must be 1 to ${MAX_POOL_TASKS} (got ${tasks})`);
      const open = workers.filter((w) => w.open);
      if (open.length === 0) throw new OpArgError('no worker has an open pipe');
      /* worker (1-based) and task code of each task, in order */
      const sentTo: number[] = [];
      const codes: number[] = [];
      for (let t = 0; t < tasks; t++) {
        const k = Math.floor(Math.random() * open.length);
        const code = Math.floor(Math.random() * TASK_KINDS);
        const line = Buffer.from(`${code}\n`);
        /* a worker that is gone (killed from outside): SIGPIPE, as it would kill the C parent */
        if (native.write(open[k]!.writeFd, line, line.length) !== line.length) return { ...failed(), data: { sentTo, codes } };
        sentTo.push(workers.indexOf(open[k]!) + 1);
        codes.push(code);
      }
      return { result: tasks, errno: null, data: { sentTo, codes } };
    },
  },
  'pool-close': {
    sleepsIn: [],
    run(args) {
      const first = intArg(args, 'first', 1);
      const last = Math.min(intArg(args, 'last', workers.length), workers.length);
      let closed = 0;
      for (let k = first; k <= last; k++) {
        const w = workers[k - 1];
        if (!w?.open) continue;
        if (native.close(w.writeFd) < 0) return failed();
        w.open = false;
        closed += 1;
      }
      return { result: closed, errno: null };
    },
  },
  'pool-wait': {
    /* glibc waitpid is wait4 (61), asleep in wchan do_wait */
    sleepsIn: [61],
    run() {
      const status = new Int32Array(1);
      let exited = 0;
      let killed = 0;
      for (const w of workers) {
        if (w.reaped) continue;
        if (native.waitpid(w.pid, status, 0) !== w.pid) return failed();
        w.reaped = true;
        const { signal } = decodeWaitStatus(status[0]!);
        if (signal === null) exited += 1;
        else killed += 1;
      }
      return { result: exited + killed, errno: null, data: { exited, killed } };
    },
  },
};
