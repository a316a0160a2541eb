/**
 * koffi bindings to System V IPC (shm, msg, sem) and decoders for the
 * x86_64 kernel structs they fill. Layouts: KERNEL-FACTS "System V"
 * (checked with gcc offsetof). semctl is variadic in C: declared here with
 * a fixed prototype for the int-argument shape, the only one used.
 */
import koffi from 'koffi';
import { ENOMSG } from './errno';
import { MAP_FAILED, check, lastErrno, libc } from './libc';

export const IPC_PRIVATE = 0;
export const IPC_RMID = 0;
export const IPC_STAT = 2;
export const IPC_CREAT = 0o1000;
export const IPC_EXCL = 0o2000;
export const IPC_NOWAIT = 0o4000;
/* SHM_RDONLY 010000; SHM_DEST 01000 in shm_perm.mode once IPC_RMID'ed while attached */
export const SHM_RDONLY = 0o10000;
export const SHM_DEST = 0o1000;
export const GETPID = 11;
export const GETVAL = 12;
export const GETNCNT = 14;
export const GETZCNT = 15;
export const SETVAL = 16;
/* MSG_COPY: copy message number `msgtyp` (0-based) without removing it; needs IPC_NOWAIT */
export const MSG_COPY = 0o40000;

/* x86_64 syscall numbers of the calls a process can block in */
export const SYS_SEMOP = 65;
export const SYS_MSGSND = 69;
export const SYS_MSGRCV = 70;
export const SYS_SEMTIMEDOP = 220;

const lib = libc();

export const sysv = {
  /* key_t ftok(path, proj_id): (proj_id & 0xff) << 24 | (st_dev & 0xff) << 16 | (st_ino & 0xffff) (glibc sysvipc/ftok.c) */
  ftok: lib.func('int ftok(const char *path, int projId)') as (path: string, projId: number) => number,
  shmget: lib.func('int shmget(int key, size_t size, int flags)') as (key: number, size: number, flags: number) => number,
  /* returns the address as BigInt; (void *)-1 on failure */
  shmat: lib.func('void *shmat(int id, void *addr, int flags)') as (id: number, addr: null, flags: number) => bigint,
  shmdt: lib.func('int shmdt(void *addr)') as (addr: bigint) => number,
  shmctl: lib.func('int shmctl(int id, int cmd, _Out_ uint8_t *buf)') as (id: number, cmd: number, buf: Uint8Array | null) => number,
  msgget: lib.func('int msgget(int key, int flags)') as (key: number, flags: number) => number,
  msgsnd: lib.func('int msgsnd(int id, const uint8_t *msgp, size_t size, int flags)') as (
    id: number,
    msgp: Uint8Array,
    size: number,
    flags: number,
  ) => number,
  msgrcv: lib.func('long msgrcv(int id, _Out_ uint8_t *msgp, size_t size, long type, int flags)') as (
    id: number,
    msgp: Uint8Array,
    size: number,
    type: number,
    flags: number,
  ) => number,
  msgctl: lib.func('int msgctl(int id, int cmd, _Out_ uint8_t *buf)') as (id: number, cmd: number, buf: Uint8Array | null) => number,
  semget: lib.func('int semget(int key, int nsems, int flags)') as (key: number, nsems: number, flags: number) => number,
  semop: lib.func('int semop(int id, const uint8_t *sops, size_t nsops)') as (id: number, sops: Uint8Array, nsops: number) => number,
  /* semctl(id, num, cmd, int val): GETVAL/GETNCNT/GETZCNT/GETPID/SETVAL/IPC_RMID */
  semctlInt: lib.func('int semctl(int id, int num, int cmd, int val)') as (id: number, num: number, cmd: number, val: number) => number,
};

export interface IpcPerm {
  key: number;
  uid: number;
  gid: number;
  cuid: number;
  cgid: number;
  mode: number;
}

function decodePerm(dv: DataView): IpcPerm {
  return {
    key: dv.getInt32(0, true),
    uid: dv.getUint32(4, true),
    gid: dv.getUint32(8, true),
    cuid: dv.getUint32(12, true),
    cgid: dv.getUint32(16, true),
    mode: dv.getUint16(20, true),
  };
}

export interface ShmidDs {
  perm: IpcPerm;
  size: number;
  atime: number;
  dtime: number;
  ctime: number;
  cpid: number;
  lpid: number;
  nattch: number;
}

/** shmctl(IPC_STAT): shmid_ds is 112 bytes, segsz@48 ... nattch u64@88. */
export function shmStat(shmid: number): ShmidDs {
  const buf = new Uint8Array(112);
  check('shmctl(IPC_STAT)', sysv.shmctl(shmid, IPC_STAT, buf));
  const dv = new DataView(buf.buffer);
  return {
    perm: decodePerm(dv),
    size: Number(dv.getBigUint64(48, true)),
    atime: Number(dv.getBigInt64(56, true)),
    dtime: Number(dv.getBigInt64(64, true)),
    ctime: Number(dv.getBigInt64(72, true)),
    cpid: dv.getInt32(80, true),
    lpid: dv.getInt32(84, true),
    nattch: Number(dv.getBigUint64(88, true)),
  };
}

export interface MsqidDs {
  perm: IpcPerm;
  stime: number;
  rtime: number;
  ctime: number;
  cbytes: number;
  qnum: number;
  qbytes: number;
  lspid: number;
  lrpid: number;
}

/** msgctl(IPC_STAT): msqid_ds is 120 bytes, cbytes@72 qnum@80 qbytes@88 lspid@96 lrpid@100. */
export function msgStat(msqid: number): MsqidDs {
  const buf = new Uint8Array(120);
  check('msgctl(IPC_STAT)', sysv.msgctl(msqid, IPC_STAT, buf));
  const dv = new DataView(buf.buffer);
  return {
    perm: decodePerm(dv),
    stime: Number(dv.getBigInt64(48, true)),
    rtime: Number(dv.getBigInt64(56, true)),
    ctime: Number(dv.getBigInt64(64, true)),
    cbytes: Number(dv.getBigUint64(72, true)),
    qnum: Number(dv.getBigUint64(80, true)),
    qbytes: Number(dv.getBigUint64(88, true)),
    lspid: dv.getInt32(96, true),
    lrpid: dv.getInt32(100, true),
  };
}

/** One sembuf (6 bytes: u16 num, i16 op, i16 flg) per operation. */
export function encodeSembufs(ops: { num: number; op: number; flags?: number }[]): Uint8Array {
  const buf = new Uint8Array(6 * ops.length);
  const dv = new DataView(buf.buffer);
  ops.forEach((o, i) => {
    dv.setUint16(i * 6, o.num, true);
    dv.setInt16(i * 6 + 2, o.op, true);
    dv.setInt16(i * 6 + 4, o.flags ?? 0, true);
  });
  return buf;
}

/** msgbuf: long mtype then the text. */
export function encodeMsgbuf(type: number, text: Uint8Array): Uint8Array {
  const buf = new Uint8Array(8 + text.length);
  new DataView(buf.buffer).setBigInt64(0, BigInt(type), true);
  buf.set(text, 8);
  return buf;
}

export interface CopiedMessage {
  type: number;
  /** Full message size in the queue. */
  bytes: number;
  /** Up to `peekBytes` of the text. */
  text: Uint8Array;
}

/**
 * Copies message number `index` (0-based) without removing it:
 * msgrcv(MSG_COPY|IPC_NOWAIT). Returns null past the end (ENOMSG).
 * The full size is learned by first asking with a buffer that is big enough
 * (MSG_NOERROR cannot be combined usefully: it truncates and hides the size).
 */
export function copyMessage(msqid: number, index: number, maxBytes: number, peekBytes: number): CopiedMessage | null {
  const size = Math.max(maxBytes, 1);
  const buf = new Uint8Array(8 + size);
  const n = sysv.msgrcv(msqid, buf, size, index, MSG_COPY | IPC_NOWAIT);
  if (n < 0) {
    if (lastErrno() === ENOMSG) return null;
    check('msgrcv(MSG_COPY)', n);
  }
  const type = Number(new DataView(buf.buffer).getBigInt64(0, true));
  return { type, bytes: n, text: buf.slice(8, 8 + Math.min(n, peekBytes)) };
}

/**
 * Attaches read-only, copies up to `len` bytes and detaches at once.
 * Note: shmat/shmdt set the segment's lpid and atime/dtime to this process.
 */
export function peekShmAttached(shmid: number, len: number): Uint8Array {
  const addr = sysv.shmat(shmid, null, SHM_RDONLY);
  if (addr === MAP_FAILED) check('shmat(SHM_RDONLY)', -1);
  try {
    return new Uint8Array(koffi.view(addr, len)).slice();
  } finally {
    sysv.shmdt(addr);
  }
}
