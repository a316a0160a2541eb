/**
 * "A parent dispatching tasks to a child": the parent writes 4-byte task
 * codes; the child sleeps in read, wakes with one code, runs the task (prints
 * a line), and sleeps again; when the parent closes, its read returns 0 and
 * it exits. The number of tasks is a parameter (1 to 4).
 */
import type { LessonParams } from '../../model/frame-types';
import type { Lesson, LessonQuestion, LessonStep } from '../lesson-types';
import { numberVar } from '../lesson-types';
import { pipeTasksC as prog } from '../programs/pipe-tasks/pipe-tasks';
import { exitWith, onFd, readFd, saveFds, savePid, text, u32, waitFor } from '../step-kit';

const at = (needle: string, nth = 1) => ({ program: prog.file, line: prog.line(needle, nth) });
const DEFAULT_TASKS = 3;

const idleChild: LessonQuestion = {
  prompt: text(
    'The child asks for a task before the parent has sent any. What happens?',
    '父进程还没发送任务，子进程就来要任务了。会发生什么？',
    '父行程還沒傳送任務，子行程就來要任務了。會發生什麼？',
  ),
  choices: [
    { id: 'blocks', text: text('It sleeps in read, using no CPU', '它睡在 read 中，不占用 CPU', '它睡在 read 中，不佔用 CPU') },
    { id: 'eof', text: text('read returns 0 and the child exits', 'read 返回 0，子进程退出', 'read 回傳 0，子行程結束') },
    { id: 'spins', text: text('It keeps asking in a busy loop', '它在忙循环里不停地问', '它在忙迴圈裡不停地問') },
  ],
  judge(settled) {
    const wait = settled.wait('child');
    if (settled.status === 'blocked') {
      return {
        correct: 'blocks',
        evidence: text(
          `/proc shows the child in state ${wait?.state ?? '?'} (sleeping) in read, wchan ${wait?.wchan ?? '?'}.`,
          `/proc 显示子进程处于 ${wait?.state ?? '?'} 状态（睡眠），在 read 中，wchan 为 ${wait?.wchan ?? '?'}。`,
          `/proc 顯示子行程處於 ${wait?.state ?? '?'} 狀態（睡眠），在 read 中，wchan 為 ${wait?.wchan ?? '?'}。`,
        ),
      };
    }
    return { correct: 'eof', evidence: text(`read returned ${settled.reply?.result}.`, `read 返回 ${settled.reply?.result}。`, `read 回傳 ${settled.reply?.result}。`) };
  },
};

function steps(tasks: number): LessonStep[] {
  const setup: LessonStep[] = [
    {
      role: 'parent',
      op: 'pipe2',
      save: saveFds('fd0', 'fd1'),
      code: 'pipe2(fd, O_CLOEXEC);',
      ...at('pipe2('),
      explain: text('The parent makes the pipe that will carry task codes.', '父进程创建用来传送任务编号的管道。', '父行程建立用來傳送任務編號的管道。'),
    },
    {
      role: 'parent',
      op: 'spawn-child',
      spawns: 'child',
      save: savePid('child'),
      code: 'pid = fork();',
      ...at('fork('),
      explain: text('It forks the worker.', '它 fork 出工作进程。', '它 fork 出工作行程。'),
    },
    {
      role: 'parent',
      op: 'close',
      args: onFd('fd0'),
      code: 'close(fd[0]);',
      ...at('close(fd[0])'),
      explain: text('The parent only writes.', '父进程只写。', '父行程只寫。'),
    },
    {
      role: 'child',
      op: 'close',
      args: onFd('fd1'),
      code: 'close(fd[1]);',
      ...at('close(fd[1])', 1),
      explain: text(
        'The worker only reads, and it closes its write end: so it will see end-of-file when the parent is done.',
        '工作进程只读，并关闭了自己的写端：这样父进程结束时它才能读到文件结束。',
        '工作行程只讀，並關閉了自己的寫端：這樣父行程結束時它才能讀到檔案結尾。',
      ),
    },
  ];
  const childRead = (first: boolean): LessonStep => ({
    role: 'child',
    op: 'read',
    args: readFd('fd0', 4),
    code: 'read(fd[0], &code, sizeof code);',
    ...at('read(fd[0], &code'),
    ...(first ? { question: idleChild } : {}),
    explain: text(
      'The worker asks for the next 4-byte task code. The pipe is empty: it sleeps in read.',
      '工作进程索取下一个 4 字节的任务编号。管道是空的：它睡在 read 中。',
      '工作行程索取下一個 4 位元組的任務編號。管道是空的：它睡在 read 中。',
    ),
  });
  const perTask = (code: number): LessonStep[] => [
    childRead(code === 1),
    {
      role: 'parent',
      op: 'write',
      args: (v) => ({ fd: numberVar(v, 'fd1'), data: u32(code) }),
      code: 'write(fd[1], &code, sizeof code);',
      ...at('write(fd[1], &code'),
      explain: text(
        `The parent sends task ${code}: 4 bytes. The kernel wakes the worker, whose read returns 4.`,
        `父进程发送任务 ${code}：4 个字节。内核唤醒工作进程，它的 read 返回 4。`,
        `父行程傳送任務 ${code}：4 個位元組。核心喚醒工作行程，它的 read 回傳 4。`,
      ),
    },
    {
      role: 'child',
      op: 'write',
      args: () => ({ fd: 1, text: `child runs task ${code}\n` }),
      code: 'write(STDOUT_FILENO, line, len);',
      ...at('write(STDOUT_FILENO'),
      explain: text(`The worker runs task ${code}: it prints a line.`, `工作进程执行任务 ${code}：打印一行。`, `工作行程執行任務 ${code}：印出一行。`),
    },
  ];
  const finish: LessonStep[] = [
    childRead(false),
    {
      role: 'parent',
      op: 'close',
      args: onFd('fd1'),
      code: 'close(fd[1]);',
      ...at('close(fd[1])', 2),
      explain: text(
        'No more tasks: the parent closes the only write end. The worker\'s read returns 0 and its loop ends.',
        '没有更多任务：父进程关闭唯一的写端。工作进程的 read 返回 0，循环结束。',
        '沒有更多任務：父行程關閉唯一的寫端。工作行程的 read 回傳 0，迴圈結束。',
      ),
    },
    {
      role: 'child',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...at('exit(0)', 1),
      explain: text('The worker exits.', '工作进程退出。', '工作行程結束。'),
    },
    {
      role: 'parent',
      op: 'waitpid',
      args: waitFor('child'),
      code: 'waitpid(pid, &status, 0);',
      ...at('waitpid('),
      explain: text('The parent collects its status.', '父进程取走它的退出状态。', '父行程取走它的結束狀態。'),
    },
    {
      role: 'parent',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...at('exit(0)', 2),
      explain: text('The parent exits.', '父进程退出。', '父行程結束。'),
    },
  ];
  return [...setup, ...Array.from({ length: tasks }, (_, i) => perTask(i + 1)).flat(), ...finish];
}

export const pipeTasks: Lesson = {
  id: 'pipe-tasks',
  firstRole: 'parent',
  mechanism: 'pipe',
  programs: [prog],
  title: text('A parent hands out tasks to a child', '父进程给子进程分派任务', '父行程給子行程分派任務'),
  summary: text(
    'The parent writes 4-byte task codes into a pipe. The child sleeps in read, wakes with a code, runs the task, and sleeps again, until the parent closes the pipe.',
    '父进程把 4 字节的任务编号写进管道。子进程睡在 read 中，带着编号醒来，执行任务，再次睡眠，直到父进程关闭管道。',
    '父行程把 4 位元組的任務編號寫進管道。子行程睡在 read 中，帶著編號醒來，執行任務，再次睡眠，直到父行程關閉管道。',
  ),
  params: [{ name: 'tasks', kind: 'int', label: text('Tasks', '任务数', '任務數'), min: 1, max: 4, default: DEFAULT_TASKS }],
  steps: steps(DEFAULT_TASKS),
  stepsFor: (params: LessonParams) => steps(typeof params.tasks === 'number' ? params.tasks : DEFAULT_TASKS),
};
