/**
 * What a process asleep in semop asked for: its struct sembuf array, read
 * from its own memory. /proc/PID/syscall gives semtimedop (220) or semop (65)
 * with arg1 = the sops pointer and arg2 = nsops (KERNEL-FACTS "Who is
 * blocked"); pread of /proc/PID/mem at that address (same user, or root)
 * returns the 6-byte sembufs {u16 sem_num, i16 sem_op, i16 sem_flg}. The
 * kernel itself gives per semaphore only counts (GETNCNT, GETZCNT): this is
 * what puts each waiting PID in the queue of the semaphore it waits on.
 * Read only for processes the scan found asleep in semop on a set.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { SemWaitOp } from '../../../model/snapshot-types';
import { SYS_SEMOP, SYS_SEMTIMEDOP } from '../../../libc/sysv';
import type { ScannedProcess } from '../../probe-types';

/* SEMOPM, the kernel's limit of operations per semop call */
const MAX_SOPS = 500;
const SEMBUF_SIZE = 6;

/** The sembufs a process sleeping in semop on set `semid` passed (its main thread), or null (not there, gone, or its memory unreadable). */
export function readSemWaitOps(p: Pick<ScannedProcess, 'pid' | 'syscallNr' | 'syscallArgs'>, semid: number): SemWaitOp[] | null {
  if (p.syscallNr !== SYS_SEMTIMEDOP && p.syscallNr !== SYS_SEMOP) return null;
  const [id, sops, nsops] = p.syscallArgs;
  if (id === undefined || Number(BigInt.asIntN(32, id)) !== semid) return null;
  if (sops === undefined || nsops === undefined || sops === 0n || nsops < 1n || nsops > BigInt(MAX_SOPS)) return null;
  const count = Number(nsops);
  let fd: number;
  try {
    fd = openSync(`/proc/${p.pid}/mem`, 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(count * SEMBUF_SIZE);
    if (readSync(fd, buf, 0, buf.length, sops) !== buf.length) return null;
    return Array.from({ length: count }, (_, i) => ({
      pid: p.pid,
      num: buf.readUInt16LE(i * SEMBUF_SIZE),
      op: buf.readInt16LE(i * SEMBUF_SIZE + 2),
    }));
  } catch {
    /* the process left semop and unmapped the buffer, or exited */
    return null;
  } finally {
    closeSync(fd);
  }
}
