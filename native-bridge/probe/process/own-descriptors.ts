/**
 * This process's own descriptors, read for the holder search without a
 * readlink each. Through /proc/self/fd every descriptor costs a dentry and a
 * d_path (~4-5 µs here), and this process may hold thousands of descriptors
 * that can never be IPC objects: the /proc files and pidfds a Sampler or the
 * scan pool keeps open (5000 after a whole-machine scan of 1000 processes).
 * fstat on the descriptor number itself costs ~0.7 µs and already tells a
 * pipe or a socket by its inode, a /proc file by its device and an anonymous
 * inode (pidfd, eventfd, epoll) by its empty file type; only FIFOs and regular
 * files elsewhere (/dev/shm, an mqueue name, a FIFO's path) are readlinked.
 */
import { makePipe, native, STAT_SIZE } from '../../libc/libc';
import { openDirectory, openedSize, readLinkAt, readSmallFile } from './fast-fs';
import { isHeldProcDescriptor } from './held-proc-descriptors';

/** One descriptor of this process whose target can be an IPC object, named as readlink names it. */
export interface OwnDescriptor {
  fd: number;
  target: string;
}

/* st_mode file types (sys/stat.h) */
const S_IFMT = 0o170000;
const S_IFIFO = 0o010000;
const S_IFREG = 0o100000;
const S_IFSOCK = 0o140000;

/* struct stat on x86_64 as 32-bit words: st_dev @0, st_ino @8, st_mode @24 (no BigInt per descriptor) */
const stat = Buffer.alloc(STAT_SIZE);
const words = new Uint32Array(stat.buffer, stat.byteOffset, STAT_SIZE / 4);
const device = (): number => words[0]! + words[1]! * 2 ** 32;
const inode = (): number => words[2]! + words[3]! * 2 ** 32;

/** st_dev of pipefs, where every anonymous pipe lives ("pipe:[ino]"), learned once from a pipe of our own. */
let pipefsDevice: number | null = null;

function pipeDevice(): number {
  if (pipefsDevice === null) {
    const [readEnd, writeEnd] = makePipe();
    pipefsDevice = native.fstat(readEnd, stat) === 0 ? device() : -1;
    native.close(readEnd);
    native.close(writeEnd);
  }
  return pipefsDevice;
}

/**
 * Descriptors this thread keeps open to read the kernel (pidfds here; a
 * Sampler's held /proc files are marked in held-proc-descriptors.ts): never IPC objects, so ownDescriptors() counts them
 * without an fstat each. With a thousand processes watched they are ~6000,
 * and the holder search reads this process's table twice a second (measured
 * 36-65 ms a time on a loaded machine, the largest part of the search with
 * the process-pool lesson at 1000 workers). Whoever holds one says so right
 * after opening it and says it is released before closing it, so a number
 * in this set is always open and always what was registered.
 */
const heldForReading = new Set<number>();

export function holdForReading(fd: number): void {
  if (fd >= 0) heldForReading.add(fd);
}

/** Call before closing `fd`: once closed, its number may be handed out again. */
export function releaseForReading(fd: number): void {
  heldForReading.delete(fd);
}

/** How many descriptor numbers this process's table has room for (FDSize in /proc/self/status), or -1. */
function descriptorTableSize(): number {
  const match = /^FDSize:\s*(\d+)/m.exec(readSmallFile('/proc/self/status') ?? '');
  return match ? Number(match[1]) : -1;
}

/**
 * This process's descriptors that can be IPC objects (sockets, pipes, FIFOs,
 * regular files outside /proc), by number; null when the kernel does not say
 * how many descriptors are open (st_size of /proc/self/fd, Linux 6.2+): the
 * caller then lists the directory.
 */
export function ownDescriptors(): OwnDescriptor[] | null {
  const dirfd = openDirectory('/proc/self/fd');
  if (dirfd < 0) return null;
  try {
    // counted with this directory open, so the count includes it
    const opened = openedSize(dirfd);
    if (opened <= 0 || native.fstat(dirfd, stat) !== 0) return null;
    const procDevice = device();
    const limit = descriptorTableSize();
    if (limit <= 0) return null;
    const pipes = pipeDevice();
    const out: OwnDescriptor[] = [];
    // A descriptor another thread closes meanwhile is never found: the table's size bounds the walk.
    for (let fd = 0, found = 0; found < opened && fd < limit; fd++) {
      if (heldForReading.has(fd) || isHeldProcDescriptor(fd)) {
        found++;
        continue;
      }
      if (native.fstat(fd, stat) !== 0) continue;
      found++;
      const type = words[6]! & S_IFMT;
      if (type === S_IFSOCK) out.push({ fd, target: `socket:[${inode()}]` });
      else if (type === S_IFIFO && device() === pipes) out.push({ fd, target: `pipe:[${inode()}]` });
      else if ((type === S_IFIFO || type === S_IFREG) && device() !== procDevice) {
        const target = readLinkAt(dirfd, String(fd));
        if (target !== null) out.push({ fd, target });
      }
    }
    return out;
  } finally {
    native.close(dirfd);
  }
}
