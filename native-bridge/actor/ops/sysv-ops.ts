/**
 * System V IPC ops: shmget/shmat/shmdt/shmctl, msgget/msgsnd/msgrcv/msgctl,
 * semget/semop/semctl, and write-memory into a mapping of ours. Each is one
 * libc call. Sleeping syscalls (x86_64, KERNEL-FACTS): msgsnd 69 (wchan
 * do_msgsnd), msgrcv 70 (do_msgrcv), semop -> semtimedop 220
 * (__do_semtimedop); their arg0 is the msqid / semid.
 */
import koffi from 'koffi';
import { MAP_FAILED } from '../../libc/libc';
import {
  GETNCNT,
  GETPID,
  GETVAL,
  GETZCNT,
  IPC_CREAT,
  IPC_EXCL,
  IPC_NOWAIT,
  IPC_PRIVATE,
  IPC_RMID,
  SETVAL,
  SHM_RDONLY,
  SYS_MSGRCV,
  SYS_MSGSND,
  SYS_SEMOP,
  SYS_SEMTIMEDOP,
  encodeMsgbuf,
  encodeSembufs,
  shmStat,
  sysv,
} from '../../libc/sysv';
import { createWithFreshKey } from './ftok-fresh-key';
import { addMapping, addressArg, findMapping, hexAddress, latestMappingOf, removeMapping } from './mappings';
import { type OpTable, OpArgError, bytesArg, intArg, intListArg, failed, stringArg, syscallOutcome } from './op-types';

/* msgmax default: 8192 bytes per message */
const MAX_MSG = 8192;
const SEMCTL_CMDS: Record<string, number> = { GETVAL, GETNCNT, GETZCNT, GETPID, SETVAL, IPC_RMID };

/* key 0 = IPC_PRIVATE; perms default 0600, always IPC_CREAT unless create=false; excl=true adds IPC_EXCL (EEXIST if the key exists) */
function getFlags(args: Record<string, unknown>): number {
  const perms = intArg(args, 'perms', 0o600);
  if (perms < 0 || perms > 0o777) throw new OpArgError('perms must be 0 to 0777');
  return (args.create === false ? 0 : IPC_CREAT) | (args.excl === true ? IPC_EXCL : 0) | perms;
}

const rmidOnly = (args: Record<string, unknown>): void => {
  const cmd = args.cmd ?? 'IPC_RMID';
  if (cmd !== 'IPC_RMID') throw new OpArgError('only cmd "IPC_RMID" is supported');
};

export const sysvOps: OpTable = {
  ftok: {
    /* a library call: stat(path) and arithmetic; the key is returned, -1 if the path does not exist */
    sleepsIn: [],
    run(args) {
      const path = stringArg(args, 'path');
      if (path.length === 0 || path.length > 4095) throw new OpArgError('path must be 1 to 4095 characters');
      const projId = intArg(args, 'projId');
      if (projId < 0 || projId > 0xffff) throw new OpArgError(`projId must be 0 to 65535 (got ${projId})`);
      const key = sysv.ftok(path, projId);
      /* a key may be negative (proj_id 0x80 and up sets the sign bit); only -1 is a failure. keyHex as ipcs prints it */
      return key === -1 ? failed() : { result: key, errno: null, data: { key, keyHex: `0x${(key >>> 0).toString(16).padStart(8, '0')}` } };
    },
  },
  shmget: {
    sleepsIn: [],
    run(args) {
      const size = intArg(args, 'size', 4096);
      const flags = getFlags(args);
      /* retryDir: a key some other program holds gives a new directory and key instead of EEXIST (ftok-fresh-key.ts) */
      if (typeof args.retryDir === 'string') return createWithFreshKey(args, (key) => sysv.shmget(key, size, flags), 'shmid');
      const id = sysv.shmget(intArg(args, 'key', IPC_PRIVATE), size, flags);
      return syscallOutcome(id, { shmid: id, object: `shm:${id}` });
    },
  },
  shmat: {
    sleepsIn: [],
    run(args) {
      const shmid = intArg(args, 'shmid');
      const readonly = args.readonly === true;
      const address = sysv.shmat(shmid, null, readonly ? SHM_RDONLY : 0);
      if (address === MAP_FAILED) return failed();
      /* the segment size, as the kernel has it (IPC_STAT) */
      const length = shmStat(shmid).size;
      addMapping({ address, length, writable: !readonly, object: `shm:${shmid}` });
      return { result: 0, errno: null, data: { address: hexAddress(address), length } };
    },
  },
  shmdt: {
    sleepsIn: [],
    run(args) {
      const mapping = args.address !== undefined ? findMapping(addressArg(args)) : latestMappingOf(`shm:${intArg(args, 'shmid')}`);
      if (!mapping || !mapping.object.startsWith('shm:')) throw new OpArgError('no such attachment in this actor');
      const result = sysv.shmdt(mapping.address);
      if (result === 0) removeMapping(mapping.address);
      return syscallOutcome(result);
    },
  },
  shmctl: {
    sleepsIn: [],
    run(args) {
      rmidOnly(args);
      return syscallOutcome(sysv.shmctl(intArg(args, 'shmid'), IPC_RMID, null));
    },
  },
  'write-memory': {
    sleepsIn: [],
    run(args) {
      const mapping = findMapping(addressArg(args));
      if (!mapping) throw new OpArgError('no such mapping in this actor');
      if (!mapping.writable) throw new OpArgError('the mapping is read-only');
      const offset = intArg(args, 'offset', 0);
      const bytes = bytesArg(args);
      if (offset < 0 || offset + bytes.length > mapping.length) throw new OpArgError(`write must fit in ${mapping.length} bytes`);
      new Uint8Array(koffi.view(mapping.address, mapping.length)).set(bytes, offset);
      return { result: bytes.length, errno: null };
    },
  },
  'read-memory': {
    /* plain loads from a mapping of ours: no syscall at all, which is the point of shared memory */
    sleepsIn: [],
    run(args) {
      const mapping = findMapping(addressArg(args));
      if (!mapping) throw new OpArgError('no such mapping in this actor');
      const offset = intArg(args, 'offset', 0);
      const count = intArg(args, 'count');
      if (offset < 0 || count < 0 || offset + count > mapping.length) throw new OpArgError(`read must fit in ${mapping.length} bytes`);
      const bytes = new Uint8Array(koffi.view(mapping.address, mapping.length)).slice(offset, offset + count);
      return { result: count, errno: null, data: { bytes: Buffer.from(bytes).toString('base64') } };
    },
  },
  msgget: {
    sleepsIn: [],
    run(args) {
      const flags = getFlags(args);
      if (typeof args.retryDir === 'string') return createWithFreshKey(args, (key) => sysv.msgget(key, flags), 'msqid');
      const id = sysv.msgget(intArg(args, 'key', IPC_PRIVATE), flags);
      return syscallOutcome(id, { msqid: id, object: `msg:${id}` });
    },
  },
  msgsnd: {
    sleepsIn: [SYS_MSGSND],
    fdArg: 'msqid',
    run(args) {
      const type = intArg(args, 'type', 1);
      if (type < 1) throw new OpArgError('type must be 1 or more');
      const text = bytesArg(args);
      if (text.length > MAX_MSG) throw new OpArgError(`a message holds at most ${MAX_MSG} bytes`);
      const msg = encodeMsgbuf(type, text);
      return syscallOutcome(sysv.msgsnd(intArg(args, 'msqid'), msg, text.length, args.nowait === true ? IPC_NOWAIT : 0));
    },
  },
  msgrcv: {
    sleepsIn: [SYS_MSGRCV],
    fdArg: 'msqid',
    run(args) {
      const size = intArg(args, 'size', MAX_MSG);
      if (size < 0 || size > MAX_MSG) throw new OpArgError(`size must be 0 to ${MAX_MSG}`);
      const buf = new Uint8Array(8 + size);
      const n = sysv.msgrcv(intArg(args, 'msqid'), buf, size, intArg(args, 'type', 0), args.nowait === true ? IPC_NOWAIT : 0);
      if (n < 0) return failed();
      const type = Number(new DataView(buf.buffer).getBigInt64(0, true));
      return { result: n, errno: null, data: { type, bytes: Buffer.from(buf.subarray(8, 8 + n)).toString('base64') } };
    },
  },
  msgctl: {
    sleepsIn: [],
    run(args) {
      rmidOnly(args);
      return syscallOutcome(sysv.msgctl(intArg(args, 'msqid'), IPC_RMID, null));
    },
  },
  semget: {
    sleepsIn: [],
    run(args) {
      const nsems = intArg(args, 'nsems', 1);
      if (nsems < 1 || nsems > 32) throw new OpArgError('nsems must be 1 to 32');
      const id = sysv.semget(intArg(args, 'key', IPC_PRIVATE), nsems, getFlags(args));
      return syscallOutcome(id, { semid: id, object: `sem:${id}` });
    },
  },
  semop: {
    /* glibc's semop is the semtimedop syscall (220) on x86_64 */
    sleepsIn: [SYS_SEMTIMEDOP, SYS_SEMOP],
    fdArg: 'semid',
    run(args) {
      /* either num/op (one operation) or sops: [num, op, flags, num, op, flags, ...] */
      const flat = intListArg(args, 'sops') ?? [intArg(args, 'num', 0), intArg(args, 'op'), args.nowait === true ? IPC_NOWAIT : 0];
      if (flat.length === 0 || flat.length % 3 !== 0 || flat.length > 96) throw new OpArgError('sops is [num, op, flags] repeated, 1 to 32 times');
      const ops: { num: number; op: number; flags: number }[] = [];
      for (let i = 0; i < flat.length; i += 3) ops.push({ num: flat[i]!, op: flat[i + 1]!, flags: flat[i + 2]! });
      return syscallOutcome(sysv.semop(intArg(args, 'semid'), encodeSembufs(ops), ops.length));
    },
  },
  semctl: {
    sleepsIn: [],
    run(args) {
      const cmdName = args.cmd;
      const cmd = typeof cmdName === 'string' ? SEMCTL_CMDS[cmdName] : undefined;
      if (cmd === undefined) throw new OpArgError(`cmd must be one of ${Object.keys(SEMCTL_CMDS).join(', ')}`);
      const value = cmd === SETVAL ? intArg(args, 'value') : 0;
      return syscallOutcome(sysv.semctlInt(intArg(args, 'semid'), intArg(args, 'num', 0), cmd, value));
    },
  },
};
