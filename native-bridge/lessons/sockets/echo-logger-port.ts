/**
 * The echo server's port as the kernel has it: the listener's queue (what
 * `ss -tl` prints: Recv-Q = finished handshakes waiting for accept(),
 * Send-Q = the backlog) and, when bind() is refused, who holds the port.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { ActorReply } from '../../actor/actor-protocol';
import { dumpInetSockets } from '../../probe/kinds/sockets/inet-sockets';
import { TCP_LISTEN, stateName } from '../../probe/kinds/sockets/sock-diag';

/** The TCP listener on 127.0.0.1:port (or any address) now: pending handshakes and backlog; null when none listens. */
export function tcpListenerQueue(port: number): { pending: number; backlog: number; inode: number } | null {
  if (!Number.isInteger(port) || port <= 0) return null;
  const entry = dumpInetSockets('tcp').find((e) => e.state === TCP_LISTEN && e.localPort === port);
  return entry ? { pending: entry.rqueue, backlog: entry.wqueue, inode: entry.inode } : null;
}

/** Processes that hold socket inode `inode` ("sshd (pid 812, fd 3)"); those we may not read are skipped. */
function holdersOfInode(inode: number): string[] {
  const target = `socket:[${inode}]`;
  const out: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${name}/fd/${fd}`);
      } catch {
        continue;
      }
      if (link !== target) continue;
      let comm = '?';
      try {
        comm = readFileSync(`/proc/${name}/comm`, 'utf8').trim();
      } catch {
        /* gone meanwhile */
      }
      out.push(`${comm} (pid ${name}, fd ${fd})`);
    }
  }
  return out;
}

/** Who holds TCP port `port` on this machine, as far as we may read: "held by sshd (pid 812, fd 3), a LISTEN socket". */
export function portHolderText(port: number): string {
  const sockets = dumpInetSockets('tcp').filter((e) => e.localPort === port);
  if (sockets.length === 0) return 'no socket holds it any more';
  const parts: string[] = [];
  for (const s of sockets) {
    const who = s.inode === 0 ? [] : holdersOfInode(s.inode);
    const state = stateName(s.state);
    parts.push(who.length > 0 ? `held by ${who.join(', ')}, a ${state} socket` : `a ${state} socket whose holder we may not read`);
  }
  return [...new Set(parts)].join('; ');
}

/** What a refused bind() means, naming the port and who holds it. */
export function bindNote(reply: ActorReply, port: number): string | null {
  if (reply.errno === 'EADDRINUSE') return `port ${port} on 127.0.0.1 is in use: ${portHolderText(port)}. Choose another port, or 0 to let the kernel pick a free one`;
  if (reply.errno === 'EACCES') return `ports below 1024 need CAP_NET_BIND_SERVICE; port ${port} was refused`;
  return reply.error ?? null;
}
