/**
 * Unix sockets as the kernel lists them through NETLINK_SOCK_DIAG
 * (unix_diag): type, state, bound name, peer, receive queue; for listeners
 * the pending connections, backlog and the pending clients (ICONS).
 */
import type { UnixSocketObject } from '../../../model/snapshot-types';
import type { KindProbe, KindProbeResult, ProbeContext } from '../../probe-types';
import { SOCK_DGRAM } from '../../../libc/sockets';
import { TCP_CLOSE, TCP_ESTABLISHED, TCP_LISTEN, forEachAttribute, sockDiagQueries, sockDiagRequest, stateName } from './sock-diag';
import { heldSocketInodes, holderRefsOf, holdersOf, isSocketTarget, socketTarget } from './socket-holders';
import { type DescriptorBorrower, borrowOnce } from '../../process/pidfd';
import { peekHeldSocket } from './socket-peek';
import { inFlightFds } from './socket-in-flight';
import { errnoName } from '../../../libc/errno';
import type { UnixConnectTarget } from '../../blocked/unix-connect';

/* linux/unix_diag.h */
const AF_UNIX = 1;
const UDIAG_SHOW_NAME = 0x1;
const UDIAG_SHOW_VFS = 0x2;
const UDIAG_SHOW_PEER = 0x4;
const UDIAG_SHOW_ICONS = 0x8;
const UDIAG_SHOW_RQLEN = 0x10;
const UNIX_DIAG_NAME = 0;
const UNIX_DIAG_VFS = 1;
const UNIX_DIAG_PEER = 2;
const UNIX_DIAG_ICONS = 3;
const UNIX_DIAG_RQLEN = 4;
/* unix_diag_msg: {u8 family, u8 type, u8 state, u8 pad, u32 ino, u32 cookie[2]} */
const UNIX_DIAG_MSG_BYTES = 16;

/** One socket as unix_diag reports it. */
interface UnixDiagEntry {
  inode: number;
  /** SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5 */
  type: number;
  /** tcp_states numbering: ESTAB 1, UNCONN 7, LISTEN 10 */
  state: number;
  /** Bound path; abstract names start with "@"; null when unbound. */
  path: string | null;
  /** Peer inode; 0 for a client still waiting in a listener's queue (its peer has no inode yet). */
  peer: number;
  /** Bytes queued for reading (stream, seqpacket: all; dgram: the first datagram); on LISTEN: pending connections. */
  rqueue: number;
  /** Sender skb truesize (not bytes); on LISTEN: the backlog. */
  wqueue: number;
  /** On LISTEN: inodes of the clients waiting to be accepted. */
  icons: number[];
  /** A socket bound to a path: the socket file's inode and device (kernel dev_t, MKDEV = major << 20 | minor); else null. */
  vfs: { inode: number; dev: number } | null;
}

/* unix_diag_req (24 bytes): {u8 family, u8 protocol, u16 pad, u32 states, u32 ino, u32 show, u32 cookie[2]} */
const UNIX_DIAG_REQ_BYTES = 24;

/** Writes a unix_diag_req for `inode` (0 with a dump: every socket) at `offset` of `view`. */
function writeUnixDiagRequest(view: DataView, offset: number, inode: number): void {
  view.setUint8(offset, AF_UNIX);
  view.setUint8(offset + 1, 0);
  view.setUint16(offset + 2, 0, true);
  view.setUint32(offset + 4, 0xffffffff, true);
  view.setUint32(offset + 8, inode, true);
  view.setUint32(offset + 12, UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER | UDIAG_SHOW_ICONS | UDIAG_SHOW_RQLEN, true);
  /* cookie ~0: "any socket with this inode" */
  view.setUint32(offset + 16, 0xffffffff, true);
  view.setUint32(offset + 20, 0xffffffff, true);
}

function unixDiagRequest(inode: number): Uint8Array {
  const body = new Uint8Array(UNIX_DIAG_REQ_BYTES);
  writeUnixDiagRequest(new DataView(body.buffer), 0, inode);
  return body;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/**
 * An abstract name starts with NUL and is shown as "@name", every NUL in it
 * as "@" (as `ss` prints it); a path ends at its first NUL (the kernel may
 * store the terminating NUL).
 */
function decodeName(view: DataView, offset: number, length: number): string | null {
  if (length === 0) return null;
  const bytes = new Uint8Array(view.buffer, view.byteOffset + offset, length);
  if (bytes[0] === 0) return latin1.decode(bytes).replace(/\0/g, '@');
  const nul = bytes.indexOf(0);
  return utf8.decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

function parseUnixDiag(view: DataView, offset: number, end: number): UnixDiagEntry {
  const entry: UnixDiagEntry = {
    inode: view.getUint32(offset + 4, true),
    type: view.getUint8(offset + 1),
    state: view.getUint8(offset + 2),
    path: null,
    peer: 0,
    rqueue: 0,
    wqueue: 0,
    icons: [],
    vfs: null,
  };
  forEachAttribute(view, offset + UNIX_DIAG_MSG_BYTES, end, (type, off, len) => {
    if (type === UNIX_DIAG_NAME) entry.path = decodeName(view, off, len);
    /* unix_diag_vfs: {u32 udiag_vfs_ino, u32 udiag_vfs_dev} */ else if (type === UNIX_DIAG_VFS && len >= 8) {
      entry.vfs = { inode: view.getUint32(off, true), dev: view.getUint32(off + 4, true) };
    }
    else if (type === UNIX_DIAG_PEER && len >= 4) entry.peer = view.getUint32(off, true);
    else if (type === UNIX_DIAG_RQLEN && len >= 8) {
      entry.rqueue = view.getUint32(off, true);
      entry.wqueue = view.getUint32(off + 4, true);
    } else if (type === UNIX_DIAG_ICONS) {
      // a pending connection whose client already closed reads inode 0: it has no socket left to name (still counted in rqueue)
      for (let i = 0; i + 4 <= len; i += 4) {
        const client = view.getUint32(off + i, true);
        if (client !== 0) entry.icons.push(client);
      }
    }
  });
  return entry;
}

/** Every Unix socket in this network namespace: one netlink dump. */
export function dumpUnixSockets(): UnixDiagEntry[] {
  const out: UnixDiagEntry[] = [];
  sockDiagRequest(unixDiagRequest(0), true, (view, offset, end) => {
    if (end - offset >= UNIX_DIAG_MSG_BYTES) out.push(parseUnixDiag(view, offset, end));
  });
  return out;
}

/**
 * Unix sockets by inode, asked in one datagram (sockDiagQueries), added to
 * `into` by inode; a socket the kernel no longer has is left out. With
 * `failed`, a socket the kernel refuses to describe is recorded there (inode
 * -> errno) and the others are still read; without it, that throws.
 */
export function queryUnixSockets(inodes: readonly number[], into: Map<number, UnixDiagEntry>, failed?: Map<number, number>): void {
  sockDiagQueries(
    inodes.length,
    UNIX_DIAG_REQ_BYTES,
    (index, view, offset) => writeUnixDiagRequest(view, offset, inodes[index]!),
    (_index, view, offset, end) => {
      if (end - offset < UNIX_DIAG_MSG_BYTES) return;
      const entry = parseUnixDiag(view, offset, end);
      into.set(entry.inode, entry);
    },
    failed ? (index, errno) => failed.set(inodes[index]!, errno) : undefined,
  );
}

/** One Unix socket by inode, or null when the kernel no longer has it. */
export function queryUnixSocket(inode: number): UnixDiagEntry | null {
  const found = new Map<number, UnixDiagEntry>();
  queryUnixSockets([inode], found);
  return found.get(inode) ?? null;
}

const TYPE_NAMES: Record<number, UnixSocketObject['type']> = { 1: 'stream', 2: 'dgram', 5: 'seqpacket' };

function unixId(inode: number): string {
  return `unix:${inode}`;
}

/** The peer socket's inode; for a client still in a listener's queue, the listener's. */
function peerOf(e: UnixDiagEntry, listenerOfClient: Map<number, number>): number {
  return e.peer !== 0 ? e.peer : (listenerOfClient.get(e.inode) ?? 0);
}

/**
 * The socket objects from one dump. A client still waiting in a listener's
 * queue has no peer socket yet (peer inode 0): its `peer` names the listener
 * it waits in, found through the listener's ICONS.
 */
function unixObjectsFrom(
  entries: UnixDiagEntry[],
  ctx: ProbeContext,
  held: ReadonlySet<number>,
  borrow: DescriptorBorrower = borrowOnce,
  failed: ReadonlyMap<number, number> = new Map(),
  scoped = !ctx.wholeMachine,
): KindProbeResult {
  const byInode = new Map<number, UnixDiagEntry>();
  const listenerOfClient = new Map<number, number>();
  for (const e of entries) {
    byInode.set(e.inode, e);
    for (const client of e.icons) listenerOfClient.set(client, e.inode);
  }

  let report: Iterable<number>;
  if (!scoped) {
    report = byInode.keys();
  } else {
    const wanted = new Set<number>();
    for (const inode of held) {
      const e = byInode.get(inode);
      if (!e) continue;
      wanted.add(inode);
      const peer = peerOf(e, listenerOfClient);
      if (peer !== 0) wanted.add(peer);
      for (const client of e.icons) wanted.add(client);
    }
    report = wanted;
  }

  const objects: UnixSocketObject[] = [];
  const targets = new Map<string, string>();
  for (const inode of report) {
    const e = byInode.get(inode);
    if (!e) continue;
    const id = unixId(inode);
    targets.set(socketTarget(inode), id);
    const peer = peerOf(e, listenerOfClient);
    const listening = e.state === TCP_LISTEN;
    const obj: UnixSocketObject = {
      id,
      kind: 'unix',
      inode,
      holders: holdersOf(ctx, inode),
      type: TYPE_NAMES[e.type] ?? 'unknown',
      state: stateName(e.state),
      peer: peer !== 0 && byInode.has(peer) ? unixId(peer) : null,
      queued: listening ? null : e.rqueue,
      peek: null,
    };
    if (e.path !== null) obj.path = e.path;
    if (listening) {
      obj.pending = e.rqueue;
      obj.backlog = e.wqueue;
    } else if (e.rqueue > 0 && ctx.options.peekBytes > 0) {
      obj.peek = peekHeldSocket(holderRefsOf(ctx, inode), ctx.options.peekBytes, borrow);
    }
    /* a descriptor passed with SCM_RIGHTS travels with at least one queued byte */
    if (!listening && e.rqueue > 0) {
      const passed = inFlightFds(holderRefsOf(ctx, inode));
      if (passed !== null && passed > 0) obj.inFlightFds = passed;
    }
    objects.push(obj);
  }
  const problems: string[] = [];
  for (const [inode, errno] of failed) {
    if (byInode.has(inode)) continue;
    const reason = `sock_diag refused socket ${inode}: ${errnoName(errno)}`;
    problems.push(reason);
    if (!held.has(inode)) continue;
    // still held: shown as a socket the kernel would not describe, never as gone
    const id = unixId(inode);
    targets.set(socketTarget(inode), id);
    objects.push({ id, kind: 'unix', inode, holders: holdersOf(ctx, inode), type: 'unknown', state: 'unknown', peer: null, queued: null, peek: null, stale: reason });
  }
  return problems.length > 0 ? { objects, targets, problems } : { objects, targets };
}

/* Up to this many held sockets, a PID-scoped snapshot asks for each by inode instead of dumping all. */
const QUERY_ONE_BY_ONE = 32;

/**
 * The entries a PID-scoped snapshot needs: the held sockets, their peers and
 * a listener's pending clients. A few by inode are cheaper than a dump of
 * every socket on a busy desktop; a client still in some listener's queue
 * (peer 0) can only be matched to its listener through a dump. The held
 * sockets are asked in one datagram, then their peers and pending clients
 * outside the scope in a second.
 */
function scopedEntries(ctx: ProbeContext, held: ReadonlySet<number>, previous: Map<number, UnixDiagEntry>, failed: Map<number, number>): UnixDiagEntry[] {
  if (held.size === 0) return [];
  if (held.size > QUERY_ONE_BY_ONE) return dumpUnixSockets();
  const found = new Map<number, UnixDiagEntry>();
  queryChanged(ctx, previous, found, held, failed);
  const further = new Set<number>();
  for (const inode of held) {
    const entry = found.get(inode);
    if (!entry) continue;
    if (entry.peer === 0 && entry.type !== SOCK_DGRAM && entry.state !== TCP_LISTEN && entry.state !== TCP_CLOSE /* UNCONN */) {
      return dumpUnixSockets();
    }
    if (entry.peer !== 0 && !found.has(entry.peer)) further.add(entry.peer);
    for (const client of entry.icons) if (!found.has(client)) further.add(client);
  }
  queryChanged(ctx, previous, found, further, failed);
  return [...found.values()];
}

/**
 * Adds the entries of `inodes` to `found`: the previous sample's where it
 * cannot have changed, the others asked of the kernel together.
 */
function queryChanged(
  ctx: ProbeContext,
  previous: Map<number, UnixDiagEntry>,
  found: Map<number, UnixDiagEntry>,
  inodes: Iterable<number>,
  failed: Map<number, number>,
): void {
  const ask: number[] = [];
  for (const inode of inodes) {
    const entry = unchangedEntry(ctx, previous, inode);
    if (entry) found.set(inode, entry);
    else ask.push(inode);
  }
  // one socket the kernel refuses never hides the others: each message of the batch is answered on its own
  queryUnixSockets(ask, found, failed);
}

/**
 * The previous sample's entry, while it cannot have changed: a connected
 * stream or seqpacket socket changes only through its own holders or its
 * peer's, and none of them has run since (ctx.idle). Listeners (any process
 * may connect) and datagram sockets (any process may send) are always asked.
 */
function unchangedEntry(ctx: ProbeContext, previous: Map<number, UnixDiagEntry>, inode: number): UnixDiagEntry | null {
  const idle = ctx.idle;
  // nobody idle (the watched processes all ran): nothing can be as it was
  if (!idle || idle.size === 0) return null;
  const entry = previous.get(inode);
  if (!entry || entry.state !== TCP_ESTABLISHED || entry.type === SOCK_DGRAM || entry.peer === 0) return null;
  return heldOnlyByIdle(ctx, idle, inode) && heldOnlyByIdle(ctx, idle, entry.peer) ? entry : null;
}

function heldOnlyByIdle(ctx: ProbeContext, idle: Set<number>, socket: number): boolean {
  const holders = holderRefsOf(ctx, socket);
  if (holders.length === 0) return false;
  for (const holder of holders) if (!idle.has(holder.pid)) return false;
  return true;
}

/** A user-space st_dev (glibc makedev) as the kernel's dev_t (MKDEV: major << 20 | minor), as unix_diag_vfs carries it. */
function kernelDev(stDev: number): number {
  const major = Math.floor(stDev / 256) & 0xfff;
  const minor = (stDev & 0xff) | (Math.floor(stDev / 4096) & 0xfff00);
  return major * (1 << 20) + minor;
}

/** The listener a connect() target names: by the socket file's inode and device, or by abstract name. */
function listenerFor(target: UnixConnectTarget, entries: Iterable<UnixDiagEntry>): UnixDiagEntry | null {
  for (const e of entries) {
    if (e.state !== TCP_LISTEN) continue;
    if (target.inode !== null && target.dev !== null) {
      if (e.vfs?.inode === target.inode && e.vfs.dev === kernelDev(target.dev)) return e;
    } else if (target.inode === null && e.path === target.name) {
      return e;
    }
  }
  return null;
}

/** The scanned processes blocked in connect() on a Unix listener (unix_wait_for_peer), with their target. */
function connectWaiters(ctx: ProbeContext): [number, UnixConnectTarget][] {
  const out: [number, UnixConnectTarget][] = [];
  for (const p of ctx.processes.values()) if (p.unixConnect) out.push([p.pid, p.unixConnect]);
  return out;
}

/**
 * Adds to `result` the listeners the scanned connect() waiters wait on (and,
 * in a PID scope, the listener object itself when nothing held reached it),
 * and which process waits on which.
 */
function addConnectWaits(
  result: KindProbeResult,
  waiters: readonly [number, UnixConnectTarget][],
  entries: UnixDiagEntry[],
  ctx: ProbeContext,
  borrow: DescriptorBorrower,
): KindProbeResult {
  if (waiters.length === 0) return result;
  const waits = new Map<number, string>();
  const missing = new Set<number>();
  const reported = new Set(result.objects.map((o) => o.id));
  for (const [pid, target] of waiters) {
    const listener = listenerFor(target, entries);
    if (!listener) continue;
    waits.set(pid, unixId(listener.inode));
    if (!reported.has(unixId(listener.inode))) missing.add(listener.inode);
  }
  if (missing.size > 0) {
    const extra = unixObjectsFrom(entries, ctx, missing, borrow, new Map(), true);
    result.objects.push(...extra.objects.filter((o) => !reported.has(o.id)));
    for (const [target, id] of extra.targets) result.targets.set(target, id);
  }
  return { ...result, waits };
}

/** A probe that peeks through `borrow` (the core's PidfdTable.borrow keeps pidfds between ticks). */
export function createUnixSocketProbe(borrow: DescriptorBorrower = borrowOnce): KindProbe {
  let previous = new Map<number, UnixDiagEntry>();
  return {
    name: 'unix-sockets',
    changedThrough: isSocketTarget,
    collect(ctx: ProbeContext): KindProbeResult {
      const held = heldSocketInodes(ctx);
      const waiters = connectWaiters(ctx);
      if (ctx.wholeMachine || waiters.length > 0) {
        // a listener a process waits to connect to may be held by no scanned process: only a dump finds it by its file
        const all = dumpUnixSockets();
        if (!ctx.wholeMachine) previous = new Map(all.filter((e) => held.has(e.inode)).map((e) => [e.inode, e]));
        return addConnectWaits(unixObjectsFrom(all, ctx, held, borrow), waiters, all, ctx, borrow);
      }
      // a PID scope that holds no socket reaches no Unix socket: nothing to ask or to build
      if (held.size === 0) {
        previous.clear();
        return { objects: [], targets: new Map() };
      }
      const failed = new Map<number, number>();
      const entries = scopedEntries(ctx, held, previous, failed);
      previous = new Map(entries.map((e) => [e.inode, e]));
      return unixObjectsFrom(entries, ctx, held, borrow, failed);
    },
  };
}

export const unixSocketProbe: KindProbe = createUnixSocketProbe();
