/**
 * The kind probes a snapshot runs, in order. Adding a kind is one line here.
 */
import { inetSocketProbe } from './inet-sockets';
import type { PidfdTable } from './pidfd';
import { PipeProbe } from './pipe-probe';
import { mqueueProbe } from './posix-mqueue';
import { posixShmProbe } from './posix-shm';
import type { KindProbe } from './probe-types';
import { sysvMsgProbe } from './sysv-msg';
import { sysvSemProbe } from './sysv-sem';
import { sysvShmProbe } from './sysv-shm';
import { unixSocketProbe } from './unix-sockets';

export interface ClosableKindProbe extends KindProbe {
  close?(): void;
}

export function createKindProbes(pidfds: PidfdTable): ClosableKindProbe[] {
  return [new PipeProbe(pidfds), unixSocketProbe, inetSocketProbe, sysvShmProbe, sysvMsgProbe, sysvSemProbe, posixShmProbe, mqueueProbe];
}
