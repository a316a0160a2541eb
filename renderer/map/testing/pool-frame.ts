import type { Frame } from '../../../native-bridge/model/frame-types';
import type { PipeObject, ProcessInfo } from '../../../native-bridge/model/snapshot-types';

/**
 * Frames shaped like the engine's, for the map's unit tests: a parent and N
 * workers, each reading its own pipe whose write end the parent holds (the
 * seed's process pool). Layout and grouping are pure functions of a frame;
 * what the kernel shows for such a pool is checked by e2e/system-map.e2e.ts.
 */
export interface PoolOptions {
  workers: number;
  parent?: number;
  firstPid?: number;
  running?: number;
  queued?: number;
  comm?: string;
  seq?: number;
}

export function poolFrame(options: PoolOptions): Frame {
  const parent = options.parent ?? 100;
  const first = options.firstPid ?? 1000;
  const processes: ProcessInfo[] = [{ pid: parent, ppid: 1, comm: 'pool', state: 'S', blocked: null, fds: [], readable: true }];
  const objects: PipeObject[] = [];
  for (let i = 0; i < options.workers; i += 1) {
    const pid = first + i;
    const inode = 50_000 + i;
    const id = `pipe:${inode}`;
    const running = i < (options.running ?? 0);
    processes[0]!.fds.push({ fd: 10 + i, object: id, access: 'w', target: `pipe:[${inode}]` });
    processes.push({
      pid,
      ppid: parent,
      comm: options.comm ?? 'worker',
      state: running ? 'R' : 'S',
      blocked: running ? null : { op: 'read', syscall: 'read', syscallNr: 0, fd: 0, wchan: 'anon_pipe_read', object: id },
      fds: [{ fd: 0, object: id, access: 'r', target: `pipe:[${inode}]` }],
      readable: true,
    });
    objects.push({
      id,
      kind: 'pipe',
      inode,
      capacity: 65536,
      queued: i >= options.workers - (options.queued ?? 0) ? 8 : 0,
      readers: 1,
      writers: 1,
      holders: [
        { pid: parent, fd: 10 + i, access: 'w' },
        { pid, fd: 0, access: 'r' },
      ],
    });
  }
  return { takenAt: 0, durationMs: 1, processes, objects, problems: [], seq: options.seq ?? 1, rateHz: 10, events: [], lesson: null, observing: { pids: [parent], tree: true, gone: [] } };
}

/** Two unrelated processes sharing one pipe, beside whatever else. */
export function withPair(frame: Frame, writer: number, reader: number, inode: number): Frame {
  const id = `pipe:${inode}`;
  return {
    ...frame,
    processes: [
      ...frame.processes,
      { pid: writer, ppid: 1, comm: 'sleep', state: 'S', blocked: null, fds: [{ fd: 1, object: id, access: 'w', target: `pipe:[${inode}]` }], readable: true },
      {
        pid: reader,
        ppid: 1,
        comm: 'cat',
        state: 'S',
        blocked: { op: 'read', syscall: 'read', syscallNr: 0, fd: 0, wchan: 'anon_pipe_read', object: id },
        fds: [{ fd: 0, object: id, access: 'r', target: `pipe:[${inode}]` }],
        readable: true,
      },
    ],
    objects: [
      ...frame.objects,
      { id, kind: 'pipe', inode, capacity: 65536, queued: 0, readers: 1, writers: 1, holders: [{ pid: writer, fd: 1, access: 'w' }, { pid: reader, fd: 0, access: 'r' }] },
    ],
  };
}

/** A shell running n `sleep 1000 | cat` pipelines: 2n children, pipe i written by sleep i and read by cat i. */
export function pipelinesFrame(n: number, shell = 300): Frame {
  const processes: ProcessInfo[] = [{ pid: shell, ppid: 1, comm: 'sh', state: 'S', blocked: null, fds: [], readable: true }];
  const objects: PipeObject[] = [];
  for (let i = 0; i < n; i += 1) {
    const sleep = 3000 + 2 * i;
    const cat = sleep + 1;
    const inode = 60_000 + i;
    const id = `pipe:${inode}`;
    processes.push(
      { pid: sleep, ppid: shell, comm: 'sleep', state: 'S', blocked: { op: 'sleep', syscall: 'clock_nanosleep', syscallNr: 230, fd: null, wchan: 'hrtimer_nanosleep', object: null }, fds: [{ fd: 1, object: id, access: 'w', target: `pipe:[${inode}]` }], readable: true },
      { pid: cat, ppid: shell, comm: 'cat', state: 'S', blocked: { op: 'read', syscall: 'read', syscallNr: 0, fd: 0, wchan: 'anon_pipe_read', object: id }, fds: [{ fd: 0, object: id, access: 'r', target: `pipe:[${inode}]` }], readable: true },
    );
    objects.push({ id, kind: 'pipe', inode, capacity: 65536, queued: 0, readers: 1, writers: 1, holders: [{ pid: sleep, fd: 1, access: 'w' }, { pid: cat, fd: 0, access: 'r' }] });
  }
  return { takenAt: 0, durationMs: 1, processes, objects, problems: [], seq: 1, rateHz: 10, events: [], lesson: null, observing: { pids: [shell], tree: true, gone: [] } };
}
