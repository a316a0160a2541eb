/**
 * Pipes and FIFOs: ends and holders from the descriptor tables, fill and
 * capacity from a borrowed read end (FIONREAD, F_GETPIPE_SZ), and up to 256
 * queued bytes copied with tee() into a private pipe, which leaves them in
 * place for the real reader. A whole-machine scan has already measured each
 * pipe through a read end while it scanned the holders (scan-share.ts): that
 * reading is used unless bytes are to be peeked.
 */
import { makePipe, native, O_NONBLOCK, SPLICE_F_NONBLOCK } from '../../../libc/libc';
import type { Holder, PipeObject } from '../../../model/snapshot-types';
import { MAX_PEEK_BYTES, type HolderRef, type KindProbe, type KindProbeResult, type ProbeContext } from '../../probe-types';
import type { PidfdTable } from '../../process/pidfd';
import type { ScannedProcessWithExtras } from '../../process/process-scan';
import { pipeKey, pipeReadingOf, POLLERR, POLLHUP, readPipeFill, type PipeReading } from './pipe-reading';

/** Any holder's reading of the pipe: fill and capacity are the pipe's, whichever end they were read through. */
function anyReading(holders: HolderRef[]): PipeReading | undefined {
  for (const holder of holders) {
    const reading = pipeReadingOf(holder.scanned);
    if (reading) return reading;
  }
  return undefined;
}

/* where tee()'s copy is read back: one buffer for every peek */
const peekCopy = Buffer.alloc(MAX_PEEK_BYTES);

interface PipeGroup {
  kind: 'pipe' | 'fifo';
  inode: number;
  path?: string;
  holders: HolderRef[];
  targets: Set<string>;
  /** The holders as a snapshot lists them, and "pid/fd/access ..." of them all: made once per group. */
  described?: { holders: Holder[]; key: string; readers: number; writers: number };
}

/** The pipes and FIFOs of one holders index, and the descriptor targets that name them. */
interface PipeGroups {
  from: ProbeContext['holdersByTarget'];
  groups: Map<string, PipeGroup>;
  targets: Map<string, string>;
  /** Each holder's pid -> the groups it holds: which pipes a process that ran can have changed. */
  groupsOfPid: Map<number, PipeGroup[]>;
}

export class PipeProbe implements KindProbe {
  readonly name = 'pipes';
  private scratch: [number, number] | null = null;
  /** Last description of each pipe, reused while none of its holders has run. */
  private last = new Map<string, { holders: string; object: PipeObject; readAt: number }>();
  /**
   * The grouping of the latest holders index: a Sampler hands the same index
   * (the same Map) again until a descriptor table or the other holders change,
   * so a watch tick between refreshes groups nothing.
   */
  private grouped: PipeGroups | null = null;

  constructor(private readonly pidfds: PidfdTable) {}

  collect(ctx: ProbeContext): KindProbeResult {
    const grouped = this.grouped?.from === ctx.holdersByTarget ? this.grouped : groupPipes(ctx.holdersByTarget);
    this.grouped = grouped;
    let groups = grouped.groups;
    // FIFOs that someone is still waiting to open have no holder yet (a wait read at this tick).
    for (const proc of ctx.processes.values() as Iterable<ScannedProcessWithExtras>) {
      const waiting = proc.fifoOpen;
      if (!waiting) continue;
      const key = `fifo:${waiting.inode}`;
      if (groups.has(key)) continue;
      if (groups === grouped.groups) groups = new Map(groups);
      groups.set(key, { kind: 'fifo', inode: waiting.inode, path: waiting.path, holders: [], targets: new Set() });
    }
    const objects: PipeObject[] = [];
    const described = new Map<string, { holders: string; object: PipeObject; readAt: number }>();
    const touched = touchedGroups(grouped.groupsOfPid, ctx.idle);
    for (const [id, group] of groups) {
      const holders = describeHolders(group).key;
      // Only a holder can change a pipe's contents; if none has run since the
      // last sample (ctx.idle), what was read then is still what is there.
      // An end held where we cannot see (hidden*) can change it unseen: such a pipe is read again, at every
      // sample, or on the whole machine once per re-check period (ctx.recheck), saying when (checkedAt).
      const previous = this.last.get(id);
      const reuse = previous?.holders === holders && group.holders.length > 0 && !touched.has(group) && (!endsBeyond(previous.object) || recheckWaits(previous.readAt, ctx.recheck));
      const readAt = reuse ? previous.readAt : (ctx.recheck?.now ?? 0);
      const object = reuse ? previous.object : this.describe(id, group, ctx.options.peekBytes);
      if (!reuse && ctx.recheck && endsBeyond(object)) object.checkedAt = readAt;
      described.set(id, { holders, object, readAt });
      objects.push(object);
    }
    this.last = described;
    // a waiting FIFO has no descriptor yet: the targets are those of the holders' groups
    return { objects, targets: grouped.targets };
  }

  private describe(id: string, group: PipeGroup, peekBytes: number): PipeObject {
    const { holders, readers, writers } = describeHolders(group);
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
      // a scan measures through read ends only (scan-share.ts)
      addHiddenEnds(object, reading.revents);
      return object;
    }
    let copied = 0;
    let revents: number | null = null;
    this.pidfds.borrow(source.pid, source.fd, (fd) => {
      const fill = readPipeFill(fd);
      object.capacity = fill.capacity;
      object.queued = fill.queued;
      revents = fill.revents;
      if (peekWanted && (object.queued ?? 0) > 0) copied = this.teeInto(fd, Math.min(peekBytes, MAX_PEEK_BYTES));
    });
    addHiddenEnds(object, revents);
    // the copy is drained once the borrowed end is closed again: it is held only for the reads of the pipe itself
    if (copied > 0) object.peek = this.drainCopy(copied);
    return object;
  }

  /** tee() copies up to `bytes` queued bytes into our private pipe without consuming them: how many. */
  private teeInto(fd: number, bytes: number): number {
    this.scratch ??= makePipe(O_NONBLOCK);
    return Math.max(0, native.tee(fd, this.scratch[1], bytes, SPLICE_F_NONBLOCK));
  }

  /** The `copied` bytes tee() left in our private pipe, as base64. A fresh scratch pipe always has room for 256 bytes, so one read drains it. */
  private drainCopy(copied: number): string | null {
    const got = native.read(this.scratch![0], peekCopy, copied);
    return got > 0 ? peekCopy.toString('base64', 0, got) : null;
  }

  close(): void {
    if (this.scratch) {
      native.close(this.scratch[0]);
      native.close(this.scratch[1]);
      this.scratch = null;
    }
  }
}

/**
 * hiddenWriters / hiddenReaders of a pipe none of whose listed holders has a
 * write (read) end, from the revents of the end borrowed: with no writer
 * listed every listed end is a read end, so POLLHUP answers for writers, and
 * with no reader listed every end is a write end, so POLLERR answers for
 * readers (pipe_poll). A FIFO reader opened O_NONBLOCK while no writer was
 * there gets no POLLHUP until a writer comes (f_pipe == w_counter), so on a
 * FIFO only POLLHUP is an answer.
 */
function addHiddenEnds(object: PipeObject, revents: number | null): void {
  if (object.writers === 0) {
    if (revents === null) object.hiddenWriters = null;
    else if (revents & POLLHUP) object.hiddenWriters = false;
    else object.hiddenWriters = object.kind === 'pipe' ? true : null;
  }
  if (object.readers === 0) object.hiddenReaders = revents === null ? null : (revents & POLLERR) === 0;
}

/** Whether a pipe with an end beyond the listed holders, read at `readAt`, may be shown as read then (whole machine, within the period). */
function recheckWaits(readAt: number, recheck: ProbeContext['recheck']): boolean {
  return recheck !== undefined && recheck.now - readAt < recheck.ms;
}

/** Whether an end not listed is or may be open: what is read of such a pipe may change while no listed holder runs. */
function endsBeyond(object: PipeObject): boolean {
  return (object.hiddenWriters !== undefined && object.hiddenWriters !== false) || (object.hiddenReaders !== undefined && object.hiddenReaders !== false);
}

/** Groups the pipes and FIFOs of a holders index by object: one FIFO may be reached through several paths (links), so by inode. */
function groupPipes(holdersByTarget: ProbeContext['holdersByTarget']): PipeGroups {
  const groups = new Map<string, PipeGroup>();
  const targets = new Map<string, string>();
  const groupsOfPid = new Map<number, PipeGroup[]>();
  for (const [target, holders] of holdersByTarget) {
    const first = holders[0]?.scanned;
    const key = first ? pipeKey(first) : null;
    if (!first || key === null) continue;
    let group = groups.get(key);
    if (!group) {
      group = { kind: key.startsWith('pipe:') ? 'pipe' : 'fifo', inode: first.inode!, holders: [], targets: new Set() };
      if (group.kind === 'fifo') group.path = target;
      groups.set(key, group);
    }
    group.holders.push(...holders);
    group.targets.add(target);
    targets.set(target, key);
    for (const holder of holders) {
      const held = groupsOfPid.get(holder.pid);
      if (!held) groupsOfPid.set(holder.pid, [group]);
      else if (held[held.length - 1] !== group) held.push(group);
    }
  }
  return { from: holdersByTarget, groups, targets, groupsOfPid };
}

/**
 * The groups some holder of which may have run since the last sample: every
 * group of each holder not in `idle`. Asked per holder process rather than
 * per holder: with a thousand workers each holding up to a thousand write
 * ends (process-pool `keeps`), looking at every holder of every pipe at each
 * sample cost more than the rest of the probe.
 */
function touchedGroups(groupsOfPid: Map<number, PipeGroup[]>, idle: ReadonlySet<number> | undefined): Set<PipeGroup> {
  const touched = new Set<PipeGroup>();
  for (const [pid, held] of groupsOfPid) {
    if (idle?.has(pid)) continue;
    for (const group of held) touched.add(group);
  }
  return touched;
}

/** The group's holders as objects list them (shared by the snapshots of one grouping, like a reused object). */
function describeHolders(group: PipeGroup): NonNullable<PipeGroup['described']> {
  if (group.described) return group.described;
  const holders: Holder[] = group.holders.map(({ pid, fd, access }) => ({ pid, fd, access }));
  group.described = {
    holders,
    key: group.holders.map((h) => `${h.pid}/${h.fd}/${h.access}`).join(' '),
    readers: holders.filter((h) => h.access !== 'w').length,
    writers: holders.filter((h) => h.access !== 'r').length,
  };
  return group.described;
}
