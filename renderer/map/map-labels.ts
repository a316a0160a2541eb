import type { Diagnosis } from '../../native-bridge/model/diagnosis-types';
import type { IpcObject, ObjectKind, ProcessInfo } from '../../native-bridge/model/snapshot-types';
import { blockedCall, objectLabel } from '../format/kernel-words';
import type { StringKey, Translate } from '../i18n/strings';
import { KERNEL_THREADS, type FanUnit } from './map-group';

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
  const head = fan.comm === KERNEL_THREADS ? t('mapFanKernelThreads', { count: counts.total }) : t('mapFanHead', { count: counts.total, comm: fan.comm });
  return { head, counts: parts.join(', ') };
}

/**
 * What the members hold of each other's pipes, or null when they hold no pipe:
 * "holding 19,900 siblings' write ends (up to 199 each)" against
 * "each holds only its own read end" (the pool's trap, keeps against closes).
 */
export function fanHoldings(fan: FanUnit, t: Translate): { text: string; trap: boolean } | null {
  const { total, max, onlyOwnReadEnd } = fan.writeEnds;
  if (total > 0) return { text: t('mapFanWriteEnds', { total: total.toLocaleString('en-US'), max: max.toLocaleString('en-US') }), trap: true };
  if (onlyOwnReadEnd === fan.counts.total && fan.counts.total > 0) return { text: t('mapFanOwnReadEnd'), trap: false };
  return null;
}

/** The fan in one line (the hidden list's button): "200 × sh — 200 blocked in read; each holds only its own read end (200 pipe)". */
export function fanSummary(fan: FanUnit, t: Translate): string {
  const { head, counts } = fanLines(fan, t);
  const holdings = fanHoldings(fan, t);
  const all = holdings ? `${counts}${t('mapClauseSep')}${holdings.text}` : counts;
  const kinds = kindList(fan.objectKinds, t);
  return kinds ? t('mapFanSummary', { head, counts: all, kinds }) : `${head} — ${all}`;
}

/** A kind's name in the reader's language ("pipe", "管道"). */
export function kindName(kind: ObjectKind, t: Translate): string {
  return t(`mapKind_${kind}` as StringKey);
}

/** "200 pipe, 3 shm"; "200 个管道、3 个System V 共享内存". */
export function kindList(kinds: Partial<Record<ObjectKind, number>>, t: Translate): string {
  return (Object.entries(kinds) as [ObjectKind, number][]).map(([kind, n]) => t('mapKindCount', { count: n, kind: kindName(kind, t) })).join(t('mapListSep'));
}

/** "4242 cat" and, when asleep in a named call, "read(fd 0)". */
export function processLines(p: ProcessInfo): { head: string; call: string | null } {
  return { head: `${p.pid} ${p.comm}`, call: p.blocked ? blockedCall(p.blocked) : p.state === 'R' ? 'R' : null };
}

/**
 * A socket held by no process on the map, only by processes outside it (or
 * none the probe could read): the frame has it as the peer of a socket a
 * process on the map holds (a lesson process's control channel and output,
 * whose other ends the engine keeps). Returns that peer's id: the socket sits
 * beside it, saying so.
 */
export function peerHeldOutside(o: IpcObject, onMap: ReadonlyMap<number, unknown>): string | null {
  if (o.kind !== 'unix' || !o.peer || o.holdersOmitted?.length) return null;
  return o.holders.every((h) => !onMap.has(h.pid)) ? o.peer : null;
}

/** "pipe 4614" and "12 / 65536 B" (what the canvas has room for). */
export function objectLines(o: IpcObject, t: Translate, peer: string | null = null): { head: string; detail: string | null } {
  const head = objectLabel(o.id);
  if (peer) return { head, detail: t('mapPeerOutside', { peer: objectLabel(peer) }) };
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
  'hidden-writer': 'mapDiagHiddenWriter',
  'hidden-reader': 'mapDiagHiddenReader',
};

export function diagnosisName(kind: Diagnosis['kind'], t: Translate): string {
  return t(DIAGNOSIS_KEYS[kind]);
}
