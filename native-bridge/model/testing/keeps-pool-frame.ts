import type { Frame } from '../frame-types';
import type { PipeObject, ProcessInfo } from '../snapshot-types';

/**
 * A frame shaped like the process pool's `keeps` version, for unit tests of
 * the wire form and of what views make of it: parent 100 and N workers
 * (pids 1000...), worker i reading pipe i on fd 0, the parent holding every
 * write end on fd 10+i, and worker i holding the write ends of its elder
 * siblings' pipes (fd 10+j, j < i) as a fork inherits them. What the kernel
 * shows for the real pool is checked by native-bridge/session/wire-frame-pool.test.ts.
 */
export function keepsPoolFrame(workers: number): Frame {
  const parent = 100;
  const processes: ProcessInfo[] = [{ pid: parent, ppid: 1, comm: 'pool', state: 'S', blocked: null, fds: [], readable: true }];
  const objects: PipeObject[] = [];
  for (let i = 0; i < workers; i += 1) {
    const pid = 1000 + i;
    const inode = 50_000 + i;
    const id = `pipe:${inode}`;
    processes[0]!.fds.push({ fd: 10 + i, object: id, access: 'w', target: `pipe:[${inode}]` });
    const fds: ProcessInfo['fds'] = [{ fd: 0, object: id, access: 'r', target: `pipe:[${inode}]` }];
    for (let j = 0; j < i; j += 1) fds.push({ fd: 10 + j, object: `pipe:${50_000 + j}`, access: 'w', target: `pipe:[${50_000 + j}]` });
    processes.push({ pid, ppid: parent, comm: 'worker', state: 'S', blocked: { op: 'read', syscall: 'read', syscallNr: 0, fd: 0, wchan: 'anon_pipe_read', object: id }, fds, readable: true });
    const holders: PipeObject['holders'] = [
      { pid: parent, fd: 10 + i, access: 'w' },
      { pid, fd: 0, access: 'r' },
    ];
    for (let k = i + 1; k < workers; k += 1) holders.push({ pid: 1000 + k, fd: 10 + i, access: 'w' });
    objects.push({ id, kind: 'pipe', inode, capacity: 65536, queued: 0, readers: 1, writers: holders.length - 1, holders });
  }
  return { takenAt: 0, durationMs: 1, processes, objects, problems: [], seq: 1, rateHz: 10, events: [], lesson: null };
}
