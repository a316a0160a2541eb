import type { Access, IpcObject, ProcessInfo } from '../../native-bridge/model/snapshot-types';
import type { StringKey, Translate } from '../i18n/strings';

/**
 * What a view says about the part of a list the wire frame left out
 * (native-bridge/model/wire-frame.ts): "+992 more: 992 pipe write ends",
 * from the counts the engine sent, never from the part it kept.
 */

const ACCESS_WORD: Record<Access, StringKey> = { r: 'wireAccessR', w: 'wireAccessW', rw: 'wireAccessRw' };

/** How many descriptors the process has in all (the wire form may list fewer). */
export function fdCount(p: ProcessInfo): number {
  return p.fdsTotal ?? p.fds.length;
}

/** How many descriptors hold the object in all. */
export function holderCount(o: IpcObject): number {
  return o.holdersTotal ?? o.holders.length;
}

/** "+N more: ..." for a process whose descriptor list was cut; null when it is whole. */
export function omittedFdsText(p: ProcessInfo, t: Translate): string | null {
  const omitted = p.fdsOmitted ?? [];
  const count = omitted.reduce((n, c) => n + c.count, 0);
  if (count === 0) return null;
  const list = omitted.map((c) => t('wireFdCount', { count: c.count, kind: c.kind, access: t(ACCESS_WORD[c.access], { count: c.count }) })).join(', ');
  return t('wireMore', { count, list });
}

/** "+N more: ..." for an object whose holder list was cut; null when it is whole. */
export function omittedHoldersText(o: IpcObject, t: Translate): string | null {
  const omitted = o.holdersOmitted ?? [];
  const count = omitted.reduce((n, c) => n + c.count, 0);
  if (count === 0) return null;
  const list = omitted.map((c) => t('wireHolderCount', { count: c.count, comm: c.comm, ppid: c.ppid, access: t(ACCESS_WORD[c.access], { count: c.count }) })).join(', ');
  return t('wireMore', { count, list });
}
