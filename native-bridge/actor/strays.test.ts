/**
 * No stray processes: a child actor whose parent dies while the child is
 * still starting does not live on (PR_SET_PDEATHSIG is set only once Node
 * has started; the child then finds it has a different parent, and exits),
 * and actors run as plain Node on the bundled entry, so no tsx esbuild
 * helper is left behind as a child of an actor.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStat } from '../probe/process/proc-stat';
import { ActorTeam } from './actor-host';
import { alive, until } from './kernel-test-helpers';

let team: ActorTeam | null = null;

afterEach(async () => {
  await team?.dispose();
  team = null;
});

/** [pid, comm] of every process whose parent is `pid`, from /proc/PID/stat. */
function childrenOf(pid: number): [number, string][] {
  const found: [number, string][] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    if (parseStat(stat)?.ppid === pid) found.push([Number(entry), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))]);
  }
  return found;
}

/** The first child the main thread of `pid` has spawned, 0 when none (yet). */
function firstChild(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]) || 0;
  } catch {
    return 0;
  }
}

describe('no stray actors', () => {
  it('a child actor whose parent is killed right after spawn-child is gone and reaped, every time', async () => {
    team = await ActorTeam.start();
    for (let round = 0; round < 6; round++) {
      const parent = await team.spawn(`parent-${round}`);
      const spawning = parent.spawnChild('child').then(
        () => 'ready',
        (err: Error) => err.message,
      );
      let child = 0;
      await until(() => (child = firstChild(parent.pid)) > 0);
      /* the child is still starting Node: no PR_SET_PDEATHSIG yet */
      process.kill(parent.pid, 'SIGKILL');
      await spawning;
      /* gone from /proc: not alive, and not a zombie either (the engine, its subreaper, reaped it) */
      await until(() => !alive(child), 15_000);
    }
  });

  it('actors run as plain node on the bundled entry, and no esbuild process is a child of any actor', async () => {
    team = await ActorTeam.start();
    const parent = await team.spawn('parent');
    const { child } = await parent.spawnChild('child');
    /* one op each: whatever loads lazily in an actor has loaded */
    expect((await parent.call('pipe2')).result).toBe(0);
    expect((await child.call('pipe2')).result).toBe(0);
    for (const actor of [parent, child]) {
      const argv = readFileSync(`/proc/${actor.pid}/cmdline`, 'utf8').split('\0');
      expect(argv).not.toContain('tsx');
      expect(argv.some((arg) => arg.endsWith('.mjs'))).toBe(true);
    }
    expect(childrenOf(parent.pid)).toEqual([[child.pid, expect.any(String)]]);
    expect(childrenOf(child.pid)).toEqual([]);
  });
});
