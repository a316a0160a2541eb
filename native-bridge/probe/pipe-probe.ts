/**
 * Pipes and FIFOs: ends and holders from the descriptor tables, fill and
 * capacity from a borrowed read end (FIONREAD, F_GETPIPE_SZ), and up to 256
 * queued bytes copied with tee() into a private pipe, which leaves them in
 * place for the real reader. A whole-machine scan has already measured each
 * pipe through a read end while it scanned the holders (scan-share.ts): that
 * reading is used unless bytes are to be peeked.
 */
import { makePipe, native, O_NONBLOCK, SPLICE_F_NONBLOCK } from '../libc/libc';
import type { Holder, PipeObject } from '../model/snapshot-types';
import { MAX_PEEK_BYTES, type HolderRef, type KindProbe, type KindProbeResult, type ProbeContext } from './probe-types';
import type { PidfdTable } from './pidfd';
import type { ScannedProcessWithExtras } from './process-scan';
import { pipeKey, pipeReadingOf, readPipeFill, type PipeReading } from './pipe-reading';

/** Any holder's reading of the pipe: fill and capacity are the pipe's, whichever end they were read through. */
function anyReading(holders: HolderRef[]): PipeReading | undefined {
  for (const holder of holders) {
    const reading = pipeReadingOf(holder.scanned);
    if (reading) return reading;
  }
  return undefined;
}

interface PipeGroup {
  kind: 'pipe' | 'fifo';
  inode: number;
  path?: string;
  holders: HolderRef[];
  targets: Set<string>;
}

export class PipeProbe implements KindProbe {
  readonly name = 'pipes';
  private scratch: [number, number] | null = null;
  /** Last description of each pipe, reused while none of its holders has run. */
  private last = new Map<string, { holders: string; object: PipeObject }>();

  constructor(private readonly pidfds: PidfdTable) {}

  collect(ctx: ProbeContext): KindProbeResult {
    const groups = new Map<string, PipeGroup>();
    for (const [target, holders] of ctx.holdersByTarget) {
      const first = holders[0]?.scanned;
      // One FIFO may be reached through several paths (links): grouped by inode.
      const key = first ? pipeKey(first) : null;
      if (!first || key === null) continue;
      const group: PipeGroup = groups.get(key) ?? {
        kind: key.startsWith('pipe:') ? 'pipe' : 'fifo',
        inode: first.inode!,
        ...(key.startsWith('fifo:') ? { path: target } : {}),
        holders: [],
        targets: new Set(),
      };
      group.holders.push(...holders);
      group.targets.add(target);
      groups.set(key, group);
    }
    // FIFOs that someone is still waiting to open have no holder yet.
    for (const proc of ctx.processes.values() as Iterable<ScannedProcessWithExtras>) {
      const waiting = proc.fifoOpen;
      if (!waiting) continue;
      const key = `fifo:${waiting.inode}`;
      if (!groups.has(key)) groups.set(key, { kind: 'fifo', inode: waiting.inode, path: waiting.path, holders: [], targets: new Set() });
    }
    const objects: PipeObject[] = [];
    const targets = new Map<string, string>();
    const described = new Map<string, { holders: string; object: PipeObject }>();
    for (const [id, group] of groups) {
      const holders = group.holders.map((h) => `${h.pid}/${h.fd}/${h.access}`).join(' ');
      // Only a holder can change a pipe's contents; if none has run since the
      // last sample (ctx.idle), what was read then is still what is there.
      const previous = this.last.get(id);
      const reuse = previous?.holders === holders && group.holders.length > 0 && group.holders.every((h) => ctx.idle?.has(h.pid));
      const object = reuse ? previous.object : this.describe(id, group, ctx.options.peekBytes);
      described.set(id, { holders, object });
      objects.push(object);
      for (const target of group.targets) targets.set(target, id);
    }
    this.last = described;
    return { objects, targets };
  }

  private describe(id: string, group: PipeGroup, peekBytes: number): PipeObject {
    const holders: Holder[] = group.holders.map(({ pid, fd, access }) => ({ pid, fd, access }));
    const readers = holders.filter((h) => h.access !== 'w').length;
    const writers = holders.filter((h) => h.access !== 'r').length;
    const object: PipeObject = {
      id,
      kind: group.kind,
      inode: group.inode,
      holders,
      capacity: null,
      queued: null,
      peek: null,
      readers,
      writers,
    };
    if (group.path !== undefined) object.path = group.path;
    // Borrow a read end: a borrowed write end would delay the reader's EOF.
    const source = group.holders.find((h) => h.access !== 'w') ?? group.holders[0];
    if (!source) return object;
    const reading = pipeReadingOf(source.scanned) ?? anyReading(group.holders);
    const peekWanted = peekBytes > 0 && source.access !== 'w';
    if (reading && !(peekWanted && (reading.queued ?? 0) > 0)) {
      object.capacity = reading.capacity;
      object.queued = reading.queued;
      return object;
    }
    this.pidfds.borrow(source.pid, source.fd, (fd) => {
      const fill = readPipeFill(fd);
      object.capacity = fill.capacity;
      object.queued = fill.queued;
      if (peekWanted && (object.queued ?? 0) > 0) object.peek = this.peek(fd, Math.min(peekBytes, MAX_PEEK_BYTES));
    });
    return object;
  }

  /** tee() copies without consuming; the copy is then drained from our private pipe. */
  private peek(fd: number, bytes: number): string | null {
    this.scratch ??= makePipe(O_NONBLOCK);
    const [scratchRead, scratchWrite] = this.scratch;
    const copied = native.tee(fd, scratchWrite, bytes, SPLICE_F_NONBLOCK);
    if (copied <= 0) return null;
    // A fresh scratch pipe always has room for 256 bytes, so one read drains it.
    const copy = Buffer.alloc(copied);
    const got = native.read(scratchRead, copy, copied);
    return got > 0 ? copy.subarray(0, got).toString('base64') : null;
  }

  close(): void {
    if (this.scratch) {
      native.close(this.scratch[0]);
      native.close(this.scratch[1]);
      this.scratch = null;
    }
  }
}
