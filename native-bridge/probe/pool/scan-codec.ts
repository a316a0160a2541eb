/**
 * A compact form for scanned processes crossing from a scan worker to the
 * calling thread. Structured clone of ~500 processes as objects costs ~1.2 ms
 * to receive here; numbers in a Float64Array, syscall arguments in a
 * BigUint64Array (no BigInt parsing) and each distinct string once cost a
 * fraction of that. Rare fields (maps, signals, errors, a FIFO open, anything
 * a later scanner adds) travel as a plain object beside them.
 */
import type { Access, ProcessState } from '../../model/snapshot-types';
import type { ScannedFd } from '../probe-types';
import type { ScannedProcessWithExtras } from '../process/process-scan';
import type { PipeReading, ReadScannedFd } from '../kinds/pipes/pipe-reading';

export interface EncodedScan {
  /** Per process: index, pid, ppid, comm, state, wchan, syscallNr, args, fds, readable, rest; per fd: FD_FIELDS numbers. */
  numbers: Float64Array<ArrayBuffer>;
  args: BigUint64Array<ArrayBuffer>;
  strings: string[];
  /** Fields outside the common shape, by position in `rest` (numbers refer to it). */
  rest: Array<Record<string, unknown>>;
}

/* Fields every scanned process has, encoded as numbers; anything else travels in `rest`. */
const COMMON = new Set(['pid', 'ppid', 'comm', 'state', 'uid', 'wchan', 'syscallNr', 'syscallArgs', 'fds', 'maps', 'signals', 'readable']);
const ACCESS: Access[] = ['r', 'w', 'rw'];
const FILE_TYPES: Array<NonNullable<ScannedFd['fileType']>> = ['fifo', 'file', 'dir', 'char', 'block', 'socket', 'link', 'other'];
const NONE = -1;

/** Collects processes as they are scanned; `finish` hands over the buffers. */
export class ScanEncoder {
  private numbers = new Float64Array(4096);
  private length = 0;
  private args = new BigUint64Array(1024);
  private argCount = 0;
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly rest: Array<Record<string, unknown>> = [];

  private push(value: number): void {
    if (this.length === this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.length++] = value;
  }

  private string(value: string): number {
    let index = this.stringIndex.get(value);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(value);
      this.stringIndex.set(value, index);
    }
    return index;
  }

  private arg(value: bigint): void {
    if (this.argCount === this.args.length) {
      const grown = new BigUint64Array(this.args.length * 2);
      grown.set(this.args);
      this.args = grown;
    }
    this.args[this.argCount++] = BigInt.asUintN(64, value);
  }

  /** `index`: the process's position in the job's pid list; null scans (exited) are sent too. */
  add(index: number, proc: ScannedProcessWithExtras | null): void {
    this.push(index);
    if (!proc) {
      this.push(NONE);
      return;
    }
    this.push(proc.pid);
    this.push(proc.ppid);
    this.push(this.string(proc.comm));
    this.push(this.string(proc.state));
    this.push(this.string(proc.wchan));
    this.push(proc.syscallNr);
    this.push(proc.syscallArgs.length);
    for (const value of proc.syscallArgs) this.arg(value);
    this.push(proc.fds.length);
    for (const fd of proc.fds) this.addFd(fd);
    this.push(proc.readable ? 1 : 0);
    let rest: Record<string, unknown> | null = null;
    const extra = (key: string, value: unknown): void => {
      rest ??= {};
      rest[key] = value;
    };
    if (proc.uid !== null) extra('uid', proc.uid);
    if (proc.maps !== null) extra('maps', proc.maps);
    if (proc.signals !== null) extra('signals', proc.signals);
    for (const key in proc) if (!COMMON.has(key)) extra(key, (proc as unknown as Record<string, unknown>)[key]);
    if (rest === null) this.push(NONE);
    else {
      this.push(this.rest.length);
      this.rest.push(rest);
    }
  }

  private addFd(fd: ReadScannedFd): void {
    this.push(fd.fd);
    this.push(this.string(fd.target));
    this.push(fd.inode ?? NaN);
    this.push(ACCESS.indexOf(fd.access));
    this.push(fd.fileType === undefined ? NONE : FILE_TYPES.indexOf(fd.fileType));
    this.push(fd.dev ?? NaN);
    const reading = fd.pipeReading;
    this.push(reading ? 1 : 0);
    this.push(reading?.capacity ?? NaN);
    this.push(reading?.queued ?? NaN);
    this.push(reading?.revents ?? NaN);
  }

  finish(): EncodedScan {
    return { numbers: this.numbers.slice(0, this.length), args: this.args.slice(0, this.argCount), strings: this.strings, rest: this.rest };
  }
}

const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

/** Rebuilds the processes `ScanEncoder` took, calling `take` with each one's index in the job's pid list. */
export function decodeScan(encoded: EncodedScan, take: (index: number, proc: ScannedProcessWithExtras | null) => void): void {
  const { numbers, args, strings, rest } = encoded;
  let at = 0;
  let argAt = 0;
  while (at < numbers.length) {
    const index = numbers[at++]!;
    const pid = numbers[at++]!;
    if (pid === NONE) {
      take(index, null);
      continue;
    }
    const proc: ScannedProcessWithExtras = {
      pid,
      ppid: numbers[at++]!,
      comm: strings[numbers[at++]!]!,
      state: strings[numbers[at++]!]! as ProcessState,
      uid: null,
      wchan: strings[numbers[at++]!]!,
      syscallNr: numbers[at++]!,
      syscallArgs: [],
      fds: [],
      maps: null,
      signals: null,
      readable: true,
    };
    const argCount = numbers[at++]!;
    for (let i = 0; i < argCount; i++) proc.syscallArgs.push(args[argAt++]!);
    const fdCount = numbers[at++]!;
    for (let i = 0; i < fdCount; i++) {
      const fd: ReadScannedFd = { fd: numbers[at++]!, target: strings[numbers[at++]!]!, inode: orNull(numbers[at++]!), access: ACCESS[numbers[at++]!]! };
      const fileType = numbers[at++]!;
      const dev = numbers[at++]!;
      if (fileType !== NONE) fd.fileType = FILE_TYPES[fileType]!;
      if (!Number.isNaN(dev)) fd.dev = dev;
      const measured = numbers[at++]!;
      const reading: PipeReading = { capacity: orNull(numbers[at++]!), queued: orNull(numbers[at++]!), revents: orNull(numbers[at++]!) };
      if (measured === 1) fd.pipeReading = reading;
      proc.fds.push(fd);
    }
    proc.readable = numbers[at++] === 1;
    const restAt = numbers[at++]!;
    if (restAt !== NONE) Object.assign(proc, rest[restAt]);
    take(index, proc);
  }
}
