/**
 * Ops of the semaphore lesson (lessons/shared-memory/sem-counter.ts): `add-counter` is the
 * C function add() of its adder program, run for real on the actor's main
 * thread: wait at a start gate (semop wait-for-zero, asleep in semtimedop
 * 220 with arg0 = semid, wchan __do_semtimedop), then `times` read-modify-
 * write increments of an int in a System V segment this actor attached,
 * each a real load and a real store through koffi on the mapped address,
 * optionally between semop P and V on a mutex semaphore, and last a V on a
 * "done" semaphore so the main process can wait for both adders in semop.
 * `print-counter` loads that int and writes it to stdout (printf("%d\n", *counter) in the C).
 */
import koffi from 'koffi';
import { native } from '../../libc/libc';
import { SYS_SEMOP, SYS_SEMTIMEDOP, encodeSembufs, sysv } from '../../libc/sysv';
import { addressArg, findMapping } from './mappings';
import { type OpTable, OpArgError, failed, intArg } from './op-types';

/* enough to make two unlocked loops overlap, few enough that the locked round (two semops each) takes seconds, not minutes */
export const MAX_TIMES = 1_000_000;
const INT_SIZE = 4;

function counterAddress(args: Record<string, unknown>): bigint {
  const mapping = findMapping(addressArg(args));
  if (!mapping || !mapping.object.startsWith('shm:')) throw new OpArgError('no such shared-memory attachment in this actor');
  if (!mapping.writable) throw new OpArgError('the attachment is read-only');
  if (mapping.length < INT_SIZE) throw new OpArgError(`the segment is smaller than an int (${mapping.length} bytes)`);
  return mapping.address;
}

function semNum(args: Record<string, unknown>, name: string): number {
  const num = intArg(args, name);
  if (num < 0 || num > 31) throw new OpArgError(`${name} must be a semaphore number 0 to 31 (got ${num})`);
  return num;
}

export const semOps: OpTable = {
  'add-counter': {
    /* asleep at the gate, or on the mutex while the other adder holds it: glibc's semop is semtimedop (220) */
    sleepsIn: [SYS_SEMTIMEDOP, SYS_SEMOP],
    fdArg: 'semid',
    run(args) {
      const address = counterAddress(args);
      const semid = intArg(args, 'semid');
      const times = intArg(args, 'times');
      if (times < 1 || times > MAX_TIMES) throw new OpArgError(`times must be 1 to ${MAX_TIMES} (got ${times})`);
      const locked = args.locked === true;
      const waitGate = encodeSembufs([{ num: semNum(args, 'gate'), op: 0 }]);
      const mutex = locked ? semNum(args, 'mutex') : 0;
      const take = encodeSembufs([{ num: mutex, op: -1 }]);
      const give = encodeSembufs([{ num: mutex, op: 1 }]);
      const done = encodeSembufs([{ num: semNum(args, 'done'), op: 1 }]);
      if (sysv.semop(semid, waitGate, 1) < 0) return failed();
      for (let i = 0; i < times; i++) {
        if (locked && sysv.semop(semid, take, 1) < 0) return failed();
        /* int seen = *counter; *counter = seen + 1; a load and a store, with the other adder free to store in between */
        const seen = koffi.decode(address, 'int') as number;
        koffi.encode(address, 'int', (seen + 1) | 0);
        if (locked && sysv.semop(semid, give, 1) < 0) return failed();
      }
      if (sysv.semop(semid, done, 1) < 0) return failed();
      return { result: 0, errno: null };
    },
  },
  'print-counter': {
    /* printf("%d\n", *counter): a plain load from the segment, then write(1, ...) to the actor's stdout */
    sleepsIn: [1],
    run(args) {
      const value = koffi.decode(counterAddress(args), 'int') as number;
      const line = Buffer.from(`${value}\n`);
      if (native.write(1, line, line.length) < 0) return failed();
      return { result: value, errno: null, data: { value } };
    },
  },
};
