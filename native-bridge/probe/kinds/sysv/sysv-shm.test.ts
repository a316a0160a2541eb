import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { ShmObject } from '../../../model/snapshot-types';
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, sysv } from '../../../libc/sysv';
import { check } from '../../../libc/libc';
import { buildTestContext } from '../../testing/ipc-test-context';
import { type ScriptChild, spawnScript, stopChild } from '../../testing/ipc-test-children';
import { peekShm, sysvShmProbe } from './sysv-shm';

/* ipcs -m: key shmid owner perms bytes nattch status */
function ipcsShm(shmid: number): { key: string; nattch: number; status: string } | null {
  const out = execFileSync('ipcs', ['-m'], { encoding: 'utf8' });
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[1] === String(shmid)) return { key: f[0]!, nattch: Number(f[5]), status: f[6] ?? '' };
  }
  return null;
}

function probeShm(pids: number[], shmid: number): ShmObject | undefined {
  const { objects } = sysvShmProbe.collect(buildTestContext(pids));
  return objects.find((o): o is ShmObject => o.id === `shm:${shmid}`);
}

/* A child that attaches the segment read-write, optionally writes text into it, and stays. */
function attacher(shmid: number, text = ''): Promise<ScriptChild> {
  return spawnScript(`
    const shmat = lib.func('void *shmat(int id, void *addr, int flags)');
    const addr = shmat(${shmid}, null, 0);
    if (addr === 0xffffffffffffffffn) { console.error('shmat failed', koffi.errno()); process.exit(1); }
    const text = ${JSON.stringify(text)};
    if (text) new Uint8Array(koffi.view(addr, text.length)).set(Buffer.from(text));
    keepAlive();
    console.log('ready');
  `);
}

describe('sysvShmProbe', () => {
  const created: number[] = [];
  const children: ScriptChild[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await stopChild(c);
    for (const id of created.splice(0)) sysv.shmctl(id, IPC_RMID, null);
  });

  it('follows nattch 0->1->2->1->0 with exactly the attaching PIDs, as ipcs does', async () => {
    const shmid = check('shmget', sysv.shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0o640));
    created.push(shmid);
    const self = process.pid;

    let obj = probeShm([self], shmid);
    expect(obj).toMatchObject({ nattch: 0, attached: [], cpid: self, size: 8192, mode: 0o640, markedForDeletion: false });
    expect(ipcsShm(shmid)?.nattch).toBe(0);

    const a = await attacher(shmid, 'hello from A');
    children.push(a);
    obj = probeShm([self, a.pid], shmid);
    expect(obj).toMatchObject({ nattch: 1, attached: [a.pid], lpid: a.pid });
    expect(ipcsShm(shmid)?.nattch).toBe(1);
    expect(Buffer.from(obj!.peek!, 'base64').subarray(0, 12).toString()).toBe('hello from A');
    /* an attacher known by PID alone: the segment is found in a fresh read of its maps */
    expect(Buffer.from(peekShm(shmid, 8192, [{ pid: a.pid }], 12)!, 'base64').toString()).toBe('hello from A');

    const b = await attacher(shmid);
    children.push(b);
    obj = probeShm([self, a.pid, b.pid], shmid);
    expect(obj).toMatchObject({ nattch: 2, attached: [a.pid, b.pid].sort((x, y) => x - y), lpid: b.pid });
    expect(ipcsShm(shmid)?.nattch).toBe(2);
    /* the peek went through an attacher's memory: the kernel still names B as last attacher */
    expect(probeShm([self, a.pid, b.pid], shmid)?.lpid).toBe(b.pid);

    await stopChild(a);
    obj = probeShm([self, b.pid], shmid);
    expect(obj).toMatchObject({ nattch: 1, attached: [b.pid] });
    expect(ipcsShm(shmid)?.nattch).toBe(1);

    await stopChild(b);
    obj = probeShm([self], shmid);
    /* nobody attaches: no peek, since a probe shmat would make the probe the lpid */
    expect(obj).toMatchObject({ nattch: 0, attached: [], lpid: b.pid, peek: null });
    expect(ipcsShm(shmid)?.nattch).toBe(0);
    expect(probeShm([self], shmid)?.lpid).toBe(b.pid);
    /* the opt-in read-only attach reads the content, and the kernel then names us as lpid */
    expect(Buffer.from(peekShm(shmid, 8192, [], 12, true)!, 'base64').toString()).toBe('hello from A');
    expect(probeShm([self], shmid)).toMatchObject({ nattch: 0, lpid: self });
  });

  it('a PID-scoped snapshot leaves out segments the PIDs neither created, used nor map', async () => {
    const shmid = check('shmget', sysv.shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600));
    created.push(shmid);
    const other = await spawnScript(`keepAlive(); console.log('ready');`);
    children.push(other);
    expect(probeShm([other.pid], shmid)).toBeUndefined();
    expect(probeShm([process.pid], shmid)).toBeDefined();
    const whole = sysvShmProbe.collect(buildTestContext([], { wholeMachine: true, options: { peekBytes: 0 } }));
    expect(whole.objects.some((o) => o.id === `shm:${shmid}`)).toBe(true);
  });

  it('IPC_RMID while attached: marked for deletion, key 0, gone once the last attacher leaves', async () => {
    const key = 0x1c000000 + Math.floor(Math.random() * 0xffffff);
    const shmid = check('shmget', sysv.shmget(key, 4096, IPC_CREAT | 0o600));
    created.push(shmid);
    const a = await attacher(shmid, 'still here');
    children.push(a);
    expect(probeShm([a.pid], shmid)).toMatchObject({ key, markedForDeletion: false });

    check('shmctl(IPC_RMID)', sysv.shmctl(shmid, IPC_RMID, null));
    const obj = probeShm([a.pid], shmid);
    expect(obj).toMatchObject({ key: 0, nattch: 1, attached: [a.pid], markedForDeletion: true });
    expect(Buffer.from(obj!.peek!, 'base64').subarray(0, 10).toString()).toBe('still here');
    expect(ipcsShm(shmid)).toMatchObject({ key: '0x00000000', nattch: 1, status: 'dest' });

    await stopChild(a);
    expect(ipcsShm(shmid)).toBeNull();
    expect(probeShm([process.pid], shmid)).toBeUndefined();
  });
});
