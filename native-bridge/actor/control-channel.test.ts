/**
 * The actors' control channels leave nothing to connect to: while a lesson's
 * actors run (one asleep in read), the kernel lists no named or listening
 * Unix socket of ours, and each actor's control descriptor is one end of a
 * socketpair whose other end this engine holds (ss -xp, /proc/PID/fd).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorTeam, type Actor } from './actor-host';
import { CONTROL_FD, INBOX_FD } from './actor-protocol';
import { alive, until } from './kernel-test-helpers';

let team: ActorTeam | null = null;

afterEach(async () => {
  await team?.dispose();
  team = null;
});

function socketInode(pid: number | 'self', fd: number): number | null {
  const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
  return match ? Number(match[1]) : null;
}

/** inode -> peer inode of every Unix socket, as `ss -xa` shows them. */
function unixPeers(): Map<number, number> {
  const peers = new Map<number, number>();
  for (const line of execFileSync('ss', ['-xaH'], { encoding: 'utf8' }).split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    peers.set(Number(fields[5]), Number(fields[7]));
  }
  return peers;
}

/** Inodes of every socket this process holds. */
function ownSocketInodes(): Set<number> {
  const inodes = new Set<number>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const inode = socketInode('self', Number(fd));
      if (inode !== null) inodes.add(inode);
    } catch {
      /* closed in between */
    }
  }
  return inodes;
}

async function lessonRunning(): Promise<{ parent: Actor; child: Actor }> {
  team = await ActorTeam.start();
  const parent = await team.spawn('parent');
  const piped = await parent.call('pipe2');
  const fds = piped.data?.fds as number[];
  const { child } = await parent.spawnChild('child');
  await child.call('close', { fd: fds[1]! });
  await parent.call('close', { fd: fds[0]! });
  const read = child.call('read', { fd: fds[0]!, count: 8 });
  expect(await child.watchBlocked('read', { fd: fds[0]! }, read)).toBe('blocked');
  return { parent, child };
}

describe('actor control channels', () => {
  it('no named or listening Unix socket of this engine or its actors exists for anyone to connect to while a lesson runs', async () => {
    const { parent, child } = await lessonRunning();
    /*
     * /proc/net/unix, one row per socket: Flags 00010000 is __SO_ACCEPTCON
     * (listening); Path the bound or abstract name, which an accepted socket
     * shares with its listener. Other engines on this machine may list their
     * own: only this engine's and its actors' sockets are looked at.
     */
    const rows = new Map<number, { flags: string; path: string }>();
    for (const row of readFileSync('/proc/net/unix', 'utf8').trim().split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      rows.set(Number(fields[6]), { flags: fields[3]!, path: fields[7] ?? '' });
    }
    expect([...rows.values()].filter((row) => row.path.includes(`ipcscope-${process.pid}-`))).toEqual([]);
    const peers = unixPeers();
    const actorSockets = [parent.pid, child.pid].flatMap((pid) =>
      readdirSync(`/proc/${pid}/fd`)
        .map((fd) => socketInode(pid, Number(fd)))
        .filter((inode): inode is number => inode !== null),
    );
    expect(actorSockets.length).toBeGreaterThanOrEqual(4);
    /* each actor socket and the engine's end of it: no name to connect to, not listening */
    for (const inode of actorSockets.flatMap((inode) => [inode, peers.get(inode) ?? 0]).filter((inode) => inode > 0)) {
      expect(rows.get(inode)).toMatchObject({ flags: '00000000', path: '' });
    }
  });

  it("each actor's control descriptors are socketpair ends whose peers only this engine holds", async () => {
    const { parent, child } = await lessonRunning();
    const peers = unixPeers();
    const ours = ownSocketInodes();
    for (const actor of [parent, child]) {
      for (const fd of [CONTROL_FD, INBOX_FD]) {
        const inode = socketInode(actor.pid, fd);
        expect(inode).not.toBeNull();
        const peer = peers.get(inode!);
        expect(peer).toBeGreaterThan(0);
        expect(ours.has(peer!)).toBe(true);
      }
    }
    /* the parent no longer holds the child's ends it passed on: only the child and this engine hold that channel */
    const childControl = socketInode(child.pid, CONTROL_FD)!;
    const parentSockets = readdirSync(`/proc/${parent.pid}/fd`).map((fd) => socketInode(parent.pid, Number(fd)));
    expect(parentSockets).not.toContain(childControl);
  });

  it('spawn-child refuses to hand the control descriptors on as lesson descriptors', async () => {
    team = await ActorTeam.start();
    const parent = await team.spawn('parent');
    await expect(parent.spawnChild('child', [CONTROL_FD])).rejects.toThrow(/control channel/);
    /* the parent is still obeying, and no child was started */
    expect((await parent.call('pipe2')).result).toBe(0);
    expect(readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim()).toBe('');
  });

  it('dispose is prompt and leaves no actor, with a child asleep in read', async () => {
    const { parent, child } = await lessonRunning();
    await team!.dispose();
    team = null;
    await until(() => !alive(parent.pid) && !alive(child.pid));
  });
});
