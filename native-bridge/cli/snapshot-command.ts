/**
 * `ipcscope snapshot`: one observation, printed as a table, as the JSON
 * Snapshot contract (and nothing else on stdout), or as Graphviz.
 */
import type { Snapshot } from '../model/snapshot-types';
import { takeSnapshot } from '../probe/index';
import type { SnapshotArgs } from './args';
import { requireInSnapshot, requireProcesses } from './process-check';

/** In --json mode stdout carries one document: stray console output goes to stderr. */
export function keepStdoutClean(): void {
  const toStderr = (...parts: unknown[]): void => {
    process.stderr.write(`${parts.map(String).join(' ')}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

async function captureSnapshot(args: SnapshotArgs): Promise<Snapshot> {
  const pids = 'pids' in args.scope ? args.scope.pids : [];
  requireProcesses(pids);
  /* /proc/PID/io for the processes named: one small file each, not the whole machine's */
  const readIo = !('all' in args.scope);
  const snapshot = await takeSnapshot(args.scope, { peekBytes: args.peekBytes, readMaps: args.readMaps, readSignals: true, signalsEverywhere: true, readIo });
  requireInSnapshot(pids, snapshot);
  return snapshot;
}

export async function runSnapshot(args: SnapshotArgs): Promise<number> {
  if (args.format !== 'table') keepStdoutClean();
  const snapshot = await captureSnapshot(args);
  let text: string;
  if (args.format === 'json') {
    text = `${JSON.stringify(snapshot)}\n`;
  } else if (args.format === 'dot') {
    const { formatDot } = await import('./format-dot');
    text = formatDot(snapshot);
  } else {
    const { formatTable } = await import('./format-table');
    text = formatTable(snapshot);
  }
  process.stdout.write(text);
  return 0;
}
