/**
 * /proc/PID/io: the kernel's cumulative count of what a whole process has
 * read and written (rchar/wchar bytes, syscr/syscw calls). Readable for our
 * own processes, or as root (PTRACE_MODE_READ); EACCES otherwise. A Sampler
 * keeps the file open and re-reads it with pread at offset 0, like stat.
 */
import { native } from '../../libc/libc';
import type { ProcessIo } from '../../model/snapshot-types';
import { openFileAt, readHeld } from './fast-fs';
import { holdProcDescriptor, releaseProcDescriptor } from './held-proc-descriptors';

const AT_FDCWD = -100;

/** The four call counters of a /proc/PID/io text, or null when one is missing. */
export function parseProcIo(text: string): ProcessIo | null {
  const value = (name: string): number => {
    const at = text.indexOf(`${name}: `);
    if (at < 0 || (at > 0 && text.charCodeAt(at - 1) !== 10)) return NaN;
    const end = text.indexOf('\n', at);
    return Number(text.slice(at + name.length + 2, end < 0 ? text.length : end));
  };
  const io = { rchar: value('rchar'), wchar: value('wchar'), syscr: value('syscr'), syscw: value('syscw') };
  return Number.isFinite(io.rchar) && Number.isFinite(io.wchar) && Number.isFinite(io.syscr) && Number.isFinite(io.syscw) ? io : null;
}

function readOnce(pid: number): ProcessIo | null {
  const fd = openFileAt(AT_FDCWD, `/proc/${pid}/io`);
  if (fd < 0) return null;
  try {
    const text = readHeld(fd, true);
    return text === null ? null : parseProcIo(text);
  } finally {
    native.close(fd);
  }
}

/**
 * Reads /proc/PID/io, holding each file open between reads when `hold` is
 * set. A held file whose process is gone fails (even with its pid reused):
 * it is closed and the path opened afresh once. Null when the process is
 * gone or its counters may not be read.
 */
export class ProcIoFiles {
  private readonly held = new Map<number, number>();

  constructor(private readonly hold: boolean) {}

  read(pid: number): ProcessIo | null {
    if (!this.hold) return readOnce(pid);
    const fd = this.held.get(pid);
    if (fd !== undefined) {
      const text = readHeld(fd, true);
      if (text !== null) return parseProcIo(text);
      this.drop(pid);
    }
    const opened = openFileAt(AT_FDCWD, `/proc/${pid}/io`);
    if (opened < 0) return null;
    const text = readHeld(opened, true);
    if (text === null) {
      native.close(opened);
      return null;
    }
    holdProcDescriptor(opened);
    this.held.set(pid, opened);
    return parseProcIo(text);
  }

  drop(pid: number): void {
    const fd = this.held.get(pid);
    if (fd === undefined) return;
    releaseProcDescriptor(fd);
    native.close(fd);
    this.held.delete(pid);
  }

  /** Closes the files of every process not in `alive`. */
  retain(alive: ReadonlySet<number>): void {
    for (const pid of [...this.held.keys()]) if (!alive.has(pid)) this.drop(pid);
  }

  close(): void {
    for (const pid of [...this.held.keys()]) this.drop(pid);
  }
}
