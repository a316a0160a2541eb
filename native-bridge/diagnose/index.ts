/**
 * Diagnoses of one Snapshot: a pure pass over what the probe read (the
 * processes' sleeps, the objects' holders, queues and backlogs). Only whether
 * a PID still lives is asked outside the snapshot, for orphaned System V
 * objects whose creator is not among the processes observed.
 */
import { existsSync } from 'node:fs';
import type { Diagnosis } from '../model/diagnosis-types';
import type { Snapshot } from '../model/snapshot-types';
import { findFullBacklogs } from './backlog-full';
import { findBlockedWriters } from './blocked-writer';
import { findDeadlocks } from './deadlock';
import { findHiddenEnds } from './hidden-ends';
import { findNeverEof } from './never-eof';
import { findOrphanedSysv, type ProcessExists } from './orphaned-sysv';
import { indexSnapshot, waitForGraph, type WaitFor } from './wait-for';

export type { ProcessExists } from './orphaned-sysv';

/** A PID lives while /proc/PID exists (a zombie counts: its PID is not free yet). */
export const processExistsInProc: ProcessExists = (pid) => existsSync(`/proc/${pid}`);

export function diagnose(snapshot: Snapshot, exists: ProcessExists = processExistsInProc): Diagnosis[] {
  const index = indexSnapshot(snapshot);
  const leftOut: WaitFor[] = [];
  const graph = waitForGraph(index, leftOut);
  const neverEof = findNeverEof(graph, index);
  const deadlocks = findDeadlocks(graph, index, new Set(neverEof.flatMap((d) => d.objects)));
  const explained = new Set([...deadlocks, ...neverEof].flatMap((d) => d.processes));
  return [
    ...deadlocks,
    ...neverEof,
    ...findHiddenEnds(leftOut, index),
    ...findBlockedWriters(graph, index, explained),
    ...findFullBacklogs(index),
    ...findOrphanedSysv(snapshot.objects, (pid) => index.processes.has(pid) || exists(pid)),
  ];
}
