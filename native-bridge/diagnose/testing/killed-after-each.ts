/**
 * Test support: the python3 situations and Samplers a test file starts,
 * closed and killed after each test, also when it fails (samplers first, so
 * none reads a process while it is being killed). Used by tests only.
 */
import { afterEach } from 'vitest';
import type { Sampler } from '../../probe/sampler';
import type { PythonSituation } from './python-situation';

export interface KilledAfterEach {
  /** Push every situation as soon as it is constructed. */
  situations: PythonSituation[];
  /** Push every Sampler as soon as it is constructed. */
  samplers: Sampler[];
}

/** Registers the afterEach that empties both lists; call once at a test file's top level. */
export function killedAfterEach(): KilledAfterEach {
  const situations: PythonSituation[] = [];
  const samplers: Sampler[] = [];
  afterEach(async () => {
    for (const s of samplers.splice(0)) s.close();
    for (const s of situations.splice(0)) await s.kill();
  });
  return { situations, samplers };
}
