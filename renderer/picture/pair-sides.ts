import type { UnixSocketObject } from '../../native-bridge/model/snapshot-types';
import type { PlacedProcess } from './layout';

/**
 * Left or right: the lesson's end goes on the side of a process that holds
 * it, its peer on the side of its holder otherwise, the made end on the left
 * when neither is held. A process that holds both ends (socketpair() before
 * fork) has the lesson's end, whose edge the layout draws straight, facing it.
 */
export function pairSides(end: UnixSocketObject, peer: UnixSocketObject | null, placed: PlacedProcess[]): [UnixSocketObject | null, UnixSocketObject | null] {
  const sideOf = (o: UnixSocketObject | null) => placed.find((p) => o?.holders.some((h) => h.pid === p.pid))?.side;
  const endSide = sideOf(end);
  if (endSide) return endSide === 'right' ? [peer, end] : [end, peer];
  return sideOf(peer) === 'left' ? [peer, end] : [end, peer];
}
