import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readPipeFill } from '../../probe/kinds/pipes/pipe-reading';
import { borrowOnce } from '../../probe/process/pidfd';
import { readSignals } from '../../probe/process/signals';
import { ActorTeam } from '../actor-host';
import { alive, until } from '../kernel-test-helpers';

let team: ActorTeam | null = null;
afterEach(async () => {
  await team?.dispose();
  team = null;
});

const SIGUSR1 = 10;
const SIGUSR2 = 12;

/** SigBlk of every thread of `pid` (/proc/PID/task/TID/status), as bigints. */
const threadMasks = (pid: number): bigint[] =>
  readdirSync(`/proc/${pid}/task`).map((tid) => BigInt(`0x${/SigBlk:\s+([0-9a-f]+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))![1]}`));
const bit = (signal: number): bigint => 1n << BigInt(signal - 1);
/* bytes queued in a pipe of `pid` (FIONREAD through a descriptor borrowed for microseconds) */
const queued = (pid: number, fd: number): number => borrowOnce(pid, fd, (dup) => readPipeFill(dup))?.queued ?? 0;

describe('signal actor ops, observed in /proc/PID/status', () => {
  it('an actor starts with SIGUSR1 at SIG_DFL; sigaction makes SigCgt gain it', async () => {
    team = await ActorTeam.start();
    const actor = await team.spawn('receiver');
    const pipe = await actor.call('pipe2', {});
    /* after a first reply: the hello goes out before the actor resets its dispositions */
    expect(readSignals(actor.pid)?.caught).not.toContain('SIGUSR1');
    const [, notify] = pipe.data!.fds as number[];
    expect((await actor.call('sigaction', { signal: SIGUSR2, notifyFd: notify })).result).toBe(0);
    expect((await actor.call('sigaction', { signal: SIGUSR1, notifyFd: notify })).result).toBe(0);
    expect(readSignals(actor.pid)?.caught).toEqual(expect.arrayContaining(['SIGUSR1', 'SIGUSR2']));
  });

  it('SIGUSR1 blocked by sigprocmask stays pending for the whole process (ShdPnd) in every thread, and is delivered once when unblocked', async () => {
    team = await ActorTeam.start();
    const actor = await team.spawn('receiver');
    const pipe = await actor.call('pipe2', {});
    const [notes, notify] = pipe.data!.fds as number[];
    await actor.call('sigaction', { signal: SIGUSR1, notifyFd: notify! });
    const blocked = await actor.call('sigprocmask', { how: 'block', signals: [SIGUSR1] });
    expect(blocked).toMatchObject({ result: 0, data: { threadsLetting: [] } });
    /* the trap this solves: every thread, not only the main one, blocks it */
    for (const mask of threadMasks(actor.pid)) expect(mask & bit(SIGUSR1)).toBe(bit(SIGUSR1));

    process.kill(actor.pid, 'SIGUSR1');
    process.kill(actor.pid, 'SIGUSR1');
    await until(() => readSignals(actor.pid)?.sharedPending.includes('SIGUSR1') === true, 30_000);
    expect(readSignals(actor.pid)).toMatchObject({ blocked: ['SIGUSR1'], sharedPending: ['SIGUSR1'], pending: [] });
    expect(alive(actor.pid)).toBe(true);

    expect((await actor.call('sigprocmask', { how: 'unblock', signals: [SIGUSR1] })).result).toBe(0);
    await until(() => readSignals(actor.pid)?.sharedPending.length === 0, 30_000);
    /* the handler's evidence: one byte '1' in the pipe, for two kills (a standard signal is one bit) */
    await until(() => queued(actor.pid, notes!) > 0, 30_000);
    const read = await actor.call('read', { fd: notes!, count: 64 });
    expect(Buffer.from(String(read.data?.bytes), 'base64').toString('latin1')).toBe('1');
  });

  it('rejects a signal it cannot catch, naming the allowed ones', async () => {
    team = await ActorTeam.start();
    const actor = await team.spawn('receiver');
    const reply = await actor.call('sigaction', { signal: 9, notifyFd: 1 });
    expect(reply.result).toBe(-1);
    expect(reply.error).toMatch(/signal must be one of .* \(got 9\)/);
  });
});
