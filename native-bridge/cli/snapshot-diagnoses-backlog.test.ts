/**
 * `ipcscope snapshot` on a real full backlog (a python3 listener, listen(1),
 * never accept(); a client connects three times, the third asleep in
 * unix_wait_for_peer): the DIAGNOSES line lists the processes involved as a
 * set ("pids A, B"), not as a chain ("A -> B" is a deadlock's ring).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backlogListener } from '../diagnose/testing/backlog-listener';
import { asleepIn, python3MissingReason, PythonSituation } from '../diagnose/testing/python-situation';
import { runCli } from './cli-test-support';

const skip = python3MissingReason();
let situation: PythonSituation | null = null;
let server = 0;
let client = 0;

beforeAll(async () => {
  if (skip) return;
  situation = new PythonSituation(backlogListener(1, 3));
  server = (await situation.numbers('listener'))[0]!;
  client = (await situation.numbers('client'))[0]!;
  await asleepIn(client, 'unix_wait_for_peer');
  await asleepIn(server, 'hrtimer_nanosleep');
});

afterAll(async () => {
  await situation?.kill();
});

describe.skipIf(skip !== null)('ipcscope snapshot: a full backlog', () => {
  it('prints the listener and the client asleep in connect() as a set of pids', async () => {
    const result = await runCli(['snapshot', '--pid', `${server},${client}`, '--peek', '0']);
    expect(result.stderr).toBe('');
    const line = result.stdout.split('\n').find((l) => l.startsWith('  LISTENER BACKLOG FULL:'));
    expect(line).toMatch(new RegExp(`^  LISTENER BACKLOG FULL: pids ${server}, ${client}; unix:\\d+$`));
  });
});
