/**
 * Every op an actor can run, by name.
 *
 * Adding a mechanism is a two-line change: write `ops/<mechanism>-ops.ts`
 * exporting an `OpTable` (see op-types.ts: each op makes one syscall and
 * declares the syscall numbers it may sleep in), then
 *   1. import it here:            import { socketOps } from './socket-ops';
 *   2. list it in `opTables`:     socket: socketOps,
 * Op names must be unique across files (the registry test checks it). An op
 * that creates descriptors a forked child should inherit adds them to
 * `state.lessonFds` (and `close` removes them).
 */
import { fifoOps } from './fifo-ops';
import { inetOps } from './inet-ops';
import { msgqNsOps } from './msgq-ns-ops';
import { msgqOps } from './msgq-ops';
import { mmapOps } from './mmap-ops';
import type { OpSpec, OpTable } from './op-types';
import { pipeOps } from './pipe-ops';
import { poolOps } from './pool-ops';
import { posixOps } from './posix-ops';
import { processOps } from './process-ops';
import { processSetupOps } from './process-setup-ops';
import { raceOps } from './race-ops';
import { scmRightsOps } from './scm-rights-ops';
import { semOps } from './sem-ops';
import { signalOps } from './signal-ops';
import { socketOps } from './socket-ops';
import { sysvOps } from './sysv-ops';

export const opTables: Record<string, OpTable> = {
  pipe: pipeOps,
  process: processOps,
  sysv: sysvOps,
  posix: posixOps,
  socket: socketOps,
  fifo: fifoOps,
  mmap: mmapOps,
  processSetup: processSetupOps,
  pool: poolOps,
  sem: semOps,
  msgq: msgqOps,
  msgqNs: msgqNsOps,
  signal: signalOps,
  scmRights: scmRightsOps,
  inet: inetOps,
  race: raceOps,
};

export const actorOps: OpTable = Object.assign({}, ...Object.values(opTables)) as OpTable;

export function findOp(name: string): OpSpec | undefined {
  return Object.hasOwn(actorOps, name) ? actorOps[name] : undefined;
}
