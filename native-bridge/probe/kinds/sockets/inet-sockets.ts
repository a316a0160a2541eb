/**
 * TCP and UDP sockets (IPv4 and IPv6) as the kernel lists them through
 * NETLINK_SOCK_DIAG with inet_diag_req_v2: addresses, state, queues, inode.
 * Peers are matched by address pairs when both ends live on this machine.
 */
import type { InetSocketObject } from '../../../model/snapshot-types';
import { selfFdInode } from '../../../libc/libc';
import { AF_INET, AF_INET6, IPPROTO_TCP, IPPROTO_UDP, SOL_SOCKET, SO_DOMAIN, SO_PROTOCOL, getIntOption } from '../../../libc/sockets';
import { endpointKey, formatEndpoint, isWildcard } from './inet-address';
import type { KindProbe, KindProbeResult, ProbeContext } from '../../probe-types';
import { TCP_CLOSE, TCP_LISTEN, sockDiagRequest, stateName } from './sock-diag';
import { heldSocketInodes, holderRefsOf, holdersOf, isSocketTarget, socketTarget } from './socket-holders';
import { type DescriptorBorrower, borrowOnce } from '../../process/pidfd';
import { peekHeldSocket } from './socket-peek';
import { TcpSocketRefresh } from './tcp-socket-refresh';

/* inet_diag_msg (72 bytes): family@0 state@1 timer@2 retrans@3, inet_diag_sockid@4
   {sport be16 @4, dport be16 @6, src[16] @8, dst[16] @24, if @40, cookie[2] @44},
   expires@52 rqueue@56 wqueue@60 uid@64 inode@68 */
const INET_DIAG_MSG_BYTES = 72;

type InetProtocol = 'tcp' | 'udp';
type InetFamily = 'inet' | 'inet6';

/** One socket as inet_diag reports it. */
interface InetDiagEntry {
  protocol: InetProtocol;
  family: InetFamily;
  /** tcp_states numbering: ESTAB 1, UNCONN (TCP_CLOSE) 7, LISTEN 10 */
  state: number;
  localAddr: Uint8Array;
  localPort: number;
  remoteAddr: Uint8Array;
  remotePort: number;
  /** TCP: bytes not yet read; UDP: receive memory in use (skb truesize); LISTEN: pending connections. */
  rqueue: number;
  /** TCP: bytes not yet acknowledged; UDP: send memory in use; LISTEN: the backlog. */
  wqueue: number;
  uid: number;
  /** 0 for sockets no descriptor can reach: accept-queue children, TIME-WAIT, SYN-RECV. */
  inode: number;
  /** AF_INET or AF_INET6, and the raw inet_diag_sockid: what asks the kernel for this one socket again. */
  familyNumber: number;
  sockId: Uint8Array;
}

/* inet_diag_req_v2 (56 bytes): {u8 family, u8 protocol, u8 ext, u8 pad, u32 states, inet_diag_sockid id} */
function inetDiagRequest(family: number, protocol: number): Uint8Array {
  const body = new Uint8Array(56);
  const view = new DataView(body.buffer);
  view.setUint8(0, family);
  view.setUint8(1, protocol);
  view.setUint32(4, 0xffffffff, true);
  return body;
}

function parseInetDiag(view: DataView, offset: number, protocol: InetProtocol): InetDiagEntry {
  const familyNumber = view.getUint8(offset);
  const family: InetFamily = familyNumber === AF_INET6 ? 'inet6' : 'inet';
  const addrBytes = family === 'inet' ? 4 : 16;
  const base = view.byteOffset + offset;
  return {
    protocol,
    family,
    state: view.getUint8(offset + 1),
    localPort: view.getUint16(offset + 4, false),
    remotePort: view.getUint16(offset + 6, false),
    localAddr: new Uint8Array(view.buffer.slice(base + 8, base + 8 + addrBytes)),
    remoteAddr: new Uint8Array(view.buffer.slice(base + 24, base + 24 + addrBytes)),
    rqueue: view.getUint32(offset + 56, true),
    wqueue: view.getUint32(offset + 60, true),
    uid: view.getUint32(offset + 64, true),
    inode: view.getUint32(offset + 68, true),
    familyNumber,
    sockId: new Uint8Array(view.buffer.slice(base + 4, base + 52)),
  };
}

const parseTcpReply = (view: DataView, offset: number): InetDiagEntry => parseInetDiag(view, offset, 'tcp');

/** Every socket of one protocol in this network namespace: an IPv4 and an IPv6 dump. */
export function dumpInetSockets(protocol: InetProtocol): InetDiagEntry[] {
  const out: InetDiagEntry[] = [];
  const proto = protocol === 'tcp' ? IPPROTO_TCP : IPPROTO_UDP;
  for (const family of [AF_INET, AF_INET6]) {
    sockDiagRequest(inetDiagRequest(family, proto), true, (view, offset, end) => {
      if (end - offset >= INET_DIAG_MSG_BYTES) out.push(parseInetDiag(view, offset, protocol));
    });
  }
  return out;
}

function inetId(protocol: InetProtocol, inode: number): string {
  return `${protocol}:${inode}`;
}

const localKey = (e: InetDiagEntry): string => endpointKey(e.family, e.localAddr, e.localPort);
const remoteKey = (e: InetDiagEntry): string => endpointKey(e.family, e.remoteAddr, e.remotePort);

/**
 * Peer inode for every connected socket whose other end is on this machine:
 * the socket whose local/remote pair is ours reversed. When that other end is
 * a child still in a listener's accept queue (inode 0), the peer is the
 * listener the connection waits in.
 */
function matchPeers(entries: InetDiagEntry[]): Map<InetDiagEntry, number> {
  const byPair = new Map<string, InetDiagEntry>();
  const listeners = new Map<string, InetDiagEntry>();
  for (const e of entries) {
    if (e.state === TCP_LISTEN) {
      listeners.set(`${e.protocol}|${localKey(e)}`, e);
      const wildcardKey = `${e.protocol}|*:${e.localPort}`;
      if (isWildcard(e.localAddr, e.family) && !listeners.has(wildcardKey)) listeners.set(wildcardKey, e);
    } else if (e.remotePort !== 0) {
      byPair.set(`${e.protocol}|${localKey(e)}|${remoteKey(e)}`, e);
    }
  }
  const peers = new Map<InetDiagEntry, number>();
  for (const e of entries) {
    if (e.inode === 0 || e.state === TCP_LISTEN || e.remotePort === 0) continue;
    const other = byPair.get(`${e.protocol}|${remoteKey(e)}|${localKey(e)}`);
    if (!other) continue;
    if (other.inode !== 0) {
      peers.set(e, other.inode);
      continue;
    }
    const listener = listeners.get(`${e.protocol}|${remoteKey(e)}`) ?? listeners.get(`${e.protocol}|*:${e.remotePort}`);
    if (listener && listener.inode !== 0) peers.set(e, listener.inode);
  }
  return peers;
}

/** The socket objects from the TCP and UDP dumps. */
function inetObjectsFrom(entries: InetDiagEntry[], ctx: ProbeContext, held: ReadonlySet<number>, borrow: DescriptorBorrower = borrowOnce): KindProbeResult {
  const peers = matchPeers(entries);
  const byId = new Map<string, InetDiagEntry>();
  const pendingClients = new Map<string, string[]>();
  for (const e of entries) {
    if (e.inode === 0) continue;
    byId.set(inetId(e.protocol, e.inode), e);
  }
  for (const [e, peerInode] of peers) {
    const peerId = inetId(e.protocol, peerInode);
    if (byId.get(peerId)?.state === TCP_LISTEN) pendingClients.set(peerId, [...(pendingClients.get(peerId) ?? []), inetId(e.protocol, e.inode)]);
  }

  let report: Iterable<string>;
  if (ctx.wholeMachine) {
    report = byId.keys();
  } else {
    const wanted = new Set<string>();
    for (const [id, e] of byId) {
      if (!held.has(e.inode)) continue;
      wanted.add(id);
      const peer = peers.get(e);
      if (peer !== undefined) wanted.add(inetId(e.protocol, peer));
      for (const client of pendingClients.get(id) ?? []) wanted.add(client);
    }
    report = wanted;
  }

  const objects: InetSocketObject[] = [];
  const targets = new Map<string, string>();
  for (const id of report) {
    const e = byId.get(id);
    if (!e) continue;
    targets.set(socketTarget(e.inode), id);
    const listening = e.state === TCP_LISTEN;
    const peer = peers.get(e);
    const obj: InetSocketObject = {
      id,
      kind: e.protocol,
      inode: e.inode,
      holders: holdersOf(ctx, e.inode),
      family: e.family,
      state: stateName(e.state),
      local: formatEndpoint(e.family, e.localAddr, e.localPort),
      remote: formatEndpoint(e.family, e.remoteAddr, e.remotePort),
      queued: listening ? null : e.rqueue,
      sendQueue: listening ? null : e.wqueue,
      peer: peer === undefined ? null : inetId(e.protocol, peer),
      peek: null,
    };
    if (listening) {
      obj.pending = e.rqueue;
      obj.backlog = e.wqueue;
      const queued = pendingClients.get(id);
      if (queued) obj.acceptQueue = queued;
    } else {
      // its peer is a listener: the server side waits in that accept queue, held by no process
      if (peer !== undefined && byId.get(inetId(e.protocol, peer))?.state === TCP_LISTEN) obj.peerInAcceptQueue = true;
      if (e.rqueue > 0 && ctx.options.peekBytes > 0) obj.peek = peekHeldSocket(holderRefsOf(ctx, e.inode), ctx.options.peekBytes, borrow);
    }
    objects.push(obj);
  }
  return { objects, targets };
}

/**
 * The protocols a PID-scoped sample must dump: those its unclaimed held
 * sockets were listed under by the latest dumps (a socket never changes
 * protocol, and the objects reported start from held sockets, whose peers
 * and pending clients share their protocol). A held socket no dump listed
 * (netlink, packet, or an unbound or closed TCP/UDP socket, which no hash
 * table and so no dump holds) is asked what it is (`askedProtocol`): a
 * netlink socket then costs no dump at all, an unbound TCP socket only the
 * TCP pair. One that cannot be asked could be either: then both.
 */
function protocolsToDump(
  unclaimed: Iterable<number>,
  listed: Record<InetProtocol, Set<number>>,
  ctx: ProbeContext,
  asked: (ctx: ProbeContext, inode: number) => AskedProtocol | undefined,
): InetProtocol[] {
  const wanted = new Set<InetProtocol>();
  for (const inode of unclaimed) {
    if (listed.tcp.has(inode)) wanted.add('tcp');
    else if (listed.udp.has(inode)) wanted.add('udp');
    else {
      const protocol = asked(ctx, inode);
      if (protocol === undefined) return ['tcp', 'udp'];
      if (protocol !== 'other') wanted.add(protocol);
    }
  }
  return (['tcp', 'udp'] as const).filter((p) => wanted.has(p));
}

/** What a socket said it is: TCP or UDP (over IPv4 or IPv6), or something no inet dump lists. */
type AskedProtocol = InetProtocol | 'other';

/**
 * What the socket behind `dup` is, from SO_DOMAIN and SO_PROTOCOL: 'other'
 * for netlink, packet, raw and the like; undefined when the kernel would not say.
 */
function socketProtocol(dup: number): AskedProtocol | undefined {
  const domain = getIntOption(dup, SOL_SOCKET, SO_DOMAIN);
  const protocol = getIntOption(dup, SOL_SOCKET, SO_PROTOCOL);
  if (domain === null || protocol === null) return undefined;
  if (domain !== AF_INET && domain !== AF_INET6) return 'other';
  return protocol === IPPROTO_TCP ? 'tcp' : protocol === IPPROTO_UDP ? 'udp' : 'other';
}

/* answers kept per socket inode; past this many (sockets come and go) they are forgotten and asked again */
const MAX_ASKED = 4096;

/**
 * A probe that peeks through `borrow` (the core's PidfdTable.borrow keeps
 * pidfds between ticks). `onDump` hears of every dump pair it makes.
 */
export function createInetSocketProbe(
  borrow: DescriptorBorrower = borrowOnce,
  onDump?: (protocol: InetProtocol) => void,
): KindProbe {
  /* the inodes each protocol's latest dump listed (both families): a TCP dump pair costs ~600 µs */
  const listed: Record<InetProtocol, Set<number>> = { tcp: new Set(), udp: new Set() };
  /* what the held sockets no dump listed said they are: a socket never changes family or protocol */
  const asked = new Map<number, AskedProtocol>();
  const dump = (protocol: InetProtocol): InetDiagEntry[] => {
    onDump?.(protocol);
    const entries = dumpInetSockets(protocol);
    listed[protocol] = new Set(entries.map((e) => e.inode));
    return entries;
  };
  /* whole machine: the TCP sockets known from the last dump, asked for one by one between dumps */
  const tcpRefresh = new TcpSocketRefresh(() => dump('tcp'), parseTcpReply, (e) => e.state !== TCP_CLOSE);
  /** Whether a held socket no probe named and no list has could be TCP (a new socket, or one just bound). */
  const heldUnknownTcp = (ctx: ProbeContext, held: ReadonlySet<number>): boolean => {
    for (const inode of held) {
      if (listed.tcp.has(inode) || listed.udp.has(inode) || ctx.claimed.has(socketTarget(inode))) continue;
      const protocol = askedProtocol(ctx, inode);
      if (protocol === undefined || protocol === 'tcp') return true;
    }
    return false;
  };
  const askedProtocol = (ctx: ProbeContext, inode: number): AskedProtocol | undefined => {
    const known = asked.get(inode);
    if (known) return known;
    for (const holder of holderRefsOf(ctx, inode)) {
      // null: that holder could not be reached (gone, or not ours to borrow from); the
      // inode check: its descriptor may have been closed and reused since it was listed
      const answer = borrow(holder.pid, holder.fd, (dup) => (selfFdInode(dup, 'socket') === inode ? socketProtocol(dup) : undefined));
      if (answer === undefined || answer === null) continue;
      if (asked.size >= MAX_ASKED) asked.clear();
      asked.set(inode, answer);
      return answer;
    }
    return undefined;
  };
  return {
    name: 'inet-sockets',
    /* `listed` only narrows which protocols a dump asks: a socket never changes protocol */
    reaches: isSocketTarget,
    changedThrough: isSocketTarget,
    collect(ctx: ProbeContext): KindProbeResult {
      const held = heldSocketInodes(ctx);
      if (ctx.wholeMachine) {
        // UDP dumps walk a small table (~0.03 ms each here): dumped every time
        const udp = dump('udp');
        const tcp = tcpRefresh.entries(heldUnknownTcp(ctx, held));
        listed.tcp = new Set(tcp.map((e) => e.inode));
        return inetObjectsFrom([...tcp, ...udp], ctx, held, borrow);
      }
      // PID scope: sockets already named (as Unix sockets) need no dump; when none is left, nothing does.
      const unclaimed = [...held].filter((inode) => !ctx.claimed.has(socketTarget(inode)));
      if (unclaimed.length === 0) return { objects: [], targets: new Map() };
      const protocols = protocolsToDump(unclaimed, listed, ctx, askedProtocol);
      return inetObjectsFrom(protocols.flatMap(dump), ctx, held, borrow);
    },
  };
}

export const inetSocketProbe: KindProbe = createInetSocketProbe();
