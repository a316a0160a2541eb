/**
 * Signal sets of a scanned process, from the masks already parsed out of
 * /proc/PID/status by the scan (names: signals.ts).
 */
import type { SignalSet } from '../model/snapshot-types';
import type { StatusFields } from './proc-stat';
import { decodeSignalMask } from './signals';

export function decodeStatusSignals(status: StatusFields): SignalSet {
  return {
    pending: decodeSignalMask(status.sigPnd),
    sharedPending: decodeSignalMask(status.shdPnd),
    blocked: decodeSignalMask(status.sigBlk),
    ignored: decodeSignalMask(status.sigIgn),
    caught: decodeSignalMask(status.sigCgt),
  };
}
