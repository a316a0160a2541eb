/**
 * The kind probes a snapshot runs, in order. Adding a kind is one line here.
 */
import { fileLockProbe } from './file-locks';
import { createInetSocketProbe } from './inet-sockets';
import type { PidfdTable } from './pidfd';
import { PipeProbe } from './pipe-probe';
import { createMqueueProbe } from './posix-mqueue';
import { createPosixShmProbe } from './posix-shm';
import type { KindProbe } from './probe-types';
import { sysvMsgProbe } from './sysv-msg';
import { sysvSemProbe } from './sysv-sem';
import { sysvShmProbe } from './sysv-shm';
import { createUnixSocketProbe } from './unix-sockets';

export interface ClosableKindProbe extends KindProbe {
  close?(): void;
}

export function createKindProbes(pidfds: PidfdTable): ClosableKindProbe[] {
  const borrow = <T>(pid: number, fd: number, use: (dup: number) => T): T | null => pidfds.borrow(pid, fd, use);
  return [
    new PipeProbe(pidfds),
    createUnixSocketProbe(borrow),
    createInetSocketProbe(borrow),
    sysvShmProbe,
    sysvMsgProbe,
    sysvSemProbe,
    createPosixShmProbe(borrow),
    createMqueueProbe(borrow),
    fileLockProbe,
  ];
}
