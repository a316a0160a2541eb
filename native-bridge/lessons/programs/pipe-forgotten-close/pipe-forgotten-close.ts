/** pipe_forgotten_close.c: a reader that forgot to close its own write end never sees end-of-file. */
import { cProgram } from '../../program-source';
import { text } from '../../step-kit';

export const pipeForgottenCloseC = cProgram('pipe_forgotten_close.c', ['parent', 'child'], [
  '#define _GNU_SOURCE',
  '#include <fcntl.h>',
  '#include <stdlib.h>',
  '#include <sys/wait.h>',
  '#include <unistd.h>',
  '',
  'int main(void)',
  '{',
  '    int fd[2];',
  '    char buf[64];',
  '    ssize_t n;',
  '    int status;',
  '',
  '    if (pipe2(fd, O_CLOEXEC) < 0)',
  '        return 1;',
  '    pid_t pid = fork();',
  '    if (pid == 0) {',
  ['        ', text('the bug: close(fd[1]) is missing here', '错误：这里少了 close(fd[1])', '錯誤：這裡少了 close(fd[1])')],
  ['        while ((n = read(fd[0], buf, sizeof buf)) > 0)', text('reads until end-of-file ... which never comes', '一直读到文件结束……可它永远不会来', '一直讀到檔案結尾……可它永遠不會來')],
  '            n = write(STDOUT_FILENO, buf, n);',
  '        exit(0);',
  '    }',
  '    close(fd[0]);',
  '    n = write(fd[1], "data\\n", 5);',
  '    close(fd[1]);',
  ['    waitpid(pid, &status, 0);', text('waits for a child that waits forever', '等待一个永远在等待的子进程', '等待一個永遠在等待的子行程')],
  '    exit(0);',
  '}',
]);
