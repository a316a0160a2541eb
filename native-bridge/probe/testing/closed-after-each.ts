/**
 * Test support: the Samplers, descriptors and child processes a test file
 * opens, closed and reaped after each test, also when it fails (samplers
 * first, so none reads a child while it is being killed). Used by tests only.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import { closeFd } from '../../libc/libc';
import type { Sampler } from '../sampler';
import { reapChild } from './reap-child';

export interface ClosedAfterEach {
  samplers: Sampler[];
  /** Descriptors of this process (pipe and socket ends) to close. */
  fds: number[];
  /** Children to SIGKILL and wait for. */
  children: ChildProcess[];
}

/** Registers the afterEach that empties the three lists; call once at a test file's top level. */
export function closedAfterEach(): ClosedAfterEach {
  const made: ClosedAfterEach = { samplers: [], fds: [], children: [] };
  afterEach(async () => {
    for (const sampler of made.samplers.splice(0)) sampler.close();
    for (const fd of made.fds.splice(0)) closeFd(fd);
    await Promise.all(made.children.splice(0).map(reapChild));
  });
  return made;
}
