/**
 * The race lesson's channels (lessons/race/ipc-race.ts): one way to move a message
 * of `size` bytes to the other process and back, per mechanism, each a loop of
 * real libc calls through koffi. Every call that moves or waits is counted in
 * `calls`, so "syscalls per message" is what the loop really made (a stream
 * read that returned short counts twice).
 *
 * Message layout (both sides): `msg` holds 8 bytes of header room (the mtype
 * of a System V msgbuf) and then the `size` payload bytes that travel.
 *
 * Shared memory has one buffer in the segment and three semaphores: FULL (a
 * message is in the buffer), EMPTY (the buffer may be written, starts at 1),
 * BACK (a reply or an acknowledgement is there). The sender memcpy()s into the
 * segment; the receiver reads the bytes where they are (no kernel copy).
 *
 * `peer`: the racer's echo (its child), or null on the echo's side. A call a
 * signal interrupted (EINTR: SIGCHLD, see race-peer.ts) is made again while
 * the peer runs; once it has exited the race ends with PeerGoneError.
 */
import koffi from 'koffi';
import { errnoName } from '../../libc/errno';
import { lastErrno, libc, MAP_FAILED } from '../../libc/libc';
import { encodeMqAttr } from '../../libc/posix-ipc';
import { sysv } from '../../libc/sysv';
import { PeerGoneError, peerExit } from './race-peer';

const lib = libc();
/* void * so koffi hands the buffer's own memory to the kernel (no staging copy in the binding) */
const raw = {
  read: lib.func('long read(int fd, void *buf, size_t count)') as (fd: number, buf: Uint8Array, count: number) => number,
  write: lib.func('long write(int fd, const void *buf, size_t count)') as (fd: number, buf: Uint8Array, count: number) => number,
  msgsnd: lib.func('int msgsnd(int id, const void *msgp, size_t size, int flags)') as (id: number, msg: Uint8Array, size: number, flags: number) => number,
  msgrcv: lib.func('long msgrcv(int id, void *msgp, size_t size, long type, int flags)') as (
    id: number,
    msg: Uint8Array,
    size: number,
    type: number,
    flags: number,
  ) => number,
  mqOpen: lib.func('int mq_open(const char *name, int oflag, unsigned int mode, const void *attr)') as (
    name: string,
    oflag: number,
    mode: number,
    attr: Uint8Array,
  ) => number,
  mqSend: lib.func('int mq_send(int mqd, const void *msg, size_t len, unsigned int prio)') as (mqd: number, msg: Uint8Array, len: number, prio: number) => number,
  mqReceive: lib.func('long mq_receive(int mqd, void *msg, size_t len, void *prio)') as (mqd: number, msg: Uint8Array, len: number, prio: null) => number,
  mqClose: lib.func('int mq_close(int mqd)') as (mqd: number) => number,
  mqUnlink: lib.func('int mq_unlink(const char *name)') as (name: string) => number,
  semop: lib.func('int semop(int id, const void *sops, size_t nsops)') as (id: number, sops: Uint8Array, nsops: number) => number,
};
const closeFd = lib.func('int close(int fd)') as (fd: number) => number;

/** A failed call inside the race loop: named, so the step's reply says which call and why. */
export class RaceCallError extends Error {
  /* read at once, before any other call can overwrite errno */
  readonly errno = errnoName(lastErrno());
  constructor(readonly call: string) {
    super(`${call} failed`);
  }
}

/** After a failed call: returns when it should be made again (a signal interrupted it, the peer still runs); throws otherwise. */
function again(call: string, peer: number | null): void {
  const err = new RaceCallError(call);
  if (err.errno !== 'EINTR') throw err;
  const exit = peer === null ? null : peerExit(peer, 0);
  if (exit) throw new PeerGoneError(call, err.errno, exit);
}

export interface RaceChannel {
  /** Syscalls made so far (moves and waits). */
  calls: number;
  /** Sends msg's payload (msg[8 .. 8 + size]). */
  send(msg: Uint8Array): void;
  /** Receives one message; returns its payload (valid until the next receive). */
  recv(): Uint8Array;
  /** The receiver is done with the payload recv() returned (shared memory: the buffer may be written again). */
  release(): void;
  /** The receiver sends the payload it just received back (an echo, or the end-of-pass acknowledgement). */
  reply(payload: Uint8Array): void;
  close(): void;
}

/* x86_64 syscall numbers the race may sleep in: read 0, write 1, openat 257, accept 43 / accept4 288, msgsnd 69,
   msgrcv 70, semop 65 / semtimedop 220, mq_timedsend 242, mq_timedreceive 243 */
export const RACE_SLEEPS_IN = [0, 1, 257, 43, 288, 69, 70, 65, 220, 242, 243];

/** A pipe, a FIFO, a Unix stream socket or a TCP socket: write() and read() on descriptors; a stream may return short. */
export function fdChannel(out: number, inp: number, size: number, closeFds: boolean, peer: number | null): RaceChannel {
  const buf = new Uint8Array(size);
  const writeAll = (bytes: Uint8Array): void => {
    let done = 0;
    while (done < size) {
      const n = raw.write(out, bytes.subarray(done, size), size - done);
      ch.calls++;
      if (n > 0) done += n;
      else if (n === 0) throw new RaceCallError('write');
      else again('write', peer);
    }
  };
  const ch: RaceChannel = {
    calls: 0,
    send: (msg) => writeAll(msg.subarray(8)),
    recv() {
      let got = 0;
      while (got < size) {
        const n = raw.read(inp, buf.subarray(got), size - got);
        ch.calls++;
        if (n > 0) got += n;
        else if (n === 0) throw new RaceCallError('read (end of file)');
        else again('read', peer);
      }
      return buf;
    },
    release() {},
    /* the bytes just read go back from the same buffer */
    reply: (payload) => writeAll(payload),
    close() {
      if (closeFds) for (const fd of new Set([out, inp])) closeFd(fd);
    },
  };
  return ch;
}

/** System V queue: type `sendType` goes one way, `recvType` the other; msgbuf = long mtype + the payload. */
export function msgqChannel(msqid: number, sendType: number, recvType: number, size: number, peer: number | null): RaceChannel {
  const inbox = new Uint8Array(8 + size);
  const view = new DataView(new ArrayBuffer(8));
  const ch: RaceChannel = {
    calls: 0,
    send(msg) {
      view.setBigInt64(0, BigInt(sendType), true);
      msg.set(new Uint8Array(view.buffer), 0);
      for (;;) {
        ch.calls++;
        if (raw.msgsnd(msqid, msg, size, 0) >= 0) return;
        again('msgsnd', peer);
      }
    },
    recv() {
      for (;;) {
        ch.calls++;
        const n = raw.msgrcv(msqid, inbox, size, recvType, 0);
        if (n === size) return inbox.subarray(8);
        if (n >= 0) throw new RaceCallError('msgrcv');
        again('msgrcv', peer);
      }
    },
    release() {},
    reply() {
      /* the received msgbuf goes back as it is, with the other type */
      ch.send(inbox);
    },
    close() {},
  };
  return ch;
}

/* <mqueue.h>: O_CREAT | O_CLOEXEC, O_RDONLY 0 / O_WRONLY 1 */
const MQ_CREATE = 0o100 | 0o2000000;

/** The most messages a queue of this size may hold so two queues stay under RLIMIT_MSGQUEUE's default 819200 bytes. */
export function mqMaxMessages(size: number): number {
  return Math.max(1, Math.min(10, Math.floor(300_000 / (size + 256))));
}

/** Opens (creating if needed) the two POSIX queues; null and the failing call's errno when the kernel refuses. */
export function mqChannel(toName: string, backName: string, size: number, side: 'sender' | 'echo', peer: number | null): RaceChannel | null {
  const attr = encodeMqAttr(mqMaxMessages(size), size);
  const sendName = side === 'sender' ? toName : backName;
  const recvName = side === 'sender' ? backName : toName;
  const inq = raw.mqOpen(recvName, MQ_CREATE | 0, 0o600, attr);
  if (inq < 0) return null;
  const outq = raw.mqOpen(sendName, MQ_CREATE | 1, 0o600, attr);
  if (outq < 0) {
    raw.mqClose(inq);
    return null;
  }
  const inbox = new Uint8Array(size);
  const sendBytes = (bytes: Uint8Array): void => {
    for (;;) {
      ch.calls++;
      if (raw.mqSend(outq, bytes, size, 0) >= 0) return;
      again('mq_send', peer);
    }
  };
  const ch: RaceChannel = {
    calls: 0,
    send: (msg) => sendBytes(msg.subarray(8)),
    recv() {
      for (;;) {
        ch.calls++;
        const n = raw.mqReceive(inq, inbox, size, null);
        if (n === size) return inbox;
        if (n >= 0) throw new RaceCallError('mq_receive');
        again('mq_receive', peer);
      }
    },
    release() {},
    reply: (payload) => sendBytes(payload),
    close() {
      raw.mqClose(inq);
      raw.mqClose(outq);
      /* the sender finishes last: it removes both names (in the racer's own IPC namespace they would die with it anyway,
         but without CAP_SYS_ADMIN the unshare was refused and the queues are the machine's) */
      if (side === 'sender') for (const name of [toName, backName]) raw.mqUnlink(name);
    },
  };
  return ch;
}

const FULL = 0;
const EMPTY = 1;
const BACK = 2;

function sembufs(ops: [num: number, op: number][]): Uint8Array {
  /* struct sembuf { unsigned short sem_num; short sem_op; short sem_flg; }: 6 bytes */
  const buf = new Uint8Array(6 * ops.length);
  const view = new DataView(buf.buffer);
  ops.forEach(([num, op], i) => {
    view.setUint16(i * 6, num, true);
    view.setInt16(i * 6 + 2, op, true);
  });
  return buf;
}

/** Shared memory + semaphores: attaches the segment; the caller detaches with close(). */
export function shmChannel(shmid: number, semid: number, size: number, side: 'sender' | 'echo', peer: number | null): RaceChannel {
  const address = sysv.shmat(shmid, null, 0);
  if (address === MAP_FAILED) throw new RaceCallError('shmat');
  const segment = new Uint8Array(koffi.view(address, size));
  const op = (ops: [number, number][]): (() => void) => {
    const sops = sembufs(ops);
    return () => {
      for (;;) {
        ch.calls++;
        if (raw.semop(semid, sops, ops.length) >= 0) return;
        again('semop', peer);
      }
    };
  };
  const waitEmpty = op([[EMPTY, -1]]);
  const postFull = op([[FULL, 1]]);
  const waitFull = op([[FULL, -1]]);
  const postEmpty = op([[EMPTY, 1]]);
  const waitBack = op([[BACK, -1]]);
  /* the echo's reply is already in the buffer: one semop says "your turn" and frees the buffer for the next message */
  const postBackAndEmpty = op([
    [BACK, 1],
    [EMPTY, 1],
  ]);
  const postBack = op([[BACK, 1]]);
  /* true once the echo gave the buffer back (end of a pass): its acknowledgement then posts BACK only */
  let released = false;
  const ch: RaceChannel = {
    calls: 0,
    send(msg) {
      waitEmpty();
      /* memcpy(segment, msg, size): the one copy, in user space */
      segment.set(msg.subarray(8, 8 + size));
      postFull();
    },
    recv() {
      released = false;
      if (side === 'echo') waitFull();
      else waitBack();
      return segment;
    },
    release() {
      released = true;
      if (side === 'echo') postEmpty();
    },
    reply(payload) {
      /* an echo's reply is the message already in the segment: nothing to copy */
      if (payload !== segment) segment.set(payload);
      if (released) postBack();
      else postBackAndEmpty();
    },
    close() {
      sysv.shmdt(address);
    },
  };
  return ch;
}
