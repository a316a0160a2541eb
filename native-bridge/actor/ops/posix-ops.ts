/**
 * POSIX IPC ops: shm_open/ftruncate/mmap/munmap/shm_unlink and
 * mq_open/mq_send/mq_receive/mq_unlink (close is the pipe ops' `close`).
 * Every descriptor is O_CLOEXEC and joins the lesson's descriptors.
 * Sleeping syscalls (x86_64, KERNEL-FACTS): mq_timedsend 242 and
 * mq_timedreceive 243 (wchan wq_sleep), arg0 = the queue descriptor.
 */
import { MAP_FAILED, O_CLOEXEC, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY } from '../../libc/libc';
import { MAP_SHARED, O_CREAT, PROT_READ, PROT_WRITE, encodeMqAttr, posix } from '../../libc/posix-ipc';
import { addMapping, addressArg, findMapping, hexAddress, removeMapping } from './mappings';
import { type OpTable, OpArgError, bytesArg, intArg, stringArg, failed, syscallOutcome } from './op-types';

const SYS_MQ_TIMEDSEND = 242;
const SYS_MQ_TIMEDRECEIVE = 243;
/* default /proc/sys/fs/mqueue/msgsize_max */
const MAX_MQ_MSG = 8192;
const MAX_SHM = 1 << 24;

/* "/name": one slash, then no other (shm_overview(7), mq_overview(7)) */
function nameArg(args: Record<string, unknown>): string {
  const name = stringArg(args, 'name');
  if (!/^\/[A-Za-z0-9._-]{1,200}$/.test(name)) throw new OpArgError('name must look like "/name" (letters, digits, . _ -)');
  return name;
}

function accessFlags(args: Record<string, unknown>, fallback: 'r' | 'w' | 'rw'): number {
  const access = args.access ?? fallback;
  if (access === 'r') return O_RDONLY;
  if (access === 'w') return O_WRONLY;
  if (access === 'rw') return O_RDWR;
  throw new OpArgError('access must be "r", "w" or "rw"');
}

export const posixOps: OpTable = {
  shm_open: {
    sleepsIn: [],
    run(args, state) {
      const access = accessFlags(args, 'rw');
      if (access === O_WRONLY) throw new OpArgError('shm_open takes "r" or "rw"');
      const fd = posix.shmOpen(nameArg(args), access | O_CLOEXEC | (args.create === false ? 0 : O_CREAT), 0o600);
      if (fd >= 0) state.lessonFds.add(fd);
      return syscallOutcome(fd, { fd });
    },
  },
  ftruncate: {
    sleepsIn: [],
    run(args) {
      const size = intArg(args, 'size');
      if (size < 0 || size > MAX_SHM) throw new OpArgError(`size must be 0 to ${MAX_SHM}`);
      return syscallOutcome(posix.ftruncate(intArg(args, 'fd'), size));
    },
  },
  mmap: {
    sleepsIn: [],
    run(args) {
      const fd = intArg(args, 'fd');
      const length = intArg(args, 'size', 4096);
      if (length < 1 || length > MAX_SHM) throw new OpArgError(`size must be 1 to ${MAX_SHM}`);
      const writable = args.write !== false;
      const address = posix.mmap(null, length, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, 0);
      if (address === MAP_FAILED) return failed();
      addMapping({ address, length, writable, object: `fd:${fd}` });
      return { result: 0, errno: null, data: { address: hexAddress(address), length } };
    },
  },
  munmap: {
    sleepsIn: [],
    run(args) {
      const mapping = findMapping(addressArg(args));
      if (!mapping || mapping.object.startsWith('shm:')) throw new OpArgError('no such mmap in this actor');
      const result = posix.munmap(mapping.address, mapping.length);
      if (result === 0) removeMapping(mapping.address);
      return syscallOutcome(result);
    },
  },
  shm_unlink: {
    sleepsIn: [],
    run(args) {
      return syscallOutcome(posix.shmUnlink(nameArg(args)));
    },
  },
  mq_open: {
    sleepsIn: [],
    run(args, state) {
      const create = args.create !== false;
      let attr: Uint8Array | null = null;
      if (create && (args.maxMessages !== undefined || args.messageSize !== undefined)) {
        const maxMessages = intArg(args, 'maxMessages', 10);
        const messageSize = intArg(args, 'messageSize', MAX_MQ_MSG);
        if (maxMessages < 1 || maxMessages > 10 || messageSize < 1 || messageSize > MAX_MQ_MSG) {
          throw new OpArgError(`maxMessages 1 to 10, messageSize 1 to ${MAX_MQ_MSG}`);
        }
        attr = encodeMqAttr(maxMessages, messageSize);
      }
      const flags = accessFlags(args, 'rw') | O_CLOEXEC | (create ? O_CREAT : 0) | (args.nonblock === true ? O_NONBLOCK : 0);
      const name = nameArg(args);
      const mqd = posix.mqOpen(name, flags, 0o600, attr);
      if (mqd >= 0) state.lessonFds.add(mqd);
      /* the object as the mqueue probe names it, so a lesson's picture shows the queue from mq_open on */
      return syscallOutcome(mqd, { fd: mqd, object: `mqueue:${name}` });
    },
  },
  mq_send: {
    sleepsIn: [SYS_MQ_TIMEDSEND],
    fdArg: 'fd',
    run(args) {
      const bytes = bytesArg(args);
      const priority = intArg(args, 'priority', 0);
      if (priority < 0 || priority > 32767) throw new OpArgError('priority must be 0 to 32767');
      return syscallOutcome(posix.mqSend(intArg(args, 'fd'), bytes, bytes.length, priority));
    },
  },
  mq_receive: {
    sleepsIn: [SYS_MQ_TIMEDRECEIVE],
    fdArg: 'fd',
    run(args) {
      /* the buffer must be at least the queue's message size, else EMSGSIZE */
      const size = intArg(args, 'size', MAX_MQ_MSG);
      if (size < 1 || size > MAX_MQ_MSG) throw new OpArgError(`size must be 1 to ${MAX_MQ_MSG}`);
      const buf = new Uint8Array(size);
      const prio = new Uint32Array(1);
      const n = posix.mqReceive(intArg(args, 'fd'), buf, size, prio);
      if (n < 0) return failed();
      return { result: n, errno: null, data: { bytes: Buffer.from(buf.subarray(0, n)).toString('base64'), priority: prio[0]! } };
    },
  },
  mq_unlink: {
    sleepsIn: [],
    run(args) {
      return syscallOutcome(posix.mqUnlink(nameArg(args)));
    },
  },
};
