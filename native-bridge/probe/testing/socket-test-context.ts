/**
 * Test helper for the socket probes until the probe core lands: a
 * ProbeContext read from /proc for the given PIDs (descriptor links and
 * fdinfo flags only), plus `ss` output parsed for comparison.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { Access } from '../../model/snapshot-types';
import { DEFAULT_PROBE_OPTIONS } from '../probe-types';
import type { HolderRef, ProbeContext, ProbeOptions, ScannedFd, ScannedProcess } from '../probe-types';

const ACCESS: Access[] = ['r', 'w', 'rw', 'rw'];

function scanFds(pid: number): ScannedFd[] {
  const fds: ScannedFd[] = [];
  let entries: string[];
  try {
    entries = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return fds;
  }
  for (const entry of entries) {
    const fd = Number(entry);
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const m = /^(?:socket|pipe):\[(\d+)\]$/.exec(target);
      const flagsLine = /flags:\s+([0-7]+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      const flags = flagsLine ? parseInt(flagsLine[1]!, 8) : null;
      fds.push({ fd, target, inode: m ? Number(m[1]) : null, access: ACCESS[(flags ?? 2) & 3]! });
    } catch {
      /* descriptor closed while we looked */
    }
  }
  return fds;
}

export function contextFor(pids: number[], wholeMachine = false, options: Partial<ProbeOptions> = {}): ProbeContext {
  const processes = new Map<number, ScannedProcess>();
  const holdersByTarget = new Map<string, HolderRef[]>();
  for (const pid of pids) {
    const fds = scanFds(pid);
    processes.set(pid, {
      pid,
      ppid: 0,
      comm: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(),
      state: 'S',
      uid: null,
      wchan: '',
      syscallNr: -1,
      syscallArgs: [],
      fds,
      maps: null,
      signals: null,
      readable: true,
    });
    for (const scanned of fds) {
      const list = holdersByTarget.get(scanned.target) ?? [];
      list.push({ pid, fd: scanned.fd, access: scanned.access, scanned });
      holdersByTarget.set(scanned.target, list);
    }
  }
  return { processes, holdersByTarget, options: { ...DEFAULT_PROBE_OPTIONS, ...options }, wholeMachine, claimed: new Set() };
}

/** One line of `ss -...eH` output, split on whitespace (our test names contain no spaces). */
export interface SsLine {
  fields: string[];
  /** Socket inode: the "ino:N" field (inet) or the local port column (unix). */
  inode: number;
  line: string;
}

/** Runs `ss` with the given flags (always numeric, no header) and keeps the lines. */
export function runSs(flags: string): string[] {
  /* a machine with other tests running may list megabytes of sockets: more than execFileSync's default 1 MiB */
  return execFileSync('ss', [`${flags}nH`], { encoding: 'utf8', maxBuffer: 256 << 20 }).split('\n').filter((l) => l.trim() !== '');
}

/**
 * `ss -xpa`: "u_str ESTAB 0 0 * 4040 * 4041 users:(...)": netid, state,
 * Recv-Q, Send-Q, local name, local inode, peer name, peer inode, process.
 */
export function ssUnix(): Map<number, SsLine> {
  const out = new Map<number, SsLine>();
  for (const line of runSs('-xpa')) {
    const fields = line.trim().split(/\s+/);
    const inode = Number(fields[5]);
    if (Number.isInteger(inode)) out.set(inode, { fields, inode, line });
  }
  return out;
}

/**
 * `ss -tpae` / `ss -upae`: state, Recv-Q, Send-Q, local, peer, then process
 * and extended fields including "ino:N".
 */
export function ssInet(protocol: 'tcp' | 'udp'): Map<number, SsLine> {
  const out = new Map<number, SsLine>();
  for (const line of runSs(protocol === 'tcp' ? '-tpae' : '-upae')) {
    const m = /\bino:(\d+)/.exec(line);
    if (!m) continue;
    const inode = Number(m[1]);
    out.set(inode, { fields: line.trim().split(/\s+/), inode, line });
  }
  return out;
}
