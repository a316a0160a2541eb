import type { Diagnosis } from '../../native-bridge/model/diagnosis-types';
import type { IpcObject, ObjectKind, ProcessInfo } from '../../native-bridge/model/snapshot-types';
import { blockedCall, objectLabel } from '../format/kernel-words';
import type { StringKey, Translate } from '../i18n/strings';
import type { FanUnit } from './map-group';

/** Words the map writes on the canvas and in its tooltip, from the frame's values. */

/** "1000 × sh" and "998 blocked in read, 2 running, 3 holding queued bytes". */
export function fanLines(fan: FanUnit, t: Translate): { head: string; counts: string } {
  const { counts } = fan;
  const parts: string[] = [];
  const ops = Object.entries(counts.blocked).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [op, n] of ops) parts.push(t('mapFanBlocked', { count: n, op }));
  if (counts.running) parts.push(t('mapFanRunning', { count: counts.running }));
  if (counts.other) parts.push(t('mapFanOther', { count: counts.other }));
  if (counts.holdingQueued) parts.push(t(counts.holdingQueuedCut ? 'wireFanQueuedAtLeast' : 'mapFanQueued', { count: counts.holdingQueued }));
  return { head: t('mapFanHead', { count: counts.total, comm: fan.comm }), counts: parts.join(', ') };
}

/** "200 pipe, 3 shm". */
export function kindList(kinds: Partial<Record<ObjectKind, number>>): string {
  return Object.entries(kinds)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
}

/** "4242 cat" and, when asleep in a named call, "read(fd 0)". */
export function processLines(p: ProcessInfo): { head: string; call: string | null } {
  return { head: `${p.pid} ${p.comm}`, call: p.blocked ? blockedCall(p.blocked) : p.state === 'R' ? 'R' : null };
}

/** "pipe 4614" and "12 / 65536 B" (what the canvas has room for). */
export function objectLines(o: IpcObject): { head: string; detail: string | null } {
  const head = objectLabel(o.id);
  if ((o.kind === 'pipe' || o.kind === 'fifo') && o.capacity !== null) return { head, detail: `${o.queued ?? '?'} / ${o.capacity} B` };
  if (o.kind === 'msg') return { head, detail: `${o.messages} msg · ${o.bytes} B` };
  if (o.kind === 'shm') return { head, detail: `${o.size} B · nattch ${o.nattch}` };
  if (o.kind === 'sem') return { head, detail: o.semaphores.map((s) => s.value).join(' ') };
  if (o.kind === 'unix' || o.kind === 'tcp' || o.kind === 'udp') return { head, detail: o.state + (o.queued ? ` · ${o.queued} B` : '') };
  return { head, detail: o.queued ? `${o.queued} B` : null };
}

const DIAGNOSIS_KEYS: Record<Diagnosis['kind'], StringKey> = {
  deadlock: 'mapDiagDeadlock',
  'never-eof': 'mapDiagNeverEof',
  'blocked-writer': 'mapDiagBlockedWriter',
  'orphaned-sysv': 'mapDiagOrphanedSysv',
  'backlog-full': 'mapDiagBacklogFull',
};

export function diagnosisName(kind: Diagnosis['kind'], t: Translate): string {
  return t(DIAGNOSIS_KEYS[kind]);
}
