/**
 * "processes.match" on real processes: a `sleep 1000` started with a
 * distinctive argument is found by that argument (its comm is only `sleep`),
 * among PIDs that also name a process that has exited; a text in no command
 * line matches nothing; bad questions are refused with the limit.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CmdlineMatches } from '../model/cmdline-match-types';
import { MATCH_MAX_PIDS } from '../model/commands';
import { PROCESS_QUERY_MAX } from '../model/process-list-types';
import { until } from './session-test-helpers';
import { useSessionsAndChildren } from './testing/session-and-children';

const { children, open } = useSessionsAndChildren();

const cmdlineOf = (pid: number): string[] => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
  } catch {
    return [];
  }
};

/** A `sleep` whose command line carries `mark` (GNU sleep sums its arguments: 1000 + 0.000001), once it has exec'd. */
async function sleeperWith(mark: string): Promise<number> {
  const pid = children.spawn('sleep', ['1000', mark], ['ignore', 'ignore', 'ignore']).pid;
  await until(() => cmdlineOf(pid).includes(mark), 30_000);
  return pid;
}

describe('processes.match', () => {
  it('finds a process by an argument of its command line, where its comm is only the program', async () => {
    const mark = `0.00000${process.pid}`;
    const pid = await sleeperWith(mark);
    const other = await sleeperWith('0.000001');
    // the kernel's view: comm is "sleep", the argument lives only in cmdline
    expect(readFileSync(`/proc/${pid}/comm`, 'latin1').trim()).toBe('sleep');
    expect(cmdlineOf(pid)).toContain(mark);
    const session = await open();
    // a PID of nothing (pid_max is far below it on this machine), and ourselves: neither matches
    const result = await session.handle({ type: 'processes.match', text: `SLEEP ${mark}`, pids: [other, pid, 4_000_000, process.pid] });
    expect(result.ok).toBe(true);
    const answer = (result as { data: CmdlineMatches }).data;
    expect(answer.matches).toEqual([{ pid, cmdline: `sleep 1000 ${mark}` }]);
    expect(answer.total).toBe(1);
    const none = await session.handle({ type: 'processes.match', text: 'no-such-argument-anywhere', pids: [pid, other] });
    expect((none as { data: CmdlineMatches }).data.matches).toEqual([]);
  });

  it('refuses a question that is not bounded text and a bounded list of PIDs', async () => {
    const session = await open();
    const refused = async (command: unknown): Promise<string> => {
      const result = await session.handle(command);
      expect(result.ok).toBe(false);
      return result.ok ? '' : result.error;
    };
    expect(await refused({ type: 'processes.match', text: 'x'.repeat(PROCESS_QUERY_MAX + 1), pids: [1] })).toContain(`at most ${PROCESS_QUERY_MAX}`);
    expect(await refused({ type: 'processes.match', text: '  ', pids: [1] })).toContain('not blank');
    expect(await refused({ type: 'processes.match', text: 'a\nb', pids: [1] })).toContain('control characters');
    expect(await refused({ type: 'processes.match', text: 'sleep', pids: Array.from({ length: MATCH_MAX_PIDS + 1 }, (_, i) => i + 1) })).toContain(`at most ${MATCH_MAX_PIDS}`);
    expect(await refused({ type: 'processes.match', text: 'sleep', pids: [1.5] })).toContain('is not a PID');
    expect(await refused({ type: 'processes.match', text: 'sleep', pids: '1' })).toContain('"pids"');
    expect(await refused({ type: 'processes.match', text: 'sleep', pids: [1], path: '/bin/sh' })).toContain('unexpected field "path"');
  });
});
