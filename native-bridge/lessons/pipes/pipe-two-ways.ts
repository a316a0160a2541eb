/**
 * "Two pipes, one per direction": the fix for one pipe used both ways. Each
 * process closes the ends it does not use, so a message can only reach the
 * other process, and end-of-file comes when the writer closes.
 */
import type { Lesson, LessonQuestion } from '../lesson-types';
import { pipeCapacityClaim } from './pipe-claims';
import { pipeTwoWaysC as prog } from '../programs/pipe-two-ways/pipe-two-ways';
import { exitWith, onFd, printVar, readFd, saveBytes, saveFds, savePid, text, waitFor, writeFd } from '../step-kit';

const at = (needle: string, nth = 1) => ({ program: prog.file, line: prog.line(needle, nth) });

const ownPingQuestion: LessonQuestion = {
  prompt: text(
    'The child has just written "ping" and now reads. Does it take back its own message, as with one pipe?',
    '子进程刚写完 "ping"，现在读取。它会像只用一个管道时那样读回自己的消息吗？',
    '子行程剛寫完 "ping"，現在讀取。它會像只用一個管道時那樣讀回自己的訊息嗎？',
  ),
  choices: [
    { id: 'own', text: text('Yes, it reads its own "ping"', '会，读回自己的 "ping"', '會，讀回自己的 "ping"') },
    { id: 'blocks', text: text('No, it sleeps until the parent writes', '不会，睡眠直到父进程写入', '不會，睡眠直到父行程寫入') },
  ],
  judge(settled) {
    if (settled.status === 'blocked') {
      const wait = settled.wait('child');
      return {
        correct: 'blocks',
        evidence: text(
          `The child sleeps in read (wchan ${wait?.wchan ?? '?'}) on down[0]; "ping" waits in the other pipe for the parent.`,
          `子进程睡在 down[0] 的 read 中（wchan ${wait?.wchan ?? '?'}）；"ping" 在另一个管道里等父进程。`,
          `子行程睡在 down[0] 的 read 中（wchan ${wait?.wchan ?? '?'}）；"ping" 在另一個管道裡等父行程。`,
        ),
      };
    }
    return { correct: 'own', evidence: text(`read() returned ${settled.reply?.result ?? '?'}.`, `read() 返回 ${settled.reply?.result ?? '?'}。`, `read() 回傳 ${settled.reply?.result ?? '?'}。`) };
  },
};

export const pipeTwoWays: Lesson = {
  id: 'pipe-two-ways',
  firstRole: 'parent',
  mechanism: 'pipe',
  programs: [prog],
  title: text('Two pipes, one per direction', '两个管道，各管一个方向', '兩個管道，各管一個方向'),
  summary: text(
    'The fix for one pipe used both ways: a pipe "down" from parent to child and a pipe "up" back. Each process closes the ends it does not use, so nobody can read back its own message.',
    '一个管道双向使用的解决办法：一个从父到子的 "down" 管道，一个返回的 "up" 管道。每个进程关闭自己不用的端，于是谁也读不回自己的消息。',
    '一個管道雙向使用的解決辦法：一個從父到子的 "down" 管道，一個返回的 "up" 管道。每個行程關閉自己不用的端，於是誰也讀不回自己的訊息。',
  ),
  claims: [pipeCapacityClaim('down', 'parent', 'down0')],
  steps: [
    {
      id: 'down',
      role: 'parent',
      op: 'pipe2',
      save: saveFds('down0', 'down1'),
      code: 'pipe2(down, O_CLOEXEC);',
      ...at('pipe2(down'),
      explain: text('The parent makes the "down" pipe, for parent to child.', '父进程创建 "down" 管道，用于父到子。', '父行程建立 "down" 管道，用於父到子。'),
    },
    {
      role: 'parent',
      op: 'pipe2',
      save: saveFds('up0', 'up1'),
      code: 'pipe2(up, O_CLOEXEC);',
      ...at('pipe2(up'),
      explain: text('And the "up" pipe, for child to parent.', '再创建 "up" 管道，用于子到父。', '再建立 "up" 管道，用於子到父。'),
    },
    {
      role: 'parent',
      op: 'spawn-child',
      spawns: 'child',
      save: savePid('child'),
      code: 'pid = fork();',
      ...at('fork('),
      explain: text('The child inherits all four descriptors.', '子进程继承全部四个描述符。', '子行程繼承全部四個描述符。'),
    },
    {
      role: 'parent',
      op: 'close',
      args: onFd('down0'),
      code: 'close(down[0]);',
      ...at('close(down[0])'),
      explain: text('The parent will not read "down": it closes that end.', '父进程不会读 "down"：关闭这一端。', '父行程不會讀 "down"：關閉這一端。'),
    },
    {
      role: 'parent',
      op: 'close',
      args: onFd('up1'),
      code: 'close(up[1]);',
      ...at('close(up[1])'),
      explain: text('Nor write "up".', '也不会写 "up"。', '也不會寫 "up"。'),
    },
    {
      role: 'child',
      op: 'close',
      args: onFd('down1'),
      code: 'close(down[1]);',
      ...at('close(down[1])', 1),
      explain: text(
        'The child will not write "down". Now the parent holds the only write end of "down".',
        '子进程不会写 "down"。现在 "down" 唯一的写端在父进程手里。',
        '子行程不會寫 "down"。現在 "down" 唯一的寫端在父行程手裡。',
      ),
    },
    {
      role: 'child',
      op: 'close',
      args: onFd('up0'),
      code: 'close(up[0]);',
      ...at('close(up[0])'),
      explain: text('Nor read "up". Each pipe now flows one way.', '也不会读 "up"。每个管道现在只单向流动。', '也不會讀 "up"。每個管道現在只單向流動。'),
    },
    {
      role: 'child',
      op: 'write',
      args: writeFd('up1', 'ping\n'),
      code: 'write(up[1], "ping\\n", 5);',
      ...at('write(up[1]'),
      explain: text('The child writes "ping" into "up".', '子进程把 "ping" 写入 "up"。', '子行程把 "ping" 寫入 "up"。'),
    },
    {
      role: 'child',
      op: 'read',
      args: readFd('down0', 64),
      save: saveBytes('reply'),
      code: 'n = read(down[0], buf, sizeof buf);',
      ...at('read(down[0]', 1),
      question: ownPingQuestion,
      explain: text(
        'The child reads "down" at once, with no pause. "down" is empty, so it sleeps: its "ping" is out of its reach, in "up".',
        '子进程立刻读 "down"，没有任何停顿。"down" 是空的，所以它睡眠：它的 "ping" 在 "up" 里，够不着。',
        '子行程立刻讀 "down"，沒有任何停頓。"down" 是空的，所以它睡眠：它的 "ping" 在 "up" 裡，搆不著。',
      ),
    },
    {
      role: 'parent',
      op: 'read',
      args: readFd('up0', 64),
      code: 'n = read(up[0], buf, sizeof buf);',
      ...at('read(up[0]'),
      explain: text('The parent reads "up" and gets "ping".', '父进程读 "up"，得到 "ping"。', '父行程讀 "up"，得到 "ping"。'),
    },
    {
      role: 'parent',
      op: 'write',
      args: writeFd('down1', 'pong\n'),
      code: 'write(down[1], "pong\\n", 5);',
      ...at('write(down[1]'),
      explain: text(
        'The parent answers into "down". The write returns first, then the kernel wakes the sleeping child, whose read returns "pong".',
        '父进程往 "down" 回答。先是 write 返回，然后内核唤醒睡眠的子进程，它的 read 返回 "pong"。',
        '父行程往 "down" 回答。先是 write 回傳，然後核心喚醒睡眠的子行程，它的 read 回傳 "pong"。',
      ),
    },
    {
      role: 'child',
      op: 'write',
      args: printVar('reply'),
      code: 'write(STDOUT_FILENO, buf, n);',
      ...at('write(STDOUT_FILENO'),
      explain: text('The child prints "pong".', '子进程打印 "pong"。', '子行程印出 "pong"。'),
    },
    {
      role: 'child',
      op: 'read',
      args: readFd('down0', 64),
      code: 'n = read(down[0], buf, sizeof buf);',
      ...at('read(down[0]', 2),
      explain: text('The child reads again and sleeps: the parent may still write.', '子进程再次读取并睡眠：父进程可能还会写。', '子行程再次讀取並睡眠：父行程可能還會寫。'),
    },
    {
      role: 'parent',
      op: 'close',
      args: onFd('down1'),
      code: 'close(down[1]);',
      ...at('close(down[1])', 2),
      explain: text(
        'The parent closes the last write end of "down": the child\'s read returns 0, end-of-file. It works because the child closed its own down[1] earlier.',
        '父进程关闭 "down" 的最后一个写端：子进程的 read 返回 0，即文件结束。这能成功，是因为子进程早先关闭了自己的 down[1]。',
        '父行程關閉 "down" 的最後一個寫端：子行程的 read 回傳 0，即檔案結尾。這能成功，是因為子行程早先關閉了自己的 down[1]。',
      ),
    },
    {
      role: 'child',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...at('exit(0)', 1),
      explain: text('The child exits.', '子进程退出。', '子行程結束。'),
    },
    {
      role: 'parent',
      op: 'waitpid',
      args: waitFor('child'),
      code: 'waitpid(pid, &status, 0);',
      ...at('waitpid('),
      explain: text('The parent collects the child\'s status.', '父进程取走子进程的退出状态。', '父行程取走子行程的結束狀態。'),
    },
    {
      role: 'parent',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...at('exit(0)', 2),
      explain: text('The parent exits; both pipes are freed.', '父进程退出；两个管道都被释放。', '父行程結束；兩個管道都被釋放。'),
    },
  ],
};
