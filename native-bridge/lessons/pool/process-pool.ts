/**
 * "A process pool" (seed 003): the parent makes one pipe per worker, forks
 * N workers (1 to 1000), hands out task codes at random, closes the write
 * ends and waits for every worker. Each worker is a real process asleep in
 * read on its own pipe until a task arrives. Steps are bulk steps (one op
 * makes the same call for every worker: actor/ops/pool-ops.ts).
 *
 * The workers run worker.sh under /bin/sh instead of the C child: light
 * (~0.1 MiB each instead of a ~10 MiB Node actor) and needing no C
 * compiler, with the same pipes, holders and sleeps in the kernel.
 *
 * The seed's trap is the `version` parameter: "keeps" makes the pipes
 * without O_CLOEXEC, so worker k also holds the write ends of pipes 1..k-1;
 * closing worker 1's write end then gives it no EOF. "closes" is the fix.
 */
import type { LessonParams } from '../../model/frame-types';
import { MAX_POOL_TASKS, MAX_POOL_WORKERS } from '../../actor/ops/pool-ops';
import type { Lesson, LessonStep } from '../lesson-types';
import { stringVar } from '../lesson-types';
import { firstCloseQuestion, holdersClaim } from './process-pool-claims';
import { processPoolC as prog } from '../programs/process-pool/process-pool-c';
import { workerSh } from '../programs/process-pool/worker-sh';
import { exitWith, text } from '../step-kit';

const at = (needle: string, nth = 1) => ({ program: prog.file, line: prog.line(needle, nth) });
const DEFAULT_WORKERS = 10;
const DEFAULT_TASKS = 12;

interface PoolChoice {
  workers: number;
  keeps: boolean;
  tasks: number;
}

function choiceOf(params: LessonParams): PoolChoice {
  return {
    workers: typeof params.workers === 'number' ? params.workers : DEFAULT_WORKERS,
    keeps: params.version !== 'closes',
    tasks: typeof params.tasks === 'number' ? params.tasks : DEFAULT_TASKS,
  };
}

function steps({ workers: n, keeps, tasks }: PoolChoice): LessonStep[] {
  const flags = keeps ? '0' : 'O_CLOEXEC';
  return [
    {
      id: 'start',
      role: 'parent',
      op: 'pool-start',
      syscall: 'fork',
      args: (v) => ({ workers: n, keeps, dir: stringVar(v, 'dir'), calls: `pipe2(fd, ${flags}); fork(); close(fd[0]);  /* × ${n} */` }),
      save: (reply, vars) => {
        const { spawned, pipes, writeFds } = reply.data ?? {};
        if (Array.isArray(spawned)) vars.workerPids = spawned.join(',');
        if (Array.isArray(pipes)) vars.inodes = pipes.join(',');
        if (Array.isArray(writeFds) && writeFds[0] !== undefined) {
          vars.wfd1 = writeFds[0];
          vars.writeFds = writeFds.join(',');
        }
      },
      code: `pipe2(fd, ${flags}); pid[i] = fork(); close(fd[0]);  /* × ${n} */`,
      ...at('pipe2('),
      explain: keeps
        ? text(
            `For each of ${n} workers the parent makes a pipe without O_CLOEXEC, forks the worker, and closes the read end it does not need. Each worker runs worker.sh and sleeps in read on fd 0, its own pipe. Worker k was forked while the parent still held the write ends of pipes 1 to k−1: it holds them too. (The engine starts each worker with posix_spawn, which makes the same dup2, close and exec in the child as the C code; it also puts them in one process group, to remove them all at once.)`,
            `父进程为 ${n} 个工作进程各建一根不带 O_CLOEXEC 的管道，fork 出工作进程，再关掉自己用不上的读端。每个工作进程运行 worker.sh，睡在 fd 0（它自己的管道）上的 read 中。工作进程 k 被 fork 时，父进程还开着管道 1 到 k−1 的写端：它也继承了它们。（引擎用 posix_spawn 启动每个工作进程，在子进程中做的 dup2、close 和 exec 与 C 代码相同；它还把它们放进同一个进程组，以便一次全部清除。）`,
            `父行程為 ${n} 個工作行程各建一條不帶 O_CLOEXEC 的管道，fork 出工作行程，再關掉自己用不上的讀端。每個工作行程執行 worker.sh，睡在 fd 0（它自己的管道）上的 read 中。工作行程 k 被 fork 時，父行程還開著管道 1 到 k−1 的寫端：它也繼承了它們。（引擎用 posix_spawn 啟動每個工作行程，在子行程中做的 dup2、close 和 exec 與 C 程式碼相同；它還把它們放進同一個行程群組，以便一次全部清除。）`,
          )
        : text(
            `For each of ${n} workers the parent makes a pipe with O_CLOEXEC, forks the worker, and closes the read end it does not need. Each worker runs worker.sh and sleeps in read on fd 0, its own pipe. The write ends the parent held at fork time are marked close-on-exec, so exec closed them in every worker: only the parent writes to each pipe. (The engine starts each worker with posix_spawn, which makes the same dup2, close and exec in the child as the C code; it also puts them in one process group, to remove them all at once.)`,
            `父进程为 ${n} 个工作进程各建一根带 O_CLOEXEC 的管道，fork 出工作进程，再关掉自己用不上的读端。每个工作进程运行 worker.sh，睡在 fd 0（它自己的管道）上的 read 中。fork 时父进程持有的写端都标记了 close-on-exec，所以 exec 在每个工作进程里关掉了它们：每根管道只有父进程在写。（引擎用 posix_spawn 启动每个工作进程，在子进程中做的 dup2、close 和 exec 与 C 代码相同；它还把它们放进同一个进程组，以便一次全部清除。）`,
            `父行程為 ${n} 個工作行程各建一條帶 O_CLOEXEC 的管道，fork 出工作行程，再關掉自己用不上的讀端。每個工作行程執行 worker.sh，睡在 fd 0（它自己的管道）上的 read 中。fork 時父行程持有的寫端都標記了 close-on-exec，所以 exec 在每個工作行程裡關掉了它們：每條管道只有父行程在寫。（引擎用 posix_spawn 啟動每個工作行程，在子行程中做的 dup2、close 和 exec 與 C 程式碼相同；它還把它們放進同一個行程群組，以便一次全部清除。）`,
          ),
    },
    {
      role: 'parent',
      op: 'pool-dispatch',
      syscall: 'write',
      args: () => ({ tasks, calls: `write(wfd[k], "0\\n" | "1\\n" | "2\\n", 2)  /* × ${tasks}, k at random */` }),
      code: `write(wfd[k], line, len);  /* × ${tasks} */`,
      ...at('write(wfd[k]'),
      explain: text(
        `The parent hands out ${tasks} task codes, each a line written to the pipe of a worker chosen at random. The kernel wakes that worker; it prints a line and sleeps in read again. Workers that got nothing never woke up.`,
        `父进程分派 ${tasks} 个任务编号，每个都是写进随机挑中的工作进程管道的一行。内核唤醒那个工作进程；它打印一行，又睡回 read 中。没收到任务的工作进程从未醒来。`,
        `父行程分派 ${tasks} 個任務編號，每個都是寫進隨機挑中的工作行程管道的一行。核心喚醒那個工作行程；它印出一行，又睡回 read 中。沒收到任務的工作行程從未醒來。`,
      ),
    },
    {
      role: 'parent',
      op: 'pool-close',
      syscall: 'close',
      args: (v) => ({ first: 1, last: 1, calls: `close(${String(v.wfd1 ?? 'wfd[0]')})  /* worker 1's write end */` }),
      code: 'close(wfd[0]);',
      ...at('close(wfd[0])'),
      question: firstCloseQuestion,
      explain: text(
        'The parent closes the write end of worker 1\'s pipe. Worker 1 sees end of file only if no other process still holds a write end of that pipe.',
        '父进程关闭工作进程 1 管道的写端。只有当没有别的进程还持有这根管道的写端时，工作进程 1 才会读到文件结束。',
        '父行程關閉工作行程 1 管道的寫端。只有當沒有別的行程還持有這條管道的寫端時，工作行程 1 才會讀到檔案結尾。',
      ),
    },
    {
      role: 'parent',
      op: 'pool-close',
      syscall: 'close',
      args: () => ({ first: 2, calls: `close(wfd[i])  /* i = 1 to ${n - 1} */` }),
      code: 'close(wfd[i]);',
      ...at('close(wfd[i])'),
      explain: keeps
        ? text(
            'The parent closes every other write end. The last worker held none but its own: it sees end of file and exits, and its exit closes the elder pipes\' write ends it inherited; then the next one exits, and so on: the workers leave youngest first.',
            '父进程关闭其余所有写端。最后一个工作进程只持有自己管道的写端（已被父进程关闭）：它读到文件结束并退出，它的退出又关掉了它继承的兄长管道写端；接着下一个退出，依此类推：工作进程从最年轻的开始离开。',
            '父行程關閉其餘所有寫端。最後一個工作行程只持有自己管道的寫端（已被父行程關閉）：它讀到檔案結尾並結束，它的結束又關掉了它繼承的兄長管道寫端；接著下一個結束，依此類推：工作行程從最年輕的開始離開。',
          )
        : text(
            'The parent closes every other write end. Each was the only one: every worker\'s read returns 0 and every worker exits.',
            '父进程关闭其余所有写端。每个都是唯一的写端：每个工作进程的 read 都返回 0，全部退出。',
            '父行程關閉其餘所有寫端。每個都是唯一的寫端：每個工作行程的 read 都回傳 0，全部結束。',
          ),
    },
    {
      role: 'parent',
      op: 'pool-wait',
      syscall: 'waitpid',
      args: () => ({ calls: `waitpid(pid[i], NULL, 0)  /* × ${n} */` }),
      code: 'waitpid(pid[i], NULL, 0);',
      ...at('waitpid('),
      explain: text(
        `The parent reaps all ${n} workers; it sleeps in waitpid for any that has not exited yet.`,
        `父进程回收全部 ${n} 个工作进程；还没退出的，它就睡在 waitpid 中等。`,
        `父行程回收全部 ${n} 個工作行程；還沒結束的，它就睡在 waitpid 中等。`,
      ),
    },
    {
      role: 'parent',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...at('exit(0)'),
      explain: text('The parent exits.', '父进程退出。', '父行程結束。'),
    },
  ];
}

export const processPool: Lesson = {
  id: 'process-pool',
  firstRole: 'parent',
  mechanism: 'pool',
  programs: [prog, workerSh],
  tempDir: true,
  title: text('A process pool', '进程池', '行程池'),
  summary: text(
    'Seed 003\'s process pool with 1 to 1000 real workers, each asleep in read on its own pipe until the parent sends it a task. The workers run a small shell loop (worker.sh) instead of the C child: no compiler needed and ~0.1 MiB each, and the kernel sees the same pipes, holders and sleeps. Version "keeps" shows the trap: later workers inherit their elder siblings\' write ends.',
    '种子 003 的进程池，1 到 1000 个真实的工作进程，每个都睡在自己管道的 read 上，直到父进程发来任务。工作进程运行一个小 shell 循环（worker.sh）而不是 C 子进程：不需要编译器，每个约 0.1 MiB，内核看到的管道、持有者和睡眠完全一样。"keeps" 版本展示陷阱：后来的工作进程继承了兄长们的写端。',
    '種子 003 的行程池，1 到 1000 個真實的工作行程，每個都睡在自己管道的 read 上，直到父行程送來任務。工作行程執行一個小 shell 迴圈（worker.sh）而不是 C 子行程：不需要編譯器，每個約 0.1 MiB，核心看到的管道、持有者和睡眠完全一樣。"keeps" 版本展示陷阱：後來的工作行程繼承了兄長們的寫端。',
  ),
  params: [
    { name: 'workers', kind: 'int', label: text('Workers', '工作进程数', '工作行程數'), min: 1, max: MAX_POOL_WORKERS, default: DEFAULT_WORKERS },
    {
      name: 'version',
      kind: 'choice',
      label: text('O_CLOEXEC', 'O_CLOEXEC', 'O_CLOEXEC'),
      default: 'keeps',
      choices: [
        { value: 'keeps', label: text('no (trap)', '无（陷阱）', '無（陷阱）') },
        { value: 'closes', label: text('yes (fix)', '有（修正）', '有（修正）') },
      ],
    },
    { name: 'tasks', kind: 'int', label: text('Tasks', '任务数', '任務數'), min: 1, max: MAX_POOL_TASKS, default: DEFAULT_TASKS },
  ],
  steps: steps(choiceOf({})),
  stepsFor: (params: LessonParams) => steps(choiceOf(params)),
  claims: [holdersClaim],
};
