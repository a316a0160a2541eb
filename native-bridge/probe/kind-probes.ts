/**
 * The kind probes a snapshot runs, in order. Adding a kind is one line here.
 */
import type { PidfdTable } from './pidfd';
import { PipeProbe } from './pipe-probe';
import type { KindProbe } from './probe-types';

export interface ClosableKindProbe extends KindProbe {
  close?(): void;
}

export function createKindProbes(pidfds: PidfdTable): ClosableKindProbe[] {
  return [new PipeProbe(pidfds)];
}
