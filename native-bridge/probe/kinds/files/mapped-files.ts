/**
 * Regular files mapped MAP_SHARED, as objects: from each scanned process's
 * /proc/PID/maps ("start-end perms offset dev inode path", perms ending in
 * `s`), named "mmap:<dev>:<inode>" as /proc/locks names a file; holders are
 * the descriptors open on the same file; the first bytes are read with pread
 * at offset 0 (the page cache the mappings share: no process is disturbed).
 *
 * Only in a PID scope, and only for processes that hold a regular file open:
 * a process that mapped a file and closed it is found when another scanned
 * process holds that file. A whole-machine scan leaves mapped files out (every
 * maps file of the machine, for objects that are rarely IPC).
 *
 * A file is an object only when some mapper can write through its mapping
 * (perms "rw-s" or "-w-s"): a file every process maps read-only shared (glibc's
 * gconv-modules.cache, locale archives) carries nothing from one process to
 * another, so it is not IPC.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { FileMappingRange, Holder, MappedFileObject } from '../../../model/snapshot-types';
import { MAX_PEEK_BYTES, type KindProbe, type KindProbeResult, type ProbeContext } from '../../probe-types';
import { lockDevice } from './file-locks';

/** One shared mapping of a file: a maps line whose perms end in "s" and whose path is a file's. */
export interface SharedFileMap extends Omit<FileMappingRange, 'pid'> {
  device: string;
  inode: number;
  path: string;
}

/* System V segments, POSIX shm and devices have their own objects (or none) */
const NOT_FILES = ['/SYSV', '/dev/', '/memfd:', '/anon_hugepage', '/[', '/proc/'];

/** The shared file mappings in a /proc/PID/maps text. */
export function parseSharedFileMaps(text: string): SharedFileMap[] {
  const out: SharedFileMap[] = [];
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 6) continue;
    const [range, perms, offset, device, inodeText] = cols as [string, string, string, string, string];
    const inode = Number(inodeText);
    const path = cols.slice(5).join(' ');
    if (!perms.endsWith('s') || inode === 0 || !path.startsWith('/') || NOT_FILES.some((p) => path.startsWith(p))) continue;
    const dash = range.indexOf('-');
    out.push({ start: range.slice(0, dash), end: range.slice(dash + 1), perms, offset: parseInt(offset, 16), device, inode, path });
  }
  return out;
}

/** A mapping its process can store through: PROT_WRITE shows as "w" in the second perms column. */
function writable(m: { perms: string }): boolean {
  return m.perms[1] === 'w';
}

function readMaps(pid: number): SharedFileMap[] {
  try {
    return parseSharedFileMaps(readFileSync(`/proc/${pid}/maps`, 'latin1'));
  } catch {
    /* gone, or not ours to read */
    return [];
  }
}

interface Found {
  device: string;
  inode: number;
  path: string;
  mappings: FileMappingRange[];
  holders: Holder[];
  /** Paths to stat and read: the maps path, then holders' /proc/PID/fd/N. */
  reach: string[];
}

function sizeOf(found: Found): number | null {
  for (const path of found.reach) {
    try {
      const st = statSync(path);
      if (st.ino === found.inode) return st.size;
    } catch {
      /* unlinked, or the holder closed it meanwhile */
    }
  }
  return null;
}

/** Up to `count` bytes from offset 0, through a new read-only descriptor (no file position moves, no lock is touched). */
function peekFile(found: Found, count: number): string | null {
  for (const path of found.reach) {
    try {
      const fd = openSync(path, 'r');
      try {
        const buf = Buffer.alloc(count);
        const n = readSync(fd, buf, 0, count, 0);
        return n > 0 ? buf.subarray(0, n).toString('base64') : null;
      } finally {
        closeSync(fd);
      }
    } catch {
      /* try the next way in */
    }
  }
  return null;
}

/** Each process's shared file mappings from the previous collect: a process that has not run since cannot have changed them. */
type MapsCache = Map<number, SharedFileMap[]>;

function collect(ctx: ProbeContext, cache: MapsCache): KindProbeResult {
  if (ctx.wholeMachine) return { objects: [], targets: new Map() };
  let byFile: Map<string, Found> | null = null;
  for (const pid of cache.keys()) if (!ctx.processes.has(pid)) cache.delete(pid);
  for (const p of ctx.processes.values()) {
    if (!p.fds.some((fd) => fd.fileType === 'file')) {
      cache.delete(p.pid);
      continue;
    }
    const known = ctx.idle?.has(p.pid) ? cache.get(p.pid) : undefined;
    const maps = known ?? readMaps(p.pid);
    cache.set(p.pid, maps);
    for (const m of maps) {
      const key = `${m.device}:${m.inode}`;
      byFile ??= new Map();
      let found = byFile.get(key);
      if (!found) {
        found = { device: m.device, inode: m.inode, path: m.path, mappings: [], holders: [], reach: m.path.endsWith(' (deleted)') ? [] : [m.path] };
        byFile.set(key, found);
      }
      found.mappings.push({ pid: p.pid, start: m.start, end: m.end, perms: m.perms, offset: m.offset });
    }
  }
  if (byFile === null) return { objects: [], targets: new Map() };
  for (const [key, found] of byFile) if (!found.mappings.some(writable)) byFile.delete(key);
  // descriptors open on a mapped file: the holders, drawn as edges
  for (const p of ctx.processes.values()) {
    for (const fd of p.fds) {
      if (fd.fileType !== 'file' || fd.inode === null || fd.dev === undefined) continue;
      const found = byFile.get(`${lockDevice(fd.dev)}:${fd.inode}`);
      if (!found) continue;
      found.holders.push({ pid: p.pid, fd: fd.fd, access: fd.access });
      found.reach.push(`/proc/${p.pid}/fd/${fd.fd}`);
    }
  }
  const objects: MappedFileObject[] = [];
  const targets = new Map<string, string>();
  for (const found of byFile.values()) {
    const id = `mmap:${found.device}:${found.inode}`;
    for (const h of found.holders) {
      const target = ctx.processes.get(h.pid)?.fds.find((fd) => fd.fd === h.fd)?.target;
      if (target) targets.set(target, id);
    }
    const size = sizeOf(found);
    const peekBytes = Math.min(ctx.options.peekBytes, MAX_PEEK_BYTES, size ?? MAX_PEEK_BYTES);
    objects.push({
      id,
      kind: 'mmap',
      device: found.device,
      inode: found.inode,
      path: found.path,
      size,
      peek: peekBytes > 0 ? peekFile(found, peekBytes) : null,
      holders: found.holders.sort((a, b) => a.pid - b.pid || a.fd - b.fd),
      mappings: found.mappings.sort((a, b) => a.pid - b.pid || a.start.localeCompare(b.start)),
      attached: [...new Set(found.mappings.map((m) => m.pid))].sort((a, b) => a - b),
    });
  }
  return { objects, targets };
}

/** A probe that keeps each process's mappings while the process does not run (ProbeContext.idle). */
export function createMappedFileProbe(): KindProbe {
  const cache: MapsCache = new Map();
  return { name: 'mapped-files', collect: (ctx) => collect(ctx, cache) };
}

export const mappedFileProbe: KindProbe = createMappedFileProbe();
