/**
 * The /proc files this process keeps open between samples (a Sampler's
 * stat, wchan, syscall, status, fd directory and io files), by descriptor
 * number, for every Sampler in the process at once.
 *
 * A whole-machine watch reads this process's own descriptor table too: it is
 * a process on the machine, and it runs at every tick, so its table is read
 * again every refresh. With 1000 other processes observed it holds ~4000 of
 * these files, and a readlink each cost ~25 ms per refresh here (measured:
 * 93% of all descriptor-table reading in bench/observe-cost.ts at +1000).
 * None of them can be an IPC object, and this process opened each itself:
 * they are skipped without a syscall (fd-table.ts, SkipDescriptor).
 *
 * Every open and close of such a file goes through hold()/release(), so a
 * number marked here is one of those files and nothing else until released.
 */
let marks = new Uint32Array(64);

function grow(fd: number): void {
  let size = marks.length;
  while (fd >>> 5 >= size) size *= 2;
  if (size === marks.length) return;
  const bigger = new Uint32Array(size);
  bigger.set(marks);
  marks = bigger;
}

/** Records that `fd` (just opened by this process on a /proc file) is held open. */
export function holdProcDescriptor(fd: number): void {
  if (fd < 0) return;
  grow(fd);
  marks[fd >>> 5]! |= 1 << (fd & 31);
}

/** Call just before closing `fd`: from then on its number may name anything. */
export function releaseProcDescriptor(fd: number): void {
  if (fd < 0 || fd >>> 5 >= marks.length) return;
  marks[fd >>> 5]! &= ~(1 << (fd & 31));
}

/** Whether `fd` of this process is a /proc file some Sampler holds open. */
export function isHeldProcDescriptor(fd: number): boolean {
  return fd >= 0 && fd >>> 5 < marks.length && (marks[fd >>> 5]! & (1 << (fd & 31))) !== 0;
}
