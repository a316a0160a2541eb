/**
 * Test support for the System V / POSIX kind probes until the probe core
 * (sampler.ts) lands: scans the given PIDs' /proc entries into a
 * ProbeContext, reading the kernel the same way the core does (fd links,
 * fdinfo flags, shared maps, syscall). Used by tests only.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { Access, ProcessState } from '../../model/snapshot-types';
import { DEFAULT_PROBE_OPTIONS, type HolderRef, type MapsEntry, type ProbeContext, type ProbeOptions, type ScannedFd, type ScannedProcess } from '../probe-types';
import { readSignals } from '../process/signals';

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return fallback;
  }
}

function scanFds(pid: number): ScannedFd[] {
  let entries: string[];
  try {
    entries = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const fds: ScannedFd[] = [];
  for (const e of entries) {
    const fd = Number(e);
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const flagsText = /^flags:\s*([0-7]+)/m.exec(readOr(`/proc/${pid}/fdinfo/${fd}`, ''))?.[1];
    const flags = flagsText === undefined ? null : parseInt(flagsText, 8);
    const access: Access = flags === null ? 'r' : (['r', 'w', 'rw'] as const)[flags & 3] ?? 'rw';
    const inode = /^\w+:\[(\d+)\]$/.exec(target)?.[1];
    fds.push({ fd, target, inode: inode === undefined ? null : Number(inode), access });
  }
  return fds;
}

/** Shared mappings only, as the core keeps them. */
export function scanSharedMaps(pid: number): MapsEntry[] | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/maps`, 'latin1');
  } catch {
    return null;
  }
  const maps: MapsEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-\S+\s+(\S{4})\s+\S+\s+\S+\s+(\d+)\s*(.*)$/.exec(line);
    if (!m || m[2]![3] !== 's') continue;
    maps.push({ start: m[1]!, perms: m[2]!, inode: Number(m[3]), path: m[4]! });
  }
  return maps;
}

export function scanProcess(pid: number): ScannedProcess | null {
  const stat = readOr(`/proc/${pid}/stat`, '');
  if (stat === '') return null;
  const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const syscall = readOr(`/proc/${pid}/syscall`, 'running').trim().split(' ');
  const nr = Number(syscall[0]);
  return {
    pid,
    ppid: Number(afterComm[1]),
    comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    state: (afterComm[0] ?? '?') as ProcessState,
    uid: null,
    wchan: readOr(`/proc/${pid}/wchan`, '').replace(/^0$/, ''),
    syscallNr: Number.isInteger(nr) ? nr : -1,
    syscallArgs: Number.isInteger(nr) ? syscall.slice(1, 7).map((a) => BigInt(a)) : [],
    fds: scanFds(pid),
    maps: scanSharedMaps(pid),
    signals: readSignals(pid),
    readable: true,
  };
}

/** A ProbeContext over `pids` (or over every process with `wholeMachine`). */
export function buildTestContext(pids: number[], opts: { wholeMachine?: boolean; options?: Partial<ProbeOptions> } = {}): ProbeContext {
  const wholeMachine = opts.wholeMachine ?? false;
  const scanPids = wholeMachine ? readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number) : pids;
  const processes = new Map<number, ScannedProcess>();
  const holdersByTarget = new Map<string, HolderRef[]>();
  for (const pid of scanPids) {
    const p = scanProcess(pid);
    if (!p) continue;
    processes.set(pid, p);
    for (const fd of p.fds) {
      const list = holdersByTarget.get(fd.target) ?? [];
      list.push({ pid, fd: fd.fd, access: fd.access, scanned: fd });
      holdersByTarget.set(fd.target, list);
    }
  }
  return { processes, holdersByTarget, options: { ...DEFAULT_PROBE_OPTIONS, ...opts.options }, wholeMachine, claimed: new Set() };
}
