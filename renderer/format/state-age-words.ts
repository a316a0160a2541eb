import type { IpcObject, ProcessInfo, Snapshot } from '../../native-bridge/model/snapshot-types';
import type { Translate } from '../i18n/strings';

/**
 * How old a process's state is, for a whole-machine frame: "0.6 s ago;
 * re-checked every 1 s while idle" (after "State read"), and what idle means,
 * from ProcessInfo.checkedAt and the frame's cadence
 * (native-bridge/probe/cold-cadence.ts). Null for a process read at this
 * frame (every process of a lesson or a PID scope).
 */
export function stateAgeText(p: ProcessInfo, frame: Pick<Snapshot, 'takenAt' | 'cadence'> | null, t: Translate): { line: string; why: string } | null {
  if (p.checkedAt === undefined || !frame?.cadence) return null;
  const every = seconds(frame.cadence.recheckMs);
  const age = Math.max(0, frame.takenAt - p.checkedAt);
  // a tenth of a second is the finest a frame at 10 Hz can tell
  const line = age < 50 ? t('stateAgeNow', { every }) : t('stateAgeOld', { every, age: seconds(age) });
  return { line, why: t('stateAgeWhy', { idle: seconds(frame.cadence.coldAfterMs) }) };
}

/**
 * How old an object's numbers are, for a whole-machine frame: "0.6 s ago;
 * read again when a process that can change it runs, at least every 1 s"
 * (after "Read"), from IpcObject.checkedAt (native-bridge/probe/kind-cadence.ts).
 * Null for an object read at every frame (pipes, every object of a lesson or
 * a PID scope).
 */
export function objectAgeText(o: IpcObject, frame: Pick<Snapshot, 'takenAt' | 'cadence'> | null, t: Translate): { line: string; why: string } | null {
  if (o.checkedAt === undefined || !frame?.cadence) return null;
  const every = seconds(frame.cadence.recheckMs);
  const age = Math.max(0, frame.takenAt - o.checkedAt);
  const line = age < 50 ? t('objectAgeNow', { every }) : t('objectAgeOld', { every, age: seconds(age) });
  return { line, why: t('objectAgeWhy') };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1).replace(/\.0$/, '');
}
