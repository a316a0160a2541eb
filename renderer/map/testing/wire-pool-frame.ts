import type { Frame } from '../../../native-bridge/model/frame-types';
import type { PipeObject, ProcessInfo } from '../../../native-bridge/model/snapshot-types';

/**
 * A frame of the process pool's `keeps` version as the wire sends it
 * (native-bridge/model/wire-frame.ts cuts long lists and counts the rest),
 * built by hand for the renderer's unit tests: parent 100, N workers (pids
 * 1000...), worker i reading pipe i on fd 0 and holding the write ends of its
 * elder siblings' pipes on fd 10+j. Lists longer than `cap` keep their first
 * `cap` entries; what the engine really cuts, against /proc, is checked by
 * native-bridge/session/wire-frame-pool.test.ts.
 */
export function wireKeepsPoolFrame(workers: number, cap: number): Frame {
  const parent = 100;
  const parentFds: ProcessInfo['fds'] = [];
  const processes: ProcessInfo[] = [];
  const objects: PipeObject[] = [];
  for (let i = 0; i < workers; i += 1) {
    const pid = 1000 + i;
    const inode = 50_000 + i;
    const id = `pipe:${inode}`;
    parentFds.push({ fd: 10 + i, object: id, access: 'w', target: `pipe:[${inode}]` });
    const fds: ProcessInfo['fds'] = [{ fd: 0, object: id, access: 'r', target: `pipe:[${inode}]` }];
    for (let j = 0; j < i; j += 1) fds.push({ fd: 10 + j, object: `pipe:${50_000 + j}`, access: 'w', target: `pipe:[${50_000 + j}]` });
    processes.push({ pid, ppid: parent, comm: 'worker', state: 'S', blocked: { op: 'read', syscall: 'read', syscallNr: 0, fd: 0, wchan: 'anon_pipe_read', object: id }, readable: true, ...cutFds(fds, cap) });
    const holders: PipeObject['holders'] = [
      { pid: parent, fd: 10 + i, access: 'w' },
      { pid, fd: 0, access: 'r' },
    ];
    for (let k = i + 1; k < workers; k += 1) holders.push({ pid: 1000 + k, fd: 10 + i, access: 'w' });
    const omitted = holders.length - cap;
    objects.push({
      id,
      kind: 'pipe',
      inode,
      capacity: 65536,
      queued: 0,
      readers: 1,
      writers: holders.length - 1,
      ...(omitted > 0 ? { holders: holders.slice(0, cap), holdersTotal: holders.length, holdersOmitted: [{ ppid: parent, comm: 'worker', access: 'w' as const, count: omitted }] } : { holders }),
    });
  }
  processes.unshift({ pid: parent, ppid: 1, comm: 'pool', state: 'S', blocked: null, readable: true, ...cutFds(parentFds, cap) });
  return { takenAt: 0, durationMs: 1, processes, objects, problems: [], seq: 1, rateHz: 10, events: [], lesson: null };
}

/* every descriptor past the first `cap` is a pipe write end here */
function cutFds(fds: ProcessInfo['fds'], cap: number): Pick<ProcessInfo, 'fds' | 'fdsTotal' | 'fdsOmitted'> {
  if (fds.length <= cap) return { fds };
  return { fds: fds.slice(0, cap), fdsTotal: fds.length, fdsOmitted: [{ kind: 'pipe', access: 'w', count: fds.length - cap }] };
}
