/**
 * The probe's public face: one snapshot, or a Sampler that keeps /proc files
 * and pidfds open between ticks.
 */
export type { ProbeOptions } from './probe-types';
export type Scope = { pids: number[]; tree?: boolean } | { all: true };
export { takeSnapshot, Sampler } from './sampler';
