/**
 * One `ipcscope web` and one Chromium for a test file: started before its
 * tests, closed after them, with every process a test noted in `seen` (PID
 * to start time) killed if it is still that same process; screenshots go to
 * test-results/NAME.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { serveInBrowser, type ServedInBrowser } from './chromium-launch';
import { PROJECT_ROOT } from './ipcscope-web-process';
import { killIfStillSame } from './proc-facts';

export interface ServedBrowserSuite {
  /** Where the file's screenshots go. */
  readonly shots: string;
  /** PID to start time of the processes the tests saw, killed after the file's tests if still the same. */
  readonly seen: Map<number, number>;
  /** The server and browser (throws when the set-up failed). */
  served(): ServedInBrowser;
}

export function useServedBrowser(shotsName: string): ServedBrowserSuite {
  const shots = join(PROJECT_ROOT, 'test-results', shotsName);
  const seen = new Map<number, number>();
  let served: ServedInBrowser | null = null;
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    served = await serveInBrowser();
  }, 120_000);
  afterAll(async () => {
    await served?.close();
    killIfStillSame(seen);
  });
  return {
    shots,
    seen,
    served: () => {
      if (!served) throw new Error('setup failed');
      return served;
    },
  };
}
