/**
 * Whole-machine scan against lsof and ss on one state: the in-process
 * snapshot (warm: modules loaded, scan pool started), the cold `ipcscope
 * snapshot` command, `lsof -n +E` and `ss -xpa`, run alternately so machine
 * noise hits all of them alike. Each is
 * timed in wall time and in CPU time (the latter resists a busy run queue).
 */
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../native-bridge/model/snapshot-types';
import { takeSnapshot } from '../native-bridge/probe/index';
import { closeHeldFiles, warmScanPool } from '../native-bridge/probe/pool/scan-pool';
import { yieldToSignals } from './bench-children';
import { medianTiming, timeCall, timeCommand, type Timing } from './timing';

const BIN = fileURLToPath(new URL('../bin/ipcscope.js', import.meta.url));

export interface ScanTimes {
  size: number;
  processesSeen: number;
  objectsSeen: number;
  holdersSeen: number;
  /** Holders (fds, maps) only: what lsof reports. Snapshot after snapshot: processes that have not run are not read again. */
  snapshot: Timing;
  /** The same, the first after the held files were closed: every process read in full across the pool. */
  first: Timing;
  /** The same, every read on this thread (no scan pool): what a one-shot process gets. */
  oneThread: Timing;
  /** Default CLI options: peek 64 bytes, maps, signal masks. */
  fullSnapshot: Timing;
  cli: Timing;
  lsof: Timing | null;
  ss: Timing | null;
}

export interface ScanTools {
  lsof: boolean;
  ss: boolean;
}

const LEAN = { peekBytes: 0, readMaps: false, readSignals: false };
const LEAN_ONE_THREAD = { ...LEAN, parallel: false };
const FULL = { peekBytes: 64, readMaps: true, readSignals: true };
const WARM_UP_SNAPSHOTS = 40;
const WARM_UP_MAX_MS = 2500;

/** `holderPids`: the benchmark's own holders, to check the snapshot really saw them. */
export async function compareScans(size: number, holderPids: Set<number>, tools: ScanTools, rounds: number): Promise<ScanTimes> {
  /*
   * warm-up: module loading, dentry cache, the scan pool's workers (a process
   * taking whole-machine snapshots keeps them, with its /proc files), and
   * the JIT: Node 20 has no tier between baseline code and TurboFan, and the
   * first ~30 snapshots here run up to twice as slow as the rest.
   */
  await warmScanPool();
  const warmUntil = performance.now() + WARM_UP_MAX_MS;
  for (let i = 0; i < WARM_UP_SNAPSHOTS && performance.now() < warmUntil; i++) {
    takeSnapshot({ all: true }, i % 4 === 3 ? FULL : i % 4 === 1 ? LEAN_ONE_THREAD : LEAN);
    if (i % 8 === 7) await yieldToSignals();
  }
  const snapshot: Timing[] = [];
  const first: Timing[] = [];
  const oneThread: Timing[] = [];
  const full: Timing[] = [];
  const cli: Timing[] = [];
  const lsof: Timing[] = [];
  const ss: Timing[] = [];
  let last: Snapshot | null = null;
  for (let round = 0; round < rounds; round++) {
    await yieldToSignals();
    /*
     * The pool keeps ~5 /proc files and pidfds open per process between
     * snapshots: closed while the others run, as lsof, ss, a one-shot
     * process and the one-thread path would otherwise read all of those
     * descriptors of this process too. Opened again by the first pooled
     * snapshot after them, which then reads every process in full.
     */
    closeHeldFiles();
    if (tools.lsof) lsof.push(timeCommand('lsof', ['-n', '+E']));
    if (tools.ss) ss.push(timeCommand('ss', ['-xpa']));
    await yieldToSignals();
    cli.push(timeCommand(process.execPath, [BIN, 'snapshot', '--all', '--json', '--peek', '0', '--no-maps']));
    for (let i = 0; i < 3; i++) oneThread.push(timeCall(() => takeSnapshot({ all: true }, LEAN_ONE_THREAD)));
    first.push(timeCall(() => takeSnapshot({ all: true }, LEAN)));
    for (let i = 0; i < 3; i++) {
      const lean = timeCall(() => takeSnapshot({ all: true }, LEAN));
      snapshot.push(lean);
      last = lean.value;
    }
    full.push(timeCall(() => takeSnapshot({ all: true }, FULL)));
  }
  const seen = last?.processes.filter((p) => holderPids.has(p.pid)) ?? [];
  const holdersSeen = new Set(
    (last?.objects ?? []).flatMap((object) => object.holders.filter((h) => holderPids.has(h.pid)).map((h) => `${h.pid}/${h.fd}`)),
  ).size;
  return {
    size,
    processesSeen: seen.length,
    objectsSeen: last?.objects.length ?? 0,
    holdersSeen,
    snapshot: medianTiming(snapshot),
    first: medianTiming(first),
    oneThread: medianTiming(oneThread),
    fullSnapshot: medianTiming(full),
    cli: medianTiming(cli),
    lsof: tools.lsof ? medianTiming(lsof) : null,
    ss: tools.ss ? medianTiming(ss) : null,
  };
}
