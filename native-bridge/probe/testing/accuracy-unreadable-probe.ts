/**
 * Test support for unreadable.test.ts, run as an unprivileged user
 * (`setpriv --reuid=65534 ... node --import tsx <this file> PID... [ID...]`):
 * takes a whole-machine snapshot and a PID-scoped one of the given PIDs
 * (numeric arguments; the others are object ids such as "shm:7"), and prints
 * one JSON document on stdout. A snapshot that throws is reported as
 * `{ threw: message }`, so the test can tell "it stopped" from "it said why".
 */
import type { IpcObject, ProcessInfo, ProbeProblem, Snapshot } from '../../model/snapshot-types';
import { takeSnapshot } from '../sampler';

export interface UnreadableReport {
  uid: number;
  euid: number;
  whole: WholeSummary | { threw: string };
  scoped: Snapshot | { threw: string };
}

/** The whole-machine snapshot, cut down to the PIDs the test asked about. */
export interface WholeSummary {
  processCount: number;
  objectCount: number;
  processes: ProcessInfo[];
  problems: ProbeProblem[];
  /** The objects whose ids were asked for. */
  objects: IpcObject[];
  /** This very process is listed and fully readable (it is our own). */
  ownProcessReadable: boolean;
}

function attempt<T>(take: () => T): T | { threw: string } {
  try {
    return take();
  } catch (error) {
    return { threw: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const pids = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const wanted = new Set(pids);
  const objectIds = new Set(args.filter((a) => !/^\d+$/.test(a)));
  const report: UnreadableReport = {
    uid: process.getuid?.() ?? -1,
    euid: process.geteuid?.() ?? -1,
    whole: attempt(() => {
      const snapshot = takeSnapshot({ all: true });
      return {
        processCount: snapshot.processes.length,
        objectCount: snapshot.objects.length,
        processes: snapshot.processes.filter((p) => wanted.has(p.pid)),
        problems: snapshot.problems.filter((p) => wanted.has(p.pid)),
        objects: snapshot.objects.filter((o) => objectIds.has(o.id)),
        ownProcessReadable: snapshot.processes.some((p) => p.pid === process.pid && p.readable),
      };
    }),
    scoped: attempt(() => takeSnapshot({ pids })),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main();
