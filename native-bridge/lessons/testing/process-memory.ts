/** Test support: a process's memory as the kernel has it (/proc/PID/maps and /proc/PID/mem), read from outside. */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/** The bytes at `address` in another process's memory (/proc/PID/mem). */
export function memoryAt(pid: number, address: bigint, count: number): Buffer {
  const fd = openSync(`/proc/${pid}/mem`, 'r');
  try {
    const buf = Buffer.alloc(count);
    readSync(fd, buf, 0, count, address);
    return buf;
  } finally {
    closeSync(fd);
  }
}

/** Start address of the process's mapping of System V segment `shmid` (/proc/PID/maps: a /SYSV<key> path, the inode column is the shmid). */
export function segmentMappedAt(pid: number, shmid: number): bigint {
  const line = readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .find((l) => l.includes('/SYSV') && Number(l.trim().split(/\s+/)[4]) === shmid);
  if (!line) throw new Error(`process ${pid} does not map segment ${shmid}`);
  return BigInt(`0x${line.split('-')[0]}`);
}
