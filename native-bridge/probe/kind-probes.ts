/**
 * The kind probes a snapshot runs, in order. Adding a kind is one line here.
 */
import { createFileLockProbe } from './kinds/files/file-locks';
import { createInetSocketProbe } from './kinds/sockets/inet-sockets';
import { createMappedFileProbe } from './kinds/files/mapped-files';
import type { PidfdTable } from './process/pidfd';
import { PipeProbe } from './kinds/pipes/pipe-probe';
import { createMqueueProbe } from './kinds/posix/posix-mqueue';
import { createPosixShmProbe } from './kinds/posix/posix-shm';
import type { KindProbe } from './probe-types';
import { sysvMsgProbe } from './kinds/sysv/sysv-msg';
import { sysvSemProbe } from './kinds/sysv/sysv-sem';
import { sysvShmProbe } from './kinds/sysv/sysv-shm';
import { createUnixSocketProbe } from './kinds/sockets/unix-sockets';

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
    createFileLockProbe(),
    createMappedFileProbe(),
  ];
}
