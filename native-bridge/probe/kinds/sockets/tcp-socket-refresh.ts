/**
 * TCP sockets for a whole-machine watch without walking the kernel's TCP
 * hash tables at every tick. A TCP dump walks every bucket of the
 * established hash, empty or not, once per family: ~1.2 ms of CPU each here
 * with 7 sockets on the machine (a LISTEN-only dump: 0.04 ms), so the IPv4 +
 * IPv6 pair was ~2.5 ms of each 10 Hz tick. Asking for the sockets already
 * known, each by its inet_diag_sockid (addresses, ports, interface, cookie),
 * is a hash lookup each: 12 sockets in one datagram cost ~0.08 ms.
 *
 * Every tick still shows each known socket as the kernel has it then (state,
 * queues, inode: the reply is the one a dump would give). The full dump runs
 * again:
 * - when the caller says a descriptor names a TCP socket no dump or query
 *   listed (a new socket in some process's table);
 * - when a known socket does not answer as itself (closed, or its id changed;
 *   the cookie no longer matching): sockDiagQueries gets ENOENT or an error;
 * - while a known socket is one no lookup finds: bound but neither listening
 *   nor connected (dumped as TCP_CLOSE since Linux 6.5, TCP_BOUND_INACTIVE;
 *   a query for it gets ENOENT). Such sockets are short-lived in practice;
 * - at least every `refreshMs`: sockets whose only holders this watch cannot
 *   see (another PID namespace, a descriptor in flight) and connections that
 *   start in a listener's accept queue from elsewhere show within that time.
 */
import { sockDiagQueries } from './sock-diag';

/** The part of a dump entry a query needs: its family and its inet_diag_sockid bytes (48). */
export interface QueryableSocket {
  familyNumber: number;
  sockId: Uint8Array;
}

/* inet_diag_req_v2 (56 bytes): {u8 family, u8 protocol, u8 ext, u8 pad, u32 states, inet_diag_sockid id @8} */
const REQ_BYTES = 56;
const SOCKID_BYTES = 48;
const IPPROTO_TCP = 6;
export const TCP_DUMP_REFRESH_MS = 1000;

/**
 * Each known socket asked for by its id, in order; the replies parsed by
 * `parse`. Null when any one did not answer as itself: the caller dumps.
 */
export function queryTcpSockets<T>(known: readonly QueryableSocket[], parse: (view: DataView, offset: number, end: number) => T): T[] | null {
  const replies: (T | undefined)[] = new Array<T | undefined>(known.length);
  let answered = 0;
  let failed = false;
  sockDiagQueries(
    known.length,
    REQ_BYTES,
    (index, request, at) => {
      const socket = known[index]!;
      request.setUint8(at, socket.familyNumber);
      request.setUint8(at + 1, IPPROTO_TCP);
      request.setUint8(at + 2, 0);
      request.setUint8(at + 3, 0);
      request.setUint32(at + 4, 0xffffffff, true);
      for (let i = 0; i < SOCKID_BYTES; i++) request.setUint8(at + 8 + i, socket.sockId[i]!);
    },
    (index, view, offset, end) => {
      if (replies[index] === undefined) answered++;
      replies[index] = parse(view, offset, end);
    },
    () => {
      failed = true;
    },
  );
  if (failed || answered !== known.length) return null;
  return replies as T[];
}

/** When the whole-machine TCP list is dumped again, and what it holds between dumps. */
export class TcpSocketRefresh<T extends QueryableSocket> {
  private known: T[] = [];
  private dumpedAt = -Infinity;

  constructor(
    private readonly dump: () => T[],
    private readonly parse: (view: DataView, offset: number, end: number) => T,
    /** Whether the kernel finds this socket by its id: not a bound socket neither listening nor connected. */
    private readonly queryable: (entry: T) => boolean,
    private readonly refreshMs = TCP_DUMP_REFRESH_MS,
  ) {}

  /** Every TCP socket, fresh: by query when nothing calls for a dump, else by a dump. */
  entries(mustDump: boolean): T[] {
    const now = performance.now();
    if (!mustDump && now - this.dumpedAt < this.refreshMs && this.known.every(this.queryable)) {
      let fresh: T[] | null = null;
      try {
        fresh = queryTcpSockets(this.known, this.parse);
      } catch {
        /* the netlink socket failed (sock-diag.ts starts the next request on a new one): the dump says it all */
      }
      if (fresh) {
        this.known = fresh;
        return fresh;
      }
    }
    this.known = this.dump();
    this.dumpedAt = now;
    return this.known;
  }

  forget(): void {
    this.known = [];
    this.dumpedAt = -Infinity;
  }
}
