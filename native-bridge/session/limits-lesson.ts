/**
 * Test support for lesson-limits.test.ts and limits-fixture.ts: a parent
 * makes a pipe, forks a child, and the child reads the empty pipe (a step
 * that blocks), then a step that returns at once.
 */
import { numberVar, type Lesson } from '../lessons/lesson-types';

const none = { en: '-', 'zh-Hans': '-', 'zh-Hant': '-' };

export const pipeForkRead: Lesson = {
  id: 'test-pipe-fork-read',
  title: none,
  summary: none,
  firstRole: 'parent',
  mechanism: 'pipe',
  programs: [],
  steps: [
    {
      role: 'parent',
      op: 'pipe2',
      save: (r, v) => {
        const fds = r.data?.fds;
        if (Array.isArray(fds)) [v.fd0, v.fd1] = [fds[0]!, fds[1]!];
      },
      code: 'pipe2(fd, O_CLOEXEC);',
      explain: none,
    },
    { role: 'parent', op: 'spawn-child', spawns: 'child', code: 'fork();', explain: none },
    { role: 'child', op: 'read', args: (v) => ({ fd: numberVar(v, 'fd0'), count: 8 }), code: 'read(fd[0], buf, 8);', explain: none },
    { role: 'parent', op: 'close', args: (v) => ({ fd: numberVar(v, 'fd0') }), code: 'close(fd[0]);', explain: none },
  ],
};
