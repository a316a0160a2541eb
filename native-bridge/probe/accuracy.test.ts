/**
 * The whole probe against the usual tools, on ONE real mixed state (see
 * accuracy-state.ts): a 3-cat pipeline, a FIFO with a reader and a writer, a
 * socketpair with queued bytes, a listener with 2 pending clients, a System V
 * segment attached twice, a queue with 3 messages and a semaphore set with a
 * process asleep in semop. A PID-scoped and a whole-machine snapshot are
 * compared with `lsof -n +E -F`, `ss -xpa`, `ipcs`, /proc/sysvipc/* and each
 * process's /proc/PID/{stat,wchan,syscall,maps}.
 */
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKernelWait } from '../actor/kernel-wait';
import type { Holder, IpcObject, MsgQueueObject, PipeObject, ProcessInfo, SemSetObject, ShmObject, Snapshot, UnixSocketObject } from '../model/snapshot-types';
import { snapshotContractProblems } from './testing/accuracy-contract';
import { LISTEN_BACKLOG, MESSAGES, MixedState, PAIR_TEXT, SHM_TEXT } from './testing/accuracy-state';
import { ipcsSemaphores, ipcsTable, lsofAccess, lsofFiles, lsofObjectId, sysvipcRow, type LsofFile } from './testing/accuracy-tools';
import { takeSnapshot } from './sampler';
import { ssUnix, type SsLine } from './testing/socket-test-context';

let state: MixedState;
let scoped: Snapshot;
let whole: Snapshot;
let lsof: LsofFile[];
let ss: Map<number, SsLine>;

beforeAll(async () => {
  state = new MixedState();
  try {
    await state.build();
  } catch (error) {
    await state.dispose();
    throw error;
  }
  scoped = takeSnapshot({ pids: state.pids });
  lsof = lsofFiles(state.pids).filter((f) => lsofObjectId(f) !== null);
  ss = ssUnix();
  whole = takeSnapshot({ all: true });
  // a loaded machine (two busy cores, a thousand more processes) starts the
  // state's processes slowly, and lsof +E reads every process: bounded, generously
}, 180_000);

afterAll(async () => {
  await state?.dispose();
});

const key = (h: Holder): string => `${h.pid}/${h.fd}/${h.access}`;
const keys = (holders: Holder[]): string[] => holders.map(key).sort();

function processOf(snapshot: Snapshot, pid: number): ProcessInfo {
  const p = snapshot.processes.find((x) => x.pid === pid);
  expect(p, `process ${pid} in the snapshot`).toBeDefined();
  return p!;
}
function objectOf<T extends IpcObject>(snapshot: Snapshot, id: string): T {
  const o = snapshot.objects.find((x) => x.id === id);
  expect(o, `object ${id} in the snapshot`).toBeDefined();
  return o as T;
}
function objectIdOfFd(snapshot: Snapshot, pid: number, fd: number): string {
  const entry = processOf(snapshot, pid).fds.find((f) => f.fd === fd);
  expect(entry, `fd ${fd} of ${pid}`).toBeDefined();
  return entry!.object;
}
/** lsof's records as holders, per object id. */
function lsofHolders(files: LsofFile[]): Map<string, Holder[]> {
  const out = new Map<string, Holder[]>();
  for (const f of files) {
    const id = lsofObjectId(f)!;
    out.set(id, [...(out.get(id) ?? []), { pid: f.pid, fd: f.fd!, access: lsofAccess(f.access)! }]);
  }
  return out;
}
function isActor(pid: number): boolean {
  return [state.pairA.pid, state.pairB.pid, state.server.pid].includes(pid);
}
function statOf(pid: number): { ppid: number; comm: string; state: string } {
  const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')), state: rest[0]!, ppid: Number(rest[1]) };
}

describe('the probe on one mixed IPC state, compared with lsof, ss, ipcs and /proc', () => {
  it('keeps the JSON contract: field names of processes, fds, blocked, objects and holders; plain JSON', () => {
    const ids = new Set(scoped.objects.map((o) => o.id));
    expect(snapshotContractProblems(scoped, new Set(state.pids), ids)).toEqual([]);
    expect(snapshotContractProblems(whole, new Set(state.pids), ids)).toEqual([]);
    expect(JSON.parse(JSON.stringify(scoped))).toEqual(scoped);
    expect(scoped.problems).toEqual([]);
    /* every IPC descriptor names an object of the snapshot that lists it as a holder, and back */
    for (const p of scoped.processes) {
      for (const fd of p.fds.filter((f) => /^(pipe|fifo|unix):/.test(f.object))) {
        expect(keys(objectOf(scoped, fd.object).holders)).toContain(key({ pid: p.pid, fd: fd.fd, access: fd.access }));
      }
    }
    for (const o of scoped.objects) {
      for (const h of o.holders.filter((x) => state.pids.includes(x.pid))) expect(objectIdOfFd(scoped, h.pid, h.fd)).toBe(o.id);
    }
  });

  it('lists every process with the pid, ppid, comm and state of /proc/PID/stat, and the family tree', () => {
    for (const pid of state.pids) {
      const p = processOf(scoped, pid);
      const kernel = statOf(pid);
      expect({ pid: p.pid, ppid: p.ppid, comm: p.comm, readable: p.readable }).toEqual({ pid, ppid: kernel.ppid, comm: kernel.comm, readable: true });
      /* an actor idling in epoll_pwait may be running for an instant; the others sleep for good */
      if (isActor(pid)) expect(['S', 'R']).toContain(p.state);
      else expect(p.state).toBe(kernel.state);
    }
    expect(processOf(scoped, state.sh).ppid).toBe(process.pid);
    for (const cat of state.cats) expect(processOf(scoped, cat)).toMatchObject({ ppid: state.sh, comm: 'cat', state: 'S' });
    expect(processOf(scoped, state.pairB.pid).ppid).toBe(state.pairA.pid);
    expect(processOf(scoped, state.fifoWriter).comm).toBe('sleep');
  });

  it('lsof: every pipe/FIFO/unix descriptor lsof lists for these processes is a holder, and every holder among them is in lsof', () => {
    const ours = lsof.filter((f) => state.pids.includes(f.pid));
    expect(ours.length).toBeGreaterThan(20);
    for (const [id, holders] of lsofHolders(ours)) {
      const o = objectOf(scoped, id);
      for (const h of holders) expect(keys(o.holders), `${id} held by ${key(h)}`).toContain(key(h));
    }
    const fromLsof = new Set(ours.map((f) => `${lsofObjectId(f)} ${f.pid}/${f.fd}/${lsofAccess(f.access)}`));
    for (const o of scoped.objects.filter((x) => /^(pipe|fifo|unix)$/.test(x.kind))) {
      for (const h of o.holders.filter((x) => state.pids.includes(x.pid))) expect(fromLsof, `lsof lists ${o.id} ${key(h)}`).toContain(`${o.id} ${key(h)}`);
    }
  });

  it('lsof +E: the far ends in other processes (this test process) are holders in the whole-machine snapshot', () => {
    const endpoints = lsof.filter((f) => !state.pids.includes(f.pid));
    /* the pipeline's input pipe, and the actors' control and stdio sockets, are held here */
    expect(endpoints.some((f) => f.pid === process.pid && f.fd === state.pipelineInput && f.access === 'w')).toBe(true);
    for (const [id, holders] of lsofHolders(endpoints)) {
      for (const h of holders) expect(keys(objectOf(whole, id).holders), `${id} held by ${key(h)}`).toContain(key(h));
    }
  });

  it('lsof +E: pipe and FIFO far ends in other processes are holders in the PID-scoped snapshot too', () => {
    const endpoints = lsof.filter((f) => !state.pids.includes(f.pid) && f.type === 'FIFO');
    expect(endpoints.length).toBeGreaterThan(0);
    for (const [id, holders] of lsofHolders(endpoints)) {
      for (const h of holders) expect(keys(objectOf(scoped, id).holders), `${id} held by ${key(h)}`).toContain(key(h));
    }
  });

  /* the far end has its own inode: found by the probe's socket-peer holder search, not by the same-target one */
  it('lsof +E: the holder of a unix socket\'s peer in another process (this test process) is in the PID-scoped snapshot', () => {
    const endpoints = lsof.filter((f) => !state.pids.includes(f.pid) && f.type === 'unix');
    expect(endpoints.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const [id, holders] of lsofHolders(endpoints)) {
      const o = scoped.objects.find((x) => x.id === id);
      for (const h of holders) if (!o || !keys(o.holders).includes(key(h))) missing.push(`${id} ${key(h)}`);
    }
    expect(missing).toEqual([]);
  });

  it('pipeline: each cat reads the pipe the previous one writes, asleep in read on fd 0 (anon_pipe_read)', () => {
    const [first, second, third] = state.cats as [number, number, number];
    const input = objectIdOfFd(scoped, first, 0);
    expect(objectIdOfFd(scoped, state.sh, 0)).toBe(input);
    expect(objectIdOfFd(scoped, first, 1)).toBe(objectIdOfFd(scoped, second, 0));
    expect(objectIdOfFd(scoped, second, 1)).toBe(objectIdOfFd(scoped, third, 0));
    const inputPipe = objectOf<PipeObject>(scoped, input);
    expect(keys(inputPipe.holders)).toEqual(keys([
      { pid: process.pid, fd: state.pipelineInput, access: 'w' },
      { pid: state.sh, fd: 0, access: 'r' },
      { pid: first, fd: 0, access: 'r' },
    ]));
    for (const cat of state.cats) {
      const id = objectIdOfFd(scoped, cat, 0);
      const pipe = objectOf<PipeObject>(scoped, id);
      /* F_GETPIPE_SZ of a fresh pipe: 65536 (16 pages); the cats drained everything */
      expect(pipe).toMatchObject({ kind: 'pipe', inode: Number(id.slice(5)), capacity: 65536, queued: 0 });
      expect(pipe.readers).toBe(pipe.holders.filter((h) => h.access === 'r').length);
      expect(pipe.writers).toBe(pipe.holders.filter((h) => h.access === 'w').length);
      expect(processOf(scoped, cat).blocked).toEqual({ op: 'read', syscall: 'read', syscallNr: 0, fd: 0, wchan: 'anon_pipe_read', object: id });
    }
    expect(processOf(scoped, state.sh).blocked).toMatchObject({ op: 'wait', syscall: 'wait4', wchan: 'do_wait' });
  });

  it('FIFO: one object for the path (inode of stat), the reader asleep in read on it, the writer holding it open', () => {
    const inode = statSync(state.fifoPath).ino;
    const fifo = objectOf<PipeObject>(scoped, `fifo:${inode}`);
    expect(fifo).toMatchObject({ kind: 'fifo', inode, path: state.fifoPath, readers: 1, writers: 1, capacity: 65536, queued: 0 });
    expect(keys(fifo.holders)).toEqual(keys([
      { pid: state.fifoReader, fd: 3, access: 'r' },
      { pid: state.fifoWriter, fd: 1, access: 'w' },
    ]));
    expect(lsof.filter((f) => f.inode === inode).map((f) => f.name.split(' ')[0])).toEqual([state.fifoPath, state.fifoPath]);
    expect(processOf(scoped, state.fifoReader).blocked).toEqual({ op: 'read', syscall: 'read', syscallNr: 0, fd: 3, wchan: 'anon_pipe_read', object: fifo.id });
    expect(processOf(scoped, state.fifoWriter).blocked).toMatchObject({ op: 'sleep', wchan: 'hrtimer_nanosleep' });
  });

  it('socketpair vs ss -xpa: inodes, peers, the receive queue and the queued bytes themselves', () => {
    const [aFd, bFd] = state.pairFds;
    const aId = objectIdOfFd(scoped, state.pairA.pid, aFd);
    const bId = objectIdOfFd(scoped, state.pairB.pid, bFd);
    const a = objectOf<UnixSocketObject>(scoped, aId);
    const b = objectOf<UnixSocketObject>(scoped, bId);
    expect(a).toMatchObject({ kind: 'unix', type: 'stream', state: 'ESTAB', peer: bId, queued: 0, holders: [{ pid: state.pairA.pid, fd: aFd, access: 'rw' }] });
    expect(b).toMatchObject({ kind: 'unix', type: 'stream', state: 'ESTAB', peer: aId, queued: PAIR_TEXT.length, holders: [{ pid: state.pairB.pid, fd: bFd, access: 'rw' }] });
    expect(Buffer.from(b.peek!, 'base64').toString()).toBe(PAIR_TEXT);
    for (const o of [a, b]) {
      /* ss -xpa: netid state Recv-Q Send-Q local-name local-inode peer-name peer-inode users */
      const line = ss.get(o.inode)!;
      expect(line.fields.slice(0, 3)).toEqual(['u_str', 'ESTAB', String(o.queued)]);
      expect(`unix:${line.fields[7]}`).toBe(o.peer);
      expect(line.line).toContain(`pid=${o.holders[0]!.pid},fd=${o.holders[0]!.fd})`);
    }
  });

  it('listener vs ss -xpa: path, 2 pending connections, backlog 4; the pending clients have no peer socket yet', () => {
    const id = objectIdOfFd(scoped, state.server.pid, state.listenerFd);
    const listener = objectOf<UnixSocketObject>(scoped, id);
    expect(listener).toMatchObject({ kind: 'unix', type: 'stream', state: 'LISTEN', path: state.listenerPath, pending: 2, backlog: LISTEN_BACKLOG });
    expect(keys(listener.holders)).toEqual([key({ pid: state.server.pid, fd: state.listenerFd, access: 'rw' })]);
    const line = ss.get(listener.inode)!;
    /* on a listener, Recv-Q is the accept queue and Send-Q the backlog */
    expect(line.fields.slice(0, 5)).toEqual(['u_str', 'LISTEN', '2', String(LISTEN_BACKLOG), state.listenerPath]);
    expect(line.line).toContain(`pid=${state.server.pid},fd=${state.listenerFd})`);
    for (const fd of state.clientFds) {
      const client = objectOf<UnixSocketObject>(scoped, objectIdOfFd(scoped, state.client.pid, fd));
      const seen = ss.get(client.inode)!;
      /* the kernel's peer for an unaccepted client has no inode: ss prints 0; the probe names the listener it waits in */
      expect(seen.fields.slice(0, 3)).toEqual(['u_str', 'ESTAB', '0']);
      expect(seen.fields[7]).toBe('0');
      expect(client).toMatchObject({ state: 'ESTAB', queued: 0, peer: id, holders: [{ pid: state.client.pid, fd, access: 'rw' }] });
    }
  });

  it('shm vs ipcs -m, /proc/sysvipc/shm and /proc/PID/maps: nattch 2, the two attachers, size, cpid, lpid, content', () => {
    const shm = objectOf<ShmObject>(scoped, `shm:${state.shmid}`);
    const ipcs = ipcsTable('m').get(state.shmid)!;
    const row = sysvipcRow('shm', 'shmid', state.shmid)!;
    /* ipcs -m: key shmid owner perms bytes nattch */
    expect([shm.size, shm.nattch, shm.mode]).toEqual([Number(ipcs[4]), Number(ipcs[5]), parseInt(ipcs[3]!, 8)]);
    expect(shm).toMatchObject({ size: 4096, nattch: 2, key: Number(row.key), owner: Number(row.uid), cpid: Number(row.cpid), lpid: Number(row.lpid), markedForDeletion: false });
    expect([shm.cpid, shm.lpid]).toEqual([state.pairA.pid, state.pairB.pid]);
    const mapping = new RegExp(`\\s${state.shmid}\\s+/SYSV`);
    const mappers = state.pids.filter((pid) => mapping.test(readFileSync(`/proc/${pid}/maps`, 'latin1'))).sort((x, y) => x - y);
    expect(shm.attached).toEqual(mappers);
    expect(mappers).toEqual([state.pairA.pid, state.pairB.pid].sort((x, y) => x - y));
    for (const pid of mappers) expect(processOf(scoped, pid).maps).toContain(shm.id);
    expect(Buffer.from(shm.peek!, 'base64').subarray(0, SHM_TEXT.length).toString()).toBe(SHM_TEXT);
  });

  it('message queue vs ipcs -q and /proc/sysvipc/msg: 3 messages, their bytes, the last sender, the messages themselves', () => {
    const msg = objectOf<MsgQueueObject>(scoped, `msg:${state.msqid}`);
    const ipcs = ipcsTable('q').get(state.msqid)!;
    const row = sysvipcRow('msg', 'msqid', state.msqid)!;
    const bytes = MESSAGES.reduce((sum, m) => sum + m.text.length, 0);
    /* ipcs -q: key msqid owner perms used-bytes messages */
    expect([msg.bytes, msg.messages]).toEqual([Number(ipcs[4]), Number(ipcs[5])]);
    expect(msg).toMatchObject({ messages: 3, bytes, queued: bytes, lastSender: state.server.pid, lastReceiver: 0, waitingSenders: [], waitingReceivers: [] });
    expect([msg.messages, msg.bytes, msg.lastSender, msg.lastReceiver]).toEqual([Number(row.qnum), Number(row.cbytes), Number(row.lspid), Number(row.lrpid)]);
    /* a new queue's limit is msgmnb */
    expect(msg.maxBytes).toBe(Number(readFileSync('/proc/sys/kernel/msgmnb', 'latin1')));
    expect(msg.firstMessages).toEqual(MESSAGES.map((m) => ({ type: m.type, bytes: m.text.length, peek: Buffer.from(m.text).toString('base64') })));
  });

  it('semaphore set vs ipcs -s -i: value 0, one waiter for increase, and that waiter asleep in semtimedop on it', () => {
    const sem = objectOf<SemSetObject>(scoped, `sem:${state.semid}`);
    const values = ipcsSemaphores(state.semid);
    expect(values).toEqual([{ value: 0, ncount: 1, zcount: 0, pid: 0 }]);
    expect(sem.semaphores).toEqual(values.map((v) => ({ value: v.value, waitingForIncrease: v.ncount, waitingForZero: v.zcount, lastPid: v.pid })));
    expect(Number(ipcsTable('s').get(state.semid)![4])).toBe(sem.semaphores.length);
    expect(Number(sysvipcRow('sem', 'semid', state.semid)!.nsems)).toBe(1);
    expect(sem.waiting).toEqual([state.client.pid]);
    expect(processOf(scoped, state.client.pid).blocked).toEqual({
      op: 'semop',
      syscall: 'semtimedop',
      syscallNr: 220,
      fd: null,
      wchan: '__do_semtimedop',
      object: sem.id,
    });
  });

  it('every blocked process agrees with /proc/PID/wchan and /proc/PID/syscall (number, and arg0 as fd or semid)', () => {
    const steady = [state.sh, ...state.cats, state.fifoReader, state.fifoWriter, state.client.pid];
    for (const pid of steady) {
      const kernel = readKernelWait(pid)!;
      const blocked = processOf(scoped, pid).blocked!;
      expect(blocked, `blocked of ${pid}`).not.toBeNull();
      expect({ pid, wchan: blocked.wchan, nr: blocked.syscallNr }).toEqual({ pid, wchan: kernel.wchan, nr: kernel.syscallNr });
      if (blocked.fd !== null) expect(blocked.fd).toBe(kernel.arg0);
      if (blocked.op === 'semop') expect(blocked.object).toBe(`sem:${kernel.arg0}`);
      if (blocked.op === 'read') {
        /* lsof says what that descriptor is */
        const file = lsof.find((f) => f.pid === pid && f.fd === kernel.arg0)!;
        expect(blocked.object).toBe(lsofObjectId(file));
      }
    }
  });

  it('the whole-machine snapshot agrees with the PID-scoped one on every object and blocked process of the state', () => {
    const ours = scoped.objects.filter((o) => o.holders.some((h) => state.pids.includes(h.pid)) || /^(shm|msg|sem):/.test(o.id));
    expect(ours.length).toBeGreaterThan(20);
    for (const o of ours) {
      const w = objectOf(whole, o.id);
      /* the same object, with the same holders, queue and counters */
      expect(keys(w.holders)).toEqual(keys(o.holders));
      expect({ ...w, holders: null, peek: null }).toEqual({ ...o, holders: null, peek: null });
    }
    for (const pid of state.pids) {
      const w = processOf(whole, pid);
      const s = processOf(scoped, pid);
      expect({ ppid: w.ppid, comm: w.comm }).toEqual({ ppid: s.ppid, comm: s.comm });
      /* the whole-machine scan keeps IPC descriptors only: each is one of the scoped ones */
      for (const fd of w.fds) expect(s.fds).toContainEqual(fd);
      expect(s.fds.filter((f) => /^(pipe|fifo|unix):/.test(f.object))).toEqual(w.fds.filter((f) => /^(pipe|fifo|unix):/.test(f.object)));
    }
    for (const pid of [state.sh, ...state.cats, state.fifoReader, state.client.pid]) expect(processOf(whole, pid).blocked).toEqual(processOf(scoped, pid).blocked);
  });
});
