import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { readKernelWait } from '../../actor/kernel-wait';
import { parentOf } from '../../actor/reaper';
import { waitpidNoHang } from '../../actor/reaper-libc';
import { errnoName } from '../../libc/errno';
import { lastErrno } from '../../libc/libc';
import { posix } from '../../libc/posix-ipc';
import { IPC_RMID, sysv } from '../../libc/sysv';
import { ipcRace } from './ipc-race';
import { msgRow } from '../queues/msgq-claims';
import { semRow } from '../shared-memory/sem-claims';
import { shmRow } from '../shared-memory/shm-claims';
import { LessonRun, until } from '../testing/lesson-run';

let run: LessonRun | null = null;
const seen = { msg: new Set<number>(), shm: new Set<number>(), sem: new Set<number>() };
afterEach(async () => {
  await run?.runner.dispose();
  run = null;
  for (const id of seen.msg) if (msgRow(id)) sysv.msgctl(id, IPC_RMID, null);
  for (const id of seen.shm) if (shmRow(id)) sysv.shmctl(id, IPC_RMID, null);
  for (const id of seen.sem) if (semRow(id)) sysv.semctlInt(id, 0, IPC_RMID, 0);
});

/** Socket inodes the process holds (/proc/PID/fd links "socket:[N]"). */
function socketInodes(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`)
      .map((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return '';
        }
      })
      .flatMap((link) => /^socket:\[(\d+)\]$/.exec(link)?.[1] ?? []);
  } catch {
    return [];
  }
}

/** Rows of /proc/net/tcp (what `ss -tan` lists) whose inode is one of these: [local address, state hex]. */
function tcpRows(inodes: Set<string>): string[][] {
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length > 9 && inodes.has(cols[9]!))
    .map((cols) => [cols[1]!, cols[3]!]);
}

const ids = (run: LessonRun, kind: string): number =>
  Number(run.runner.view(false, 1).objects.find((o) => o.startsWith(`${kind}:`))?.split(':')[1] ?? NaN);

const stepOf = (code: string): number => run!.runner.steps.findIndex((s) => s.code.startsWith(code));

/* what the kernel shows the echo doing before the racer sends: wchan (prefix) and syscall number */
const echoAsleep: [string, string, number][] = [
  ['echo_fd(to[0]', 'anon_pipe_read', 0],
  ['echo_fifo(', 'wait_for_partner', 257],
  ['echo_fd(sv[1]', 'unix_stream_read_generic', 0],
  ['echo_tcp(', 'inet_csk_accept', 288],
  ['echo_msgq(', 'do_msgrcv', 70],
  ['echo_shm(', '__do_semtimedop', 220],
  ['echo_mq(', 'wq_sleep', 243],
];

describe('the IPC race', () => {
  it('moves exactly the bytes given through all seven mechanisms (checksums equal), with the echo asleep in each one\'s own wait; numbers in the view; nothing left', async () => {
    run = await LessonRun.start(ipcRace, { size: '64', kib: 16 });
    run.runner.questionsOn = false;
    const view = () => run!.runner.view(false, 1);
    const messages = 256;
    const inodes = new Set<string>();
    for (const [code, wchan, syscall] of echoAsleep) {
      const echoStep = stepOf(code);
      await run.stepTo(echoStep + 1);
      const role = run.runner.steps[echoStep]!.role;
      const echo = run.pid(role);
      await until(() => {
        const wait = readKernelWait(echo);
        return wait?.state === 'S' && wait.wchan.startsWith(wchan) && wait.syscallNr === syscall;
      }, 30_000);
      expect(view().steps[echoStep]!.status).toBe('blocked');
      if (code === 'echo_tcp(') for (const inode of socketInodes(echo)) inodes.add(inode);
      if (code === 'echo_msgq(') {
        /* ipcs -q: the queue is there, empty */
        expect(msgRow(ids(run, 'msg'))).toMatchObject({ qnum: 0 });
        seen.msg.add(ids(run, 'msg'));
        seen.shm.add(ids(run, 'shm'));
        seen.sem.add(ids(run, 'sem'));
      }
      await run.step();
      await until(() => view().steps[echoStep]!.status === 'done' && view().steps[echoStep + 1]!.status === 'done', 60_000);
    }
    /* a TCP listener on 127.0.0.1 (state 0A) was among the echo's sockets */
    expect(tcpRows(inodes).some(([local, state]) => local!.startsWith('0100007F:') && state === '0A')).toBe(true);
    await run.stepTo(run.runner.steps.length);
    await until(() => run!.runner.finished, 60_000);
    expect(view().error).toBeNull();

    const race = view().race!;
    expect(race).toMatchObject({ size: 64, messages });
    expect(race.entries.map((e) => e.mechanism)).toEqual(['pipe', 'fifo', 'unix', 'tcp', 'msgq', 'shm', 'mq']);
    for (const entry of race.entries) {
      expect(entry.skipped, entry.mechanism).toBeNull();
      expect(entry.bytesSent, entry.mechanism).toBe(messages * 64);
      expect(entry.bytesReceived, entry.mechanism).toBe(messages * 64);
      expect(entry.checksumReceived, entry.mechanism).toBe(entry.checksumSent);
      expect(entry.checksumSent).toMatch(/^[0-9a-f]{8}$/);
      expect(entry.inOrder, entry.mechanism).toBe(true);
      expect(entry.bytesPerSecond, entry.mechanism).toBeGreaterThan(0);
      expect(entry.rttP95Us, entry.mechanism).toBeGreaterThanOrEqual(entry.rttMedianUs);
      /* one call a side per 64-byte message; shared memory: two semops a side */
      expect(entry.syscallsPerMessage, entry.mechanism).toBe(entry.mechanism === 'shm' ? 4 : 2);
      /* voluntary_ctxt_switches of the two loops' threads: a count the kernel keeps, at most one sleep per call (a margin for the odd wait of Node's own, e.g. on a GC helper) */
      expect(entry.sleepsPerMessage, entry.mechanism).toBeGreaterThanOrEqual(0);
      expect(entry.sleepsPerMessage, entry.mechanism).toBeLessThanOrEqual(entry.syscallsPerMessage + 0.5);
    }
    expect(view().claims[0]!.verdict?.holds).toMatch(/^(holds|partly|differs)$/);
    /* each mechanism's payload came from its own seed: seven different checksums */
    expect(new Set(race.entries.map((e) => e.checksumSent)).size).toBe(7);
    /* the POSIX queues are nowhere in the machine's IPC namespace (they lived in the racer's own, and the racer unlinked them) */
    const dir = run.runner.dir!;
    expect(readFileSync(`${dir}/.posix-mq`, 'utf8').split('\n').filter(Boolean)).toEqual(['to', 'back'].map((end) => `/ipcscope-race-${end}-${dir.slice(-6)}`));
    for (const end of ['to', 'back']) {
      expect(posix.mqOpen(`/ipcscope-race-${end}-${dir.slice(-6)}`, 0, 0, null)).toBe(-1);
      expect(errnoName(lastErrno())).toBe('ENOENT');
    }
    /* the racer removed the three System V objects itself */
    for (const id of seen.msg) expect(msgRow(id)).toBeNull();
    for (const id of seen.shm) expect(shmRow(id)).toBeNull();
    for (const id of seen.sem) expect(semRow(id)).toBeNull();
    await run.disposeAndCheck();
    run = null;
    expect(tcpRows(inodes)).toEqual([]);
  }, 240_000);

  it('at 64 KiB the System V queue is refused by msgmax (EINVAL, named in the result) and the others still move every byte', async () => {
    run = await LessonRun.start(ipcRace, { size: '65536', kib: 256 });
    run.runner.questionsOn = false;
    await run.stepTo(run.runner.steps.length);
    await until(() => run!.runner.finished, 120_000);
    const race = run.runner.view(false, 1).race!;
    const msgmax = Number(readFileSync('/proc/sys/kernel/msgmax', 'utf8').trim());
    const msgq = race.entries.find((e) => e.mechanism === 'msgq')!;
    expect(msgq.skipped).toEqual({ limit: 'msgmax', value: msgmax, refusedWith: 'EINVAL' });
    for (const entry of race.entries.filter((e) => e.skipped === null)) {
      expect(entry.bytesReceived, entry.mechanism).toBe(4 * 65536);
      expect(entry.checksumReceived, entry.mechanism).toBe(entry.checksumSent);
    }
    expect(race.entries.find((e) => e.mechanism === 'shm')).toMatchObject({ kernelCopies: 0, userCopies: 1 });
    await run.disposeAndCheck();
    run = null;
  }, 240_000);

  it('stopped half-way, with the echo asleep in semop, leaves no process, queue, segment, set or directory', async () => {
    run = await LessonRun.start(ipcRace, { size: '64', kib: 16 });
    run.runner.questionsOn = false;
    const echoShm = stepOf('echo_shm(');
    await run.stepTo(echoShm + 1);
    const [msqid, shmid, semid] = [ids(run, 'msg'), ids(run, 'shm'), ids(run, 'sem')];
    seen.msg.add(msqid);
    seen.shm.add(shmid);
    seen.sem.add(semid);
    await until(() => readKernelWait(run!.pid('echo'))?.wchan === '__do_semtimedop', 30_000);
    expect(shmRow(shmid)!.nattch).toBe(1);
    await run.disposeAndCheck();
    run = null;
    expect(msgRow(msqid)).toBeNull();
    expect(semRow(semid)).toBeNull();
    await until(() => shmRow(shmid) === null);
  }, 120_000);

  it('an engine killed with SIGKILL leaves no queue, segment or set: the watchdog runs ipcrm', async () => {
    const engine = spawn(process.execPath, ['--import', 'tsx', new URL('../testing/race-engine-fixture.ts', import.meta.url).pathname], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: engine.stdout! }).once('line', resolve);
        engine.once('exit', (code) => reject(new Error(`engine exited early (${code})`)));
      });
      const { dir, pids, watchdog, msqid, shmid, semid, echo } = JSON.parse(line) as {
        dir: string;
        pids: number[];
        watchdog: number;
        msqid: number;
        shmid: number;
        semid: number;
        echo: number;
      };
      seen.msg.add(msqid);
      seen.shm.add(shmid);
      seen.sem.add(semid);
      expect(msgRow(msqid)).not.toBeNull();
      expect(semRow(semid)).not.toBeNull();
      const inodes = new Set(socketInodes(echo));
      expect(tcpRows(inodes).length).toBeGreaterThan(0);
      engine.kill('SIGKILL');
      await until(() => msgRow(msqid) === null && semRow(semid) === null && shmRow(shmid) === null && !existsSync(dir), 20_000);
      const dead = (pid: number): boolean => {
        if (parentOf(pid) === process.pid) waitpidNoHang(pid);
        const wait = readKernelWait(pid);
        return wait === null || wait.state === 'Z';
      };
      await until(() => [...pids, watchdog].every(dead), 20_000);
      expect(tcpRows(inodes)).toEqual([]);
    } finally {
      engine.kill('SIGKILL');
    }
  }, 120_000);
});
