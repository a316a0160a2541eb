/**
 * The process-pool lesson's claim and question, judged from the kernel:
 * who holds the write end of each worker's pipe, read from every lesson
 * process's /proc/PID/fd (the link names the pipe inode, and its mode the
 * open mode: l-wx for a write end), and whether worker 1 became a zombie.
 *
 * Descriptors reach the workers only by inheritance (fork/exec, or
 * posix_spawn, keep their numbers), so a holder of pipe k's write end has it
 * at the number the parent got from pipe2: one readlink per process and
 * pipe instead of reading every descriptor of every process (with the trap
 * at N = 1000 that is ~500,000 descriptors, tens of seconds on a busy
 * machine). The lesson test checks this against a scan of every descriptor.
 */
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { readKernelWait } from '../../actor/kernel-wait';
import type { LessonClaim, LessonQuestion, LessonVars, SettledStep } from '../lesson-types';
import { stringVar } from '../lesson-types';
import { text } from '../step-kit';

/** A comma-separated list a step saved (pids, inodes). */
export function listVar(vars: LessonVars, name: string): number[] {
  return stringVar(vars, name)
    .split(',')
    .filter((s) => s !== '')
    .map(Number);
}

/** The pids among `pids` whose descriptor `fd` is the write end of pipe `inode`. A process gone meanwhile holds nothing. */
export function writeEndHoldersAt(pids: readonly number[], fd: number, inode: number): number[] {
  const target = `pipe:[${inode}]`;
  return pids.filter((pid) => {
    const path = `/proc/${pid}/fd/${fd}`;
    try {
      /* the link's mode is the descriptor's open mode: S_IWUSR for a write end */
      return readlinkSync(path) === target && (lstatSync(path).mode & 0o200) !== 0;
    } catch {
      return false;
    }
  });
}

/* up to this many workers every pipe is counted; beyond, pipes 1, 2, the middle one, N-1 and N */
const COUNT_EVERY_PIPE_UP_TO = 100;

function measuredPipes(n: number): number[] {
  if (n <= COUNT_EVERY_PIPE_UP_TO) return Array.from({ length: n }, (_, i) => i);
  return [...new Set([0, 1, Math.floor(n / 2), n - 2, n - 1])];
}

function lessonPids(settled: SettledStep): number[] {
  const parent = settled.pidOf('parent');
  return [...(parent === undefined ? [] : [parent]), ...listVar(settled.vars, 'workerPids')];
}

/** /proc/PID/stat state letter, null when gone. */
function stateOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

export const holdersClaim: LessonClaim = {
  id: 'pool-write-end-holders',
  claim: text(
    'Seed 003\'s pool: a worker forked after earlier pipes were made also holds the write ends of its elder siblings\' pipes unless it closes them, so worker k\'s pipe has N−k+1 writers (the parent and the N−k younger workers).',
    '种子 003 的进程池：在之前的管道建好之后才 fork 的工作进程，也持有兄长们管道的写端，除非它把它们关掉；于是工作进程 k 的管道有 N−k+1 个写者（父进程和 N−k 个更年轻的工作进程）。',
    '種子 003 的行程池：在之前的管道建好之後才 fork 的工作行程，也持有兄長們管道的寫端，除非它把它們關掉；於是工作行程 k 的管道有 N−k+1 個寫者（父行程和 N−k 個更年輕的工作行程）。',
  ),
  after: 'start',
  measure(settled) {
    const inodes = listVar(settled.vars, 'inodes');
    const writeFds = listVar(settled.vars, 'writeFds');
    const n = inodes.length;
    const pids = lessonPids(settled);
    /* counts[k]: writers of pipe k+1, for the pipes measured */
    const counts = new Map(measuredPipes(n).map((k) => [k, writeEndHoldersAt(pids, writeFds[k]!, inodes[k]!).length]));
    const trap = [...counts].every(([k, c]) => c === n - k);
    const fixed = [...counts.values()].every((c) => c === 1);
    const first = counts.get(0) ?? 0;
    const last = counts.get(n - 1) ?? 0;
    const measured = {
      workers: n,
      'writers of pipe 1': first,
      [`writers of pipe ${n}`]: last,
      'N−k+1 for pipe 1': n,
      'pipes counted': counts.size,
    };
    if (trap && settled.params.version === 'keeps') {
      return {
        holds: 'holds',
        measured,
        text: text(
          `Read from /proc/PID/fd of all ${n + 1} processes: pipe 1 has ${first} writers, pipe ${n} has ${last}: each of the ${counts.size} pipes counted has exactly N−k+1 writers. The pipes were made without O_CLOEXEC, so each worker kept the write ends the parent still had open when it was forked.`,
          `从全部 ${n + 1} 个进程的 /proc/PID/fd 读到：管道 1 有 ${first} 个写者，管道 ${n} 有 ${last} 个：统计的 ${counts.size} 根管道 k 都正好有 N−k+1 个写者。管道没有 O_CLOEXEC，所以每个工作进程都留着它被 fork 时父进程还开着的写端。`,
          `從全部 ${n + 1} 個行程的 /proc/PID/fd 讀到：管道 1 有 ${first} 個寫者，管道 ${n} 有 ${last} 個：統計的 ${counts.size} 條管道 k 都正好有 N−k+1 個寫者。管道沒有 O_CLOEXEC，所以每個工作行程都留著它被 fork 時父行程還開著的寫端。`,
        ),
      };
    }
    if (fixed) {
      return {
        holds: n === 1 ? 'holds' : 'differs',
        measured,
        text: text(
          `In this run every pipe has exactly 1 writer, the parent (read from /proc/PID/fd of all ${n + 1} processes). This is the fixed version: the pipes are O_CLOEXEC, so exec closed the inherited write ends in every worker. Choose the version "keeps" to see the trap.`,
          `本次运行中每根管道正好 1 个写者：父进程（从全部 ${n + 1} 个进程的 /proc/PID/fd 读到）。这是修正版：管道带 O_CLOEXEC，exec 在每个工作进程里关掉了继承来的写端。选择 "keeps" 版本就能看到陷阱。`,
          `本次執行中每條管道正好 1 個寫者：父行程（從全部 ${n + 1} 個行程的 /proc/PID/fd 讀到）。這是修正版：管道帶 O_CLOEXEC，exec 在每個工作行程裡關掉了繼承來的寫端。選擇 "keeps" 版本就能看到陷阱。`,
        ),
      };
    }
    return {
      holds: 'partly',
      measured,
      text: text(
        `The writers per pipe are neither N−k+1 nor 1: pipe 1 has ${first}, pipe ${n} has ${last}. A worker may have exited or been killed from outside.`,
        `每根管道的写者既不是 N−k+1 也不是 1：管道 1 有 ${first} 个，管道 ${n} 有 ${last} 个。可能有工作进程已经退出，或被外部杀掉了。`,
        `每條管道的寫者既不是 N−k+1 也不是 1：管道 1 有 ${first} 個，管道 ${n} 有 ${last} 個。可能有工作行程已經結束，或被外部殺掉了。`,
      ),
    };
  },
};

export const firstCloseQuestion: LessonQuestion = {
  prompt: text(
    'The parent closes the write end of worker 1\'s pipe. What does worker 1 do?',
    '父进程关闭工作进程 1 管道的写端。工作进程 1 会怎样？',
    '父行程關閉工作行程 1 管道的寫端。工作行程 1 會怎樣？',
  ),
  choices: [
    { id: 'eof', text: text('Its read returns 0 and it exits', '它的 read 返回 0，然后退出', '它的 read 回傳 0，然後結束') },
    { id: 'sleeps', text: text('It stays asleep in read', '它继续睡在 read 中', '它繼續睡在 read 中') },
  ],
  async judge(settled) {
    const [worker1] = listVar(settled.vars, 'workerPids');
    const [inode1] = listVar(settled.vars, 'inodes');
    const [wfd1] = listVar(settled.vars, 'writeFds');
    if (worker1 === undefined || inode1 === undefined || wfd1 === undefined) throw new Error('no worker 1');
    const writers = writeEndHoldersAt(lessonPids(settled), wfd1, inode1);
    if (writers.length > 0) {
      const wait = readKernelWait(worker1);
      const shown = writers.slice(0, 5).join(', ') + (writers.length > 5 ? ', …' : '');
      return {
        correct: 'sleeps',
        evidence: text(
          `Worker 1 (pid ${worker1}) is still asleep (state ${wait?.state ?? '?'}, wchan ${wait?.wchan ?? '?'}): ${writers.length} other process(es) still hold the write end of its pipe (pids ${shown}), the younger workers that inherited it. A read returns 0 only when no write end is open anywhere.`,
          `工作进程 1（pid ${worker1}）仍在睡眠（状态 ${wait?.state ?? '?'}，wchan ${wait?.wchan ?? '?'}）：还有 ${writers.length} 个进程持有它管道的写端（pid ${shown}），就是继承了它的那些更年轻的工作进程。只有当任何地方都没有打开的写端时，read 才返回 0。`,
          `工作行程 1（pid ${worker1}）仍在睡眠（狀態 ${wait?.state ?? '?'}，wchan ${wait?.wchan ?? '?'}）：還有 ${writers.length} 個行程持有它管道的寫端（pid ${shown}），就是繼承了它的那些更年輕的工作行程。只有當任何地方都沒有開啟的寫端時，read 才回傳 0。`,
        ),
      };
    }
    /* no writer left: the read returns 0 and sh exits; it stays a zombie until the parent's waitpid */
    const deadline = Date.now() + 10_000;
    while (stateOf(worker1) !== 'Z' && stateOf(worker1) !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const state = stateOf(worker1) ?? 'gone';
    return {
      correct: 'eof',
      evidence: text(
        `No process holds the write end of worker 1's pipe any more (/proc/PID/fd of every lesson process): its read returned 0, the loop ended and sh exited. Worker 1 (pid ${worker1}) is now in state ${state}: a zombie until the parent's waitpid.`,
        `已经没有任何进程持有工作进程 1 管道的写端（查看了每个课程进程的 /proc/PID/fd）：它的 read 返回 0，循环结束，sh 退出。工作进程 1（pid ${worker1}）现在的状态是 ${state}：在父进程 waitpid 之前是僵尸进程。`,
        `已經沒有任何行程持有工作行程 1 管道的寫端（查看了每個課程行程的 /proc/PID/fd）：它的 read 回傳 0，迴圈結束，sh 結束。工作行程 1（pid ${worker1}）現在的狀態是 ${state}：在父行程 waitpid 之前是殭屍行程。`,
      ),
    };
  },
};
