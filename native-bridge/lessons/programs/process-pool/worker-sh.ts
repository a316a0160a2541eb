/**
 * worker.sh: the program every worker of the process-pool lesson runs, shown
 * as the second tab beside the C parent. The engine writes the English text
 * into the lesson's directory and each worker runs it as `sh worker.sh K`:
 * the shown file is the file that runs.
 *
 * Why a shell loop and not the C child: a worker per Node process costs
 * ~10 MiB and ~100 ms, and the learner's machine has no C compiler. dash's
 * `read` builtin calls read(0, &c, 1) one byte at a time on a pipe, so the
 * kernel sees the same thing as the C worker: a process asleep in read on
 * its own pipe (wchan anon_pipe_read), holding the same descriptors.
 */
import type { LessonProgram, Locale, LocalizedText } from '../../../model/frame-types';
import { text } from '../../step-kit';

type ShellLine = string | readonly [code: string, comment: LocalizedText];

const LOCALES: Locale[] = ['en', 'zh-Hans', 'zh-Hant'];

function render(line: ShellLine, locale: Locale): string {
  if (typeof line === 'string') return line;
  const [code, comment] = line;
  return code.trim() === '' ? `${code}# ${comment[locale]}` : `${code}  # ${comment[locale]}`;
}

/** A shell program with `#` comments in three languages; only the comments differ between languages. */
export function shellProgram(file: string, roles: string[], lines: readonly ShellLine[]): LessonProgram {
  const source = Object.fromEntries(LOCALES.map((locale) => [locale, `${lines.map((l) => render(l, locale)).join('\n')}\n`])) as LocalizedText;
  return { file, roles, source };
}

/** The text with every `# ` comment removed and trailing blanks trimmed (to compare languages). */
export function withoutShellComments(source: string): string {
  return source
    .split('\n')
    .map((line) => line.replace(/(^|\s)# .*$/, '').trimEnd())
    .join('\n');
}

export const WORKER_SH_FILE = 'worker.sh';

export const workerSh = shellProgram(WORKER_SH_FILE, ['worker'], [
  '#!/bin/sh',
  ['', text('run by every worker as: sh worker.sh K (K = 1 to N)', '每个工作进程都这样运行它：sh worker.sh K（K 为 1 到 N）', '每個工作行程都這樣執行它：sh worker.sh K（K 為 1 到 N）')],
  ['', text('fd 0 is the read end of this worker\'s own pipe (dup2 before exec)', 'fd 0 是本工作进程自己那根管道的读端（exec 之前 dup2 过来的）', 'fd 0 是本工作行程自己那條管道的讀端（exec 之前 dup2 過來的）')],
  [
    'while read -r code; do',
    text(
      'read(0, &c, 1) byte by byte: asleep in anon_pipe_read while the pipe is empty',
      '逐字节 read(0, &c, 1)：管道为空时睡在 anon_pipe_read 中',
      '逐位元組 read(0, &c, 1)：管道為空時睡在 anon_pipe_read 中',
    ),
  ],
  '  case $code in',
  '    0) echo "worker $1 (pid $$) runs task 0: write the log" ;;',
  '    1) echo "worker $1 (pid $$) runs task 1: back up the data" ;;',
  '    2) echo "worker $1 (pid $$) runs task 2: handle a connection" ;;',
  '    *) echo "worker $1 (pid $$): unknown task $code" ;;',
  '  esac',
  [
    'done',
    text(
      'read returned 0 (end of file): no write end of this pipe is open in any process',
      'read 返回 0（文件结束）：任何进程都不再持有这根管道的写端',
      'read 回傳 0（檔案結尾）：任何行程都不再持有這條管道的寫端',
    ),
  ],
  'echo "worker $1 (pid $$) sees end of file and exits"',
]);
