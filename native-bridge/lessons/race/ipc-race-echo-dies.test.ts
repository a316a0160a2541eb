/**
 * The echo dies mid-race: the racer's step ends with the kernel's account
 * (the echo's PID, the signal that killed it as waitid tells its parent, the
 * call the racer was waiting in and the mechanism), the racer is free again,
 * and a stop leaves nothing: no process, no System V object, no POSIX queue,
 * no directory.
 *
 * The echo is stopped (SIGSTOP) before the racer starts, so the racer is
 * surely asleep in the race's own wait when the test kills the echo: read
 * from /proc, never timed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { errnoName } from '../../libc/errno';
import { lastErrno } from '../../libc/libc';
import { posix } from '../../libc/posix-ipc';
import { IPC_RMID, sysv } from '../../libc/sysv';
import { msgRow } from '../queues/msgq-claims';
import { semRow } from '../shared-memory/sem-claims';
import { shmRow } from '../shared-memory/shm-claims';
import { LessonRun, until } from '../testing/lesson-run';
import { ipcRace } from './ipc-race';

let run: LessonRun | null = null;
const made = { msg: [] as number[], shm: [] as number[], sem: [] as number[] };
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
  for (const id of made.msg.splice(0)) if (msgRow(id)) sysv.msgctl(id, IPC_RMID, null);
  for (const id of made.shm.splice(0)) if (shmRow(id)) sysv.shmctl(id, IPC_RMID, null);
  for (const id of made.sem.splice(0)) if (semRow(id)) sysv.semctlInt(id, 0, IPC_RMID, 0);
});

/* x86_64: read 0, write 1, msgsnd 69, msgrcv 70, mq_timedsend 242, mq_timedreceive 243 */
const cases = [
  /* the racer holds both pipes' other ends too (inherited by the echo, never closed): no EOF, no EPIPE, it would wait forever */
  { mech: 'pipe', echoCode: 'echo_fd(to[0]', syscalls: [0, 1], calls: /in (read|write) on the two pipes/ },
  { mech: 'msgq', echoCode: 'echo_msgq(', syscalls: [69, 70], calls: /in (msgsnd|msgrcv) on the System V message queue/ },
  { mech: 'mq', echoCode: 'echo_mq(', syscalls: [242, 243], calls: /in (mq_send|mq_receive) on the POSIX message queues/ },
] as const;

/** Rows of `ipcs` whose id is one of these, System V queue, segment and set. */
function ipcsRows(ids: typeof made): string[] {
  const rows = (file: string, ours: number[]): string[] =>
    readFileSync(`/proc/sysvipc/${file}`, 'utf8')
      .split('\n')
      .slice(1)
      .filter((line) => ours.includes(Number(line.trim().split(/\s+/)[1])));
  return [...rows('msg', ids.msg), ...rows('shm', ids.shm), ...rows('sem', ids.sem)];
}

describe('the IPC race when the echo dies', () => {
  it.each(cases)('$mech: SIGKILL to the echo while the racer waits ends the racer\'s step with the echo\'s PID and signal; stop leaves nothing', async ({ mech, echoCode, syscalls, calls }) => {
    run = await LessonRun.start(ipcRace, { size: '64', kib: 16 });
    run.runner.questionsOn = false;
    const echoStep = run.runner.steps.findIndex((s) => s.code.startsWith(echoCode));
    await run.stepTo(echoStep + 1);
    const view = () => run!.runner.view(false, 1);
    const ids = (kind: string): number[] => view().objects.filter((o) => o.startsWith(`${kind}:`)).map((o) => Number(o.split(':')[1]));
    made.msg.push(...ids('msg'));
    made.shm.push(...ids('shm'));
    made.sem.push(...ids('sem'));
    const echoRole = run.runner.steps[echoStep]!.role;
    const echo = run.pid(echoRole);
    const racer = run.pid('racer');
    await until(() => view().steps[echoStep]!.status === 'blocked', 30_000);

    /* the echo stopped: the racer fills the queue and sleeps in the race's own wait */
    process.kill(echo, 'SIGSTOP');
    await until(() => readKernelWait(echo)?.state === 'T', 10_000);
    const racing = run.runner.step();
    await until(() => {
      const wait = readKernelWait(racer);
      return wait?.state === 'S' && syscalls.includes(wait.syscallNr as never);
    }, 30_000);
    process.kill(echo, 'SIGKILL');

    const outcome = await racing;
    expect(outcome).toEqual({ index: echoStep + 1, status: 'failed' });
    const error = view().error!;
    expect(error).toMatch(new RegExp(`^race_${mech} failed: EINTR \\(the ${echoRole} \\(PID ${echo}\\) was killed by signal 9 \\(SIGKILL\\)`));
    expect(error).toMatch(calls);
    expect(view().errorText?.['zh-Hans']).toMatch(new RegExp(`^race_${mech} 失败：EINTR（${echoRole}（PID ${echo}）被信号 9（SIGKILL）终止，当时 racer 正在`));
    /* the echo's own step: no return, the same signal */
    await until(() => view().steps[echoStep]!.status === 'failed', 10_000);
    expect(view().steps[echoStep]!.result).toBe('no return: the process died: killed by signal 9 (SIGKILL)');
    expect(view().steps[echoStep]!.resultText?.['zh-Hant']).toBe('沒有返回：行程已死，遭訊號 9（SIGKILL）終止');
    /* the racer's wait ended for real: it is back between calls, its echo a zombie it has not waited for yet (WNOWAIT) */
    await until(() => view().idleRoles.includes('racer'), 10_000);
    expect(readKernelWait(racer)?.state).toMatch(/^[SR]$/);
    expect(readKernelWait(echo)?.state).toBe('Z');

    const dir = run.runner.dir!;
    await run.disposeAndCheck();
    run = null;
    await until(() => ipcsRows(made).length === 0, 10_000);
    for (const end of ['to', 'back']) {
      expect(posix.mqOpen(`/ipcscope-race-${end}-${dir.slice(-6)}`, 0, 0, null)).toBe(-1);
      expect(errnoName(lastErrno())).toBe('ENOENT');
    }
    /* no mount of the lesson's directory left in any namespace we can see, no process in the racer's */
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(dir);
    for (const pid of [racer, echo]) expect(readdirSync('/proc').includes(String(pid))).toBe(false);
  }, 240_000);
});
