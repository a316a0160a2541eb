/**
 * Reading a small /proc/PID file for the actor framework, where an error must
 * not be mistaken for an answer. ENOENT/ESRCH: the process is gone. EMFILE or
 * ENFILE: this process could not open a file at all, which says nothing
 * about the other process; taking it for "gone" once left a blocking step
 * polling forever and a child actor unreaped until the engine exited.
 */
import { readFileSync } from 'node:fs';
import { errnoWithLimit } from '../libc/process-limits';

const GONE = new Set(['ENOENT', 'ESRCH']);
const NO_DESCRIPTOR = new Set(['EMFILE', 'ENFILE']);

/** /proc could not be read for a reason that is no answer about the process (no descriptor free). */
export class ProcReadError extends Error {
  override name = 'ProcReadError';
  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(`cannot read ${path}: ${errnoWithLimit(code)} (the engine has no descriptor free to open it)`);
  }
}

/**
 * The file's text; null when the process is gone; "" when it may not be read
 * (EACCES: another user's); throws ProcReadError when no descriptor was free.
 */
export function readProcFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (GONE.has(code)) return null;
    if (NO_DESCRIPTOR.has(code)) throw new ProcReadError(path, code);
    return '';
  }
}
