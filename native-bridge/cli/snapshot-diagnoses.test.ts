/**
 * `ipcscope snapshot` on a real deadlock (two python3 processes, each asleep
 * reading the pipe only the other writes): the table ends with a DIAGNOSES
 * section naming the ring and its evidence, and --json carries the same
 * diagnosis in `diagnoses`. The sleeper's name is hostile (an escape
 * sequence and a newline): the table escapes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../model/snapshot-types';
import { asleepIn, pipeIdOf, python3MissingReason, PythonSituation } from '../diagnose/testing/python-situation';
import { runCli } from './cli-test-support';

const skip = python3MissingReason();
let situation: PythonSituation | null = null;
let a = 0;
let b = 0;
let p1 = '';
let p2 = '';

beforeAll(async () => {
  if (skip) return;
  situation = new PythonSituation(`
import os
r1, w1 = os.pipe()
r2, w2 = os.pipe()
if os.fork() == 0:
    os.close(r1); os.close(w2)
    # a hostile name (PR_SET_NAME): an escape sequence and a newline in the evidence
    import ctypes
    ctypes.CDLL(None).prctl(15, b"evil\\x1b[2J\\nx", 0, 0, 0)
    say("child", os.getpid(), r2)
    os.read(r2, 1); os._exit(0)
os.close(w1); os.close(r2)
say("parent", os.getpid(), r1)
os.read(r1, 1)
`);
  const [parent, r1] = await situation.numbers('parent');
  const [child, r2] = await situation.numbers('child');
  a = parent!;
  b = child!;
  await asleepIn(a, 'anon_pipe_read');
  await asleepIn(b, 'anon_pipe_read');
  p1 = pipeIdOf(a, r1!);
  p2 = pipeIdOf(b, r2!);
});

afterAll(async () => {
  await situation?.kill();
});

describe.skipIf(skip !== null)('ipcscope snapshot: diagnoses', () => {
  it('prints a DIAGNOSES section naming the deadlock ring and who waits on what', async () => {
    const result = await runCli(['snapshot', '--pid', `${a}`, '--tree', '--peek', '0']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    const at = lines.indexOf('DIAGNOSES (1)');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(new RegExp(`^  DEADLOCK: pids (${a} -> ${b}|${b} -> ${a}); (${p1}, ${p2}|${p2}, ${p1})$`));
    expect(lines.slice(at + 2, at + 4).join('\n')).toContain(`- pid ${a} (python3) is asleep in read(`);
    expect(lines.slice(at + 2, at + 4).join('\n')).toContain(`- pid ${b} (evil\\x1b[2J\\nx) is asleep in read(`);
    /* the name the kernel hands over is escaped, never written raw */
    expect(result.stdout).not.toContain('\x1b');
  });

  it('carries the diagnosis in --json', async () => {
    const result = await runCli(['snapshot', '--pid', `${a},${b}`, '--json', '--peek', '0']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as Snapshot;
    expect(snapshot.diagnoses).toEqual([
      { kind: 'deadlock', processes: expect.arrayContaining([a, b]) as number[], objects: expect.arrayContaining([p1, p2]) as string[], evidence: expect.any(Array) as string[], facts: expect.any(Array) as unknown[] },
    ]);
    expect(snapshot.diagnoses![0]!.evidence).toHaveLength(2);
    /* the same evidence as data, one fact a sentence, for the renderer to word */
    expect(snapshot.diagnoses![0]!.facts.map((f) => f.fact)).toEqual(['ring-member', 'ring-member']);
  });
});
