/**
 * The kernel's limits on a System V segment's size, read when a shmget
 * fails, so the lesson can say which limit refused it and its value
 * (ipc/shm.c newseg: EINVAL below SHMMIN or above shmmax, ENOSPC past shmall
 * pages in total or shmmni segments). The sysctls are per IPC namespace: the
 * values are those of the engine's namespace, where its actors run.
 */
import { readFileSync } from 'node:fs';
import { parseSysvTable } from '../../probe/kinds/sysv/sysvipc-table';

/* include/uapi/linux/shm.h: SHMMIN 1 byte */
export const SHMMIN = 1;
/** Largest size the lesson's parameter accepts (1 GiB): far beyond a page, below what a machine's default shmmax allows. */
export const SHM_SIZE_MAX = 1 << 30;
const PAGE = 4096;

/** A /proc/sys/kernel value as text (it may not fit a double), or null when unreadable. */
export function kernelSysctl(name: 'shmmax' | 'shmall' | 'shmmni'): string | null {
  try {
    return readFileSync(`/proc/sys/kernel/${name}`, 'utf8').trim();
  } catch {
    return null;
  }
}

function segmentsInUse(): { count: number; pages: bigint } {
  try {
    const rows = parseSysvTable(readFileSync('/proc/sysvipc/shm', 'utf8'));
    return { count: rows.length, pages: rows.reduce((sum, r) => sum + BigInt(Math.ceil((r.size ?? 0) / PAGE)), 0n) };
  } catch {
    return { count: 0, pages: 0n };
  }
}

/** Why shmget(size) failed with `errno`, naming the limit and its value; null when no size limit explains it. */
export function shmgetLimitNote(size: number, errno: string | null): string | null {
  if (errno === 'EINVAL') {
    if (size < SHMMIN) return `size ${size} is below SHMMIN, ${SHMMIN} byte`;
    const shmmax = kernelSysctl('shmmax');
    if (shmmax !== null && BigInt(size) > BigInt(shmmax)) return `size ${size} is beyond shmmax: /proc/sys/kernel/shmmax is ${shmmax}`;
    return null;
  }
  if (errno === 'ENOSPC') {
    const shmmni = kernelSysctl('shmmni');
    const shmall = kernelSysctl('shmall');
    const used = segmentsInUse();
    if (shmmni !== null && used.count >= Number(shmmni)) return `${used.count} segments exist and /proc/sys/kernel/shmmni is ${shmmni}`;
    const pages = BigInt(Math.ceil(size / PAGE));
    if (shmall !== null) return `${pages} more pages would pass shmall: /proc/sys/kernel/shmall is ${shmall} pages, ${used.pages} in use`;
  }
  return null;
}
