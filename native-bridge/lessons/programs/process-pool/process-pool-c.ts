/**
 * process_pool.c: the seed 003 process pool in our words. The parent makes
 * one pipe per worker, forks N workers, each running worker.sh on its own
 * pipe, hands out task codes at random, then closes the write ends and
 * waits for every worker. argv[2] picks the version: "keeps" makes the pipes
 * without O_CLOEXEC, so every worker forked later inherits the write ends of
 * its elder siblings' pipes (the seed's trap); "closes" makes them
 * O_CLOEXEC, so exec closes them in each worker.
 */
import { cProgram } from '../../program-source';
import { text } from '../../step-kit';

export const processPoolC = cProgram('process_pool.c', ['parent'], [
  '#define _GNU_SOURCE',
  '#include <fcntl.h>',
  '#include <stdio.h>',
  '#include <stdlib.h>',
  '#include <string.h>',
  '#include <sys/wait.h>',
  '#include <time.h>',
  '#include <unistd.h>',
  '',
  '#define MAX_WORKERS 1000',
  '',
  'static pid_t pid[MAX_WORKERS];',
  ['static int wfd[MAX_WORKERS];', text('the write end of each worker\'s pipe', '每个工作进程管道的写端', '每個工作行程管道的寫端')],
  '',
  'int main(int argc, char **argv)',
  '{',
  '    int workers = argc > 1 ? atoi(argv[1]) : 10;',
  ['    int keeps = argc > 2 && strcmp(argv[2], "keeps") == 0;', text('"keeps": the seed\'s trap; "closes": the fix', '"keeps"：种子里的陷阱；"closes"：修正版', '"keeps"：種子裡的陷阱；"closes"：修正版')],
  '    int tasks = argc > 3 ? atoi(argv[3]) : 12;',
  '    int fd[2], i;',
  '    char name[16], line[16];',
  '',
  '    if (workers < 1 || workers > MAX_WORKERS)',
  '        return 2;',
  '    for (i = 0; i < workers; i++) {',
  [
    '        if (pipe2(fd, keeps ? 0 : O_CLOEXEC) < 0)',
    text(
      'without O_CLOEXEC every later child inherits this write end',
      '没有 O_CLOEXEC 时，之后 fork 的每个子进程都会继承这个写端',
      '沒有 O_CLOEXEC 時，之後 fork 的每個子行程都會繼承這個寫端',
    ),
  ],
  '            return 1;',
  '        pid[i] = fork();',
  '        if (pid[i] == 0) {',
  ['            dup2(fd[0], STDIN_FILENO);', text('the worker reads its tasks on fd 0', '工作进程从 fd 0 读取任务', '工作行程從 fd 0 讀取任務')],
  '            close(fd[0]);',
  ['            close(fd[1]);', text('its own write end; the elder ones stay unless O_CLOEXEC', '关掉自己的写端；兄长们的写端仍在，除非有 O_CLOEXEC', '關掉自己的寫端；兄長們的寫端仍在，除非有 O_CLOEXEC')],
  '            snprintf(name, sizeof name, "%d", i + 1);',
  '            execl("/bin/sh", "sh", "worker.sh", name, (char *) NULL);',
  '            _exit(127);',
  '        }',
  '        close(fd[0]);',
  '        wfd[i] = fd[1];',
  '    }',
  '    srand(time(NULL));',
  '    for (i = 0; i < tasks; i++) {',
  ['        int k = rand() % workers;', text('a worker at random', '随机挑一个工作进程', '隨機挑一個工作行程')],
  '        int len = snprintf(line, sizeof line, "%d\\n", rand() % 3);',
  ['        if (write(wfd[k], line, len) != len)', text('one task code, one line', '一个任务编号，一行', '一個任務編號，一行')],
  '            return 1;',
  '    }',
  ['    close(wfd[0]);', text('worker 1\'s pipe: does worker 1 see end of file now?', '工作进程 1 的管道：工作进程 1 现在能读到文件结束吗？', '工作行程 1 的管道：工作行程 1 現在能讀到檔案結尾嗎？')],
  '    for (i = 1; i < workers; i++)',
  '        close(wfd[i]);',
  '    for (i = 0; i < workers; i++)',
  ['        waitpid(pid[i], NULL, 0);', text('reap every worker', '回收每一个工作进程', '回收每一個工作行程')],
  '    exit(0);',
  '}',
]);
