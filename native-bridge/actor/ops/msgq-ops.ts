/**
 * Message-queue ops the generic System V ops (sysv-ops.ts) do not cover:
 * lowering a queue's msg_qbytes with msgctl(IPC_SET), so that a sender can
 * be seen asleep on a full queue after a few bytes, and a msgsnd of a size
 * the caller chooses beyond msgmax, so that the KERNEL refuses it (EINVAL)
 * rather than our argument check. Sleeping syscall (x86_64, KERNEL-FACTS):
 * msgsnd 69, wchan do_msgsnd, arg0 = msqid.
 */
import { IPC_NOWAIT, IPC_STAT, SYS_MSGSND, encodeMsgbuf, sysv } from '../../libc/sysv';
import { type OpTable, OpArgError, failed, intArg, stringArg, syscallOutcome } from './op-types';

/* IPC_SET: 1 (KERNEL-FACTS, System V) */
const IPC_SET = 1;
/* msqid_ds (120 bytes on x86_64): msg_qbytes is the unsigned long at offset 88 */
const MSQID_DS_SIZE = 120;
const QBYTES_OFFSET = 88;
/* far above msgmax (8192 by default): the point is to let the kernel say no */
const MAX_SIZED_MSG = 1 << 16;
/* msgmnb default is 16384; only CAP_SYS_RESOURCE may raise qbytes above it, and a lesson only lowers it */
const MAX_QBYTES = 1 << 16;

export const msgqOps: OpTable = {
  'msgctl-qbytes': {
    /* msgctl(IPC_STAT) to fill the struct, change msg_qbytes, msgctl(IPC_SET): what C does */
    sleepsIn: [],
    run(args) {
      const msqid = intArg(args, 'msqid');
      const qbytes = intArg(args, 'qbytes');
      if (qbytes < 0 || qbytes > MAX_QBYTES) throw new OpArgError(`qbytes must be 0 to ${MAX_QBYTES} (got ${qbytes})`);
      const ds = new Uint8Array(MSQID_DS_SIZE);
      if (sysv.msgctl(msqid, IPC_STAT, ds) < 0) return failed();
      new DataView(ds.buffer).setBigUint64(QBYTES_OFFSET, BigInt(qbytes), true);
      return syscallOutcome(sysv.msgctl(msqid, IPC_SET, ds), { qbytes });
    },
  },
  'msgsnd-sized': {
    /* `size` bytes of `fill` repeated; the kernel compares size with msgmax (EINVAL) and with room left in msg_qbytes (sleep) */
    sleepsIn: [SYS_MSGSND],
    fdArg: 'msqid',
    run(args) {
      const type = intArg(args, 'type', 1);
      if (type < 1) throw new OpArgError('type must be 1 or more');
      const size = intArg(args, 'size');
      if (size < 0 || size > MAX_SIZED_MSG) throw new OpArgError(`size must be 0 to ${MAX_SIZED_MSG} (got ${size})`);
      const fill = Buffer.from(stringArg(args, 'fill', 'x'));
      if (fill.length === 0) throw new OpArgError('fill must not be empty');
      const text = new Uint8Array(size);
      for (let i = 0; i < size; i += 1) text[i] = fill[i % fill.length]!;
      return syscallOutcome(sysv.msgsnd(intArg(args, 'msqid'), encodeMsgbuf(type, text), size, args.nowait === true ? IPC_NOWAIT : 0));
    },
  },
};
