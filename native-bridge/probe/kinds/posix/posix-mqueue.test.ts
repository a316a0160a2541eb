import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MqueueObject } from '../../../model/snapshot-types';
import { O_CREAT, O_EXCL, encodeMqAttr, posix } from '../../../libc/posix-ipc';
import { O_CLOEXEC, O_RDONLY, O_RDWR, check, native } from '../../../libc/libc';
import { buildTestContext } from '../../testing/ipc-test-context';
import { type ScriptChild, spawnScript, stopChild } from '../../testing/ipc-test-children';
import { mqueueMount, mqueueProbe } from './posix-mqueue';

function probe(pids: number[], name: string, wholeMachine = false): { obj: MqueueObject | undefined; targets: Map<string, string> } {
  const { objects, targets } = mqueueProbe.collect(buildTestContext(pids, { wholeMachine }));
  return { obj: objects.find((o): o is MqueueObject => o.id === `mqueue:${name}`), targets };
}

const fdPos = (pid: number, fd: number): number => Number(/^pos:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1'))?.[1]);

/* A child holding the queue write-only, so neither its descriptor nor ours can be read for QSIZE. */
function writeOnlyHolder(name: string): Promise<ScriptChild> {
  return spawnScript(`
    const mqOpen = lib.func('int mq_open(const char *name, int oflag, unsigned int mode, void *attr)');
    const mqd = mqOpen(${JSON.stringify(name)}, 1 | 0o2000000, 0, null);
    if (mqd < 0) process.exit(1);
    keepAlive();
    console.log('ready');
    console.log('mqd', mqd);
  `);
}

describe('mqueueProbe', () => {
  const names: string[] = [];
  const fds: number[] = [];
  const children: ScriptChild[] = [];
  const mounts: string[] = [];
  const files: string[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await stopChild(c);
    for (const fd of fds.splice(0)) native.close(fd);
    for (const n of names.splice(0)) posix.mqUnlink(n);
    for (const dir of mounts.splice(0)) {
      execFileSync('umount', [dir]);
      rmdirSync(dir);
    }
    for (const f of files.splice(0)) unlinkSync(f);
  });

  function makeQueue(): { name: string; mqd: number } {
    const name = `/ipcscope-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const mqd = check('mq_open', posix.mqOpen(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600, encodeMqAttr(5, 64)));
    names.push(name);
    fds.push(mqd);
    check('mq_send', posix.mqSend(mqd, Buffer.from('0123456789'), 10, 1));
    check('mq_send', posix.mqSend(mqd, Buffer.from('x'.repeat(20)), 20, 2));
    return { name, mqd };
  }

  it('reads attributes through a duplicate and QSIZE by pread, without moving the holder\'s file position', async () => {
    const { name, mqd } = makeQueue();
    const { obj, targets } = probe([process.pid], name);
    expect(targets.get(name)).toBe(`mqueue:${name}`);
    expect(obj).toMatchObject({ name, holders: [{ pid: process.pid, fd: mqd, access: 'rw' }], messages: 2, maxMessages: 5, messageSize: 64, queued: 30 });
    expect(fdPos(process.pid, mqd)).toBe(0);

    /* the messages are all still there, highest priority first */
    const buf = new Uint8Array(64);
    expect(posix.mqReceive(mqd, buf, 64, null)).toBe(20);
    expect(posix.mqReceive(mqd, buf, 64, null)).toBe(10);
  });

  it('with only a write-only holder and no mqueue mount, queued is null (unknown), the rest still read', async (ctx) => {
    /* someone mounted one: the "unmounted" state cannot be made here */
    if (mqueueMount() !== null) ctx.skip();
    const { name } = makeQueue();
    const child = await writeOnlyHolder(name);
    children.push(child);
    const { obj } = probe([child.pid], name);
    expect(obj).toMatchObject({ holders: [{ pid: child.pid, access: 'w' }], messages: 2, maxMessages: 5, messageSize: 64, queued: null });
  });

  it('with an mqueue filesystem mounted, QSIZE comes from it and the whole machine lists unheld queues', async () => {
    const { name, mqd } = makeQueue();
    const dir = mkdtempSync('/tmp/ipcscope-mq-');
    execFileSync('mount', ['-t', 'mqueue', 'none', dir]);
    mounts.push(dir);
    expect(mqueueMount()).not.toBeNull();
    const child = await writeOnlyHolder(name);
    children.push(child);
    expect(probe([child.pid], name).obj).toMatchObject({ queued: 30, messages: 2 });
    expect(readFileSync(`${dir}${name}`, 'latin1')).toMatch(/^QSIZE:30\s/);

    await stopChild(child);
    native.close(mqd);
    fds.pop();
    expect(probe([], name, true).obj).toMatchObject({ holders: [], queued: 30, messages: 2, maxMessages: 5 });
  });

  it('a file at the root whose link also reads "/NAME" is not taken for a queue', () => {
    const path = `/ipcscope-test-${process.pid}-file`;
    writeFileSync(path, 'not a queue');
    files.push(path);
    const fd = check('open', native.open(path, O_RDONLY | O_CLOEXEC, 0));
    fds.push(fd);
    const { obj, targets } = probe([process.pid], path);
    expect(obj).toBeUndefined();
    expect(targets.has(path)).toBe(false);
  });
});
