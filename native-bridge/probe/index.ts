/**
 * The probe's public face: one snapshot, or a Sampler that keeps /proc files
 * and pidfds open between ticks.
 */
export type { ProbeOptions } from './probe-types';
export type { Scope } from './sampler';
export { takeSnapshot, Sampler, LESSON_TABLE_BUDGET, WATCH_SAMPLER_OPTIONS, type SamplerOptions } from './sampler';
