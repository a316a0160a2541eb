/**
 * Ops of the IPC race (lessons/race/ipc-race.ts): `race-echo` (the receiving
 * process) and `race-send` (the sending process) move the same messages
 * through one mechanism, each a tight loop of real calls into libc on the
 * actor's main thread (race-channels.ts). Three passes, in this order on both
 * sides:
 *   1. checked: `messages` messages; both sides run FNV-1a over every payload
 *      byte (sent vs received), then the echo acknowledges;
 *   2. timed: the same messages again; the echo checks each sequence number
 *      only, so the clock measures the mechanism and not our checksum; the
 *      sender's clock runs from the first send to the acknowledgement;
 *   3. ping-pong: `rounds` round trips of one message (send, echo, receive),
 *      each timed alone: median and 95th percentile.
 * The payload is generated from `seed` (xorshift32) with the message number in
 * its first 4 bytes. Calls are counted during pass 2 (syscalls per message),
 * and the kernel's count of this thread's voluntary context switches (each
 * time it slept waiting for the other side) is read before and after it.
 *
 * The sender is the echo's parent and names it in `peer`: should the echo die
 * mid-race, the sender's wait ends (race-peer.ts) and its reply says how the
 * echo ended, as waitid reports it, with the call that was waiting.
 */
import { readFileSync } from 'node:fs';
import { errnoName } from '../../libc/errno';
import { lastErrno, libc, O_CLOEXEC, O_RDONLY, O_WRONLY } from '../../libc/libc';
import { AF_INET, IPPROTO_TCP, SOCK_CLOEXEC, SOCK_STREAM, inet4Address, sock } from '../../libc/sockets';
import { IPC_NOWAIT, sysv } from '../../libc/sysv';
import type { OpArgs, OpData, OpOutcome } from '../actor-protocol';
import { type OpTable, OpArgError, intArg, stringArg } from './op-types';
import { RACE_SLEEPS_IN, RaceCallError, type RaceChannel, fdChannel, mqChannel, msgqChannel, shmChannel } from './race-channels';
import { interruptOnChildExit, PeerGoneError, peerExit, type PeerExit } from './race-peer';

export const RACE_MECHANISMS = ['pipe', 'fifo', 'unix', 'tcp', 'msgq', 'mq', 'shm'] as const;
export type RaceMechanism = (typeof RACE_MECHANISMS)[number];
export const RACE_SIZES = [64, 4096, 65536] as const;
export const RACE_MAX_MESSAGES = 20_000;
export const RACE_MAX_ROUNDS = 2000;
/* <netinet/tcp.h>: TCP_NODELAY 1, so a small echo is not held back waiting for an ACK (Nagle) */
const TCP_NODELAY = 1;

const openPath = libc().func('int open(const char *path, int flags, int mode)') as (path: string, flags: number, mode: number) => number;

interface RacePlan {
  mech: RaceMechanism;
  size: number;
  messages: number;
  rounds: number;
  seed: number;
  /** The sender's echo (its child), 0 on the echo's side. */
  peer: number;
}

function planOf(args: OpArgs): RacePlan {
  const mech = stringArg(args, 'mech') as RaceMechanism;
  if (!RACE_MECHANISMS.includes(mech)) throw new OpArgError(`mech must be one of ${RACE_MECHANISMS.join(', ')}`);
  const size = intArg(args, 'size');
  if (!(RACE_SIZES as readonly number[]).includes(size)) throw new OpArgError(`size must be one of ${RACE_SIZES.join(', ')}`);
  const messages = intArg(args, 'messages');
  if (messages < 1 || messages > RACE_MAX_MESSAGES) throw new OpArgError(`messages must be 1 to ${RACE_MAX_MESSAGES}`);
  const rounds = intArg(args, 'rounds');
  if (rounds < 1 || rounds > RACE_MAX_ROUNDS) throw new OpArgError(`rounds must be 1 to ${RACE_MAX_ROUNDS}`);
  return { mech, size, messages, rounds, seed: intArg(args, 'seed', 1) >>> 0 || 1, peer: intArg(args, 'peer', 0) };
}

/** msg = 8 bytes of header room + the payload generated from the seed (xorshift32). */
function messageBuffer(plan: RacePlan): Uint8Array {
  const msg = new Uint8Array(8 + plan.size);
  let x = plan.seed;
  for (let i = 8; i < msg.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    msg[i] = x & 0xff;
  }
  return msg;
}

const setSeq = (msg: Uint8Array, i: number): void => new DataView(msg.buffer, msg.byteOffset).setUint32(8, i, true);
const seqOf = (payload: Uint8Array): number => new DataView(payload.buffer, payload.byteOffset).getUint32(0, true);

/** FNV-1a, 32 bits, continued from `hash` over `bytes`. */
export function fnv1a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

const hex = (n: number): string => n.toString(16).padStart(8, '0');

function msgmax(): number {
  return Number(readFileSync('/proc/sys/kernel/msgmax', 'utf8').trim());
}

function mqMsgsizeMax(): number {
  return Number(readFileSync('/proc/sys/fs/mqueue/msgsize_max', 'utf8').trim());
}

/** The mechanism cannot carry this size: the limit, with its value as the kernel has it, and the errno the kernel gave. */
function skipped(limit: string, value: number, errno: string | null): OpOutcome {
  return { result: 0, errno: null, data: { skipped: limit, limit: value, refusedWith: errno } };
}

function openChannel(plan: RacePlan, args: OpArgs, side: 'sender' | 'echo'): RaceChannel | OpOutcome {
  const sender = side === 'sender';
  const peer = plan.peer > 0 ? plan.peer : null;
  switch (plan.mech) {
    case 'pipe':
      return fdChannel(intArg(args, 'out'), intArg(args, 'in'), plan.size, false, peer);
    case 'unix':
      return fdChannel(intArg(args, 'fd'), intArg(args, 'fd'), plan.size, false, peer);
    case 'fifo': {
      /* the same order on both sides (to, then back), so neither open waits for an open that never comes */
      const to = openPath(stringArg(args, 'to'), (sender ? O_WRONLY : O_RDONLY) | O_CLOEXEC, 0);
      if (to < 0) throw new RaceCallError('open');
      const back = openPath(stringArg(args, 'back'), (sender ? O_RDONLY : O_WRONLY) | O_CLOEXEC, 0);
      if (back < 0) throw new RaceCallError('open');
      return sender ? fdChannel(to, back, plan.size, true, peer) : fdChannel(back, to, plan.size, true, peer);
    }
    case 'tcp': {
      let fd: number;
      if (sender) {
        fd = sock.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw new RaceCallError('socket');
        const addr = inet4Address('127.0.0.1', intArg(args, 'port'));
        if (sock.connect(fd, addr.bytes, addr.length) < 0) throw new RaceCallError('connect');
      } else {
        fd = sock.accept4(intArg(args, 'listener'), null, null, SOCK_CLOEXEC);
        if (fd < 0) throw new RaceCallError('accept4');
      }
      if (sock.setsockoptInt(fd, IPPROTO_TCP, TCP_NODELAY, new Int32Array([1]), 4) < 0) throw new RaceCallError('setsockopt');
      return fdChannel(fd, fd, plan.size, true, peer);
    }
    case 'msgq': {
      const max = msgmax();
      if (plan.size > max) {
        /* ask the kernel anyway (IPC_NOWAIT, nothing can queue): msgsnd refuses a message over msgmax with EINVAL */
        const refused = sender && sysv.msgsnd(intArg(args, 'msqid'), new Uint8Array(8 + plan.size), plan.size, IPC_NOWAIT) < 0;
        return skipped('msgmax', max, refused ? errnoName(lastErrno()) : null);
      }
      return sender ? msgqChannel(intArg(args, 'msqid'), 1, 2, plan.size, peer) : msgqChannel(intArg(args, 'msqid'), 2, 1, plan.size, peer);
    }
    case 'mq': {
      const ch = mqChannel(stringArg(args, 'to'), stringArg(args, 'back'), plan.size, side, peer);
      return ch ?? skipped('msgsize_max', mqMsgsizeMax(), errnoName(lastErrno()));
    }
    case 'shm':
      return shmChannel(intArg(args, 'shmid'), intArg(args, 'semid'), plan.size, side, peer);
  }
}

/** Times this thread gave up the CPU to wait (/proc/thread-self/status voluntary_ctxt_switches): each sleep in a read, semop, msgrcv... */
function voluntarySwitches(): number {
  const match = /^voluntary_ctxt_switches:\s+(\d+)/m.exec(readFileSync('/proc/thread-self/status', 'utf8'));
  return match ? Number(match[1]) : 0;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))]!;
}

function runSender(plan: RacePlan, ch: RaceChannel): OpOutcome {
  const msg = messageBuffer(plan);
  const { messages, size } = plan;
  /* 1. checked */
  let checksum = 0x811c9dc5;
  for (let i = 0; i < messages; i++) {
    setSeq(msg, i);
    checksum = fnv1a(msg.subarray(8), checksum);
    ch.send(msg);
  }
  ch.recv();
  /* 2. timed */
  const callsBefore = ch.calls;
  const switchesBefore = voluntarySwitches();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < messages; i++) {
    setSeq(msg, i);
    ch.send(msg);
  }
  ch.recv();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const switches = voluntarySwitches() - switchesBefore;
  /* the acknowledgement's receive is not a message of the pass */
  const senderCalls = ch.calls - callsBefore - 1;
  /* 3. ping-pong */
  const rtt: number[] = [];
  let echoedInOrder = true;
  for (let i = 0; i < plan.rounds; i++) {
    setSeq(msg, i);
    const start = process.hrtime.bigint();
    ch.send(msg);
    const back = ch.recv();
    rtt.push(Number(process.hrtime.bigint() - start) / 1000);
    if (seqOf(back) !== i) echoedInOrder = false;
  }
  rtt.sort((a, b) => a - b);
  return {
    result: 0,
    errno: null,
    data: {
      bytes: messages * size,
      checksum: hex(checksum),
      seconds,
      bytesPerSecond: (messages * size) / seconds,
      callsPerMessage: senderCalls / messages,
      switchesPerMessage: switches / messages,
      rttMedianUs: percentile(rtt, 0.5),
      rttP95Us: percentile(rtt, 0.95),
      rounds: plan.rounds,
      echoedInOrder,
    },
  };
}

function runEcho(plan: RacePlan, ch: RaceChannel): OpOutcome {
  const { messages } = plan;
  /* 1. checked */
  let checksum = 0x811c9dc5;
  let bytes = 0;
  let last: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < messages; i++) {
    last = ch.recv();
    checksum = fnv1a(last, checksum);
    bytes += last.length;
    ch.release();
  }
  ch.reply(last);
  /* 2. timed: the sequence number only */
  const callsBefore = ch.calls;
  const switchesBefore = voluntarySwitches();
  let inOrder = true;
  for (let i = 0; i < messages; i++) {
    last = ch.recv();
    if (seqOf(last) !== i) inOrder = false;
    ch.release();
  }
  const echoCalls = ch.calls - callsBefore;
  const switches = voluntarySwitches() - switchesBefore;
  ch.reply(last);
  /* 3. ping-pong: every message goes straight back */
  for (let i = 0; i < plan.rounds; i++) ch.reply(ch.recv());
  return { result: 0, errno: null, data: { bytes, checksum: hex(checksum), callsPerMessage: echoCalls / messages, switchesPerMessage: switches / messages, inOrder } };
}

/**
 * A failed race call: which call, its errno, and how the peer ended when it
 * has (a wait it interrupted, or a read at end of file, a write with no
 * reader: the echo's descriptors close a moment before it is a zombie).
 */
function failedRace(err: unknown, plan: RacePlan): OpOutcome {
  if (err instanceof PeerGoneError) return { result: -1, errno: err.errno, data: { call: err.call, ...peerData(err.peer) } };
  if (!(err instanceof RaceCallError)) throw err;
  const peer = plan.peer > 0 ? peerExit(plan.peer, 1000) : null;
  return { result: -1, errno: err.errno, data: { call: err.call, ...(peer ? peerData(peer) : {}) } };
}

/** peerPid, and peerSignal or peerExitCode (reply data is flat). */
function peerData(peer: PeerExit): OpData {
  return { peerPid: peer.pid, ...(peer.signal === undefined ? {} : { peerSignal: peer.signal }), ...(peer.exitCode === undefined ? {} : { peerExitCode: peer.exitCode }) };
}

function race(args: OpArgs, side: 'sender' | 'echo'): OpOutcome {
  const plan = planOf(args);
  const stopWatching = plan.peer > 0 ? interruptOnChildExit() : null;
  try {
    let ch: RaceChannel | OpOutcome;
    try {
      ch = openChannel(plan, args, side);
    } catch (err) {
      return failedRace(err, plan);
    }
    if (!('send' in ch)) return ch;
    try {
      return side === 'sender' ? runSender(plan, ch) : runEcho(plan, ch);
    } catch (err) {
      return failedRace(err, plan);
    } finally {
      ch.close();
    }
  } finally {
    stopWatching?.();
  }
}

export const raceOps: OpTable = {
  'race-echo': {
    sleepsIn: RACE_SLEEPS_IN,
    run: (args) => race(args, 'echo'),
  },
  /* never reported blocked: its waits are part of the race, the step ends when the three passes have (or the echo has died) */
  'race-send': {
    sleepsIn: [],
    waitsOnPeer: true,
    run: (args) => race(args, 'sender'),
  },
};
