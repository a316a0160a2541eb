/**
 * Ops a lesson uses to set a process up the way its C program would:
 * set-name (prctl PR_SET_NAME, so ps, /proc/PID/comm and the picture show
 * the role) and signal (a disposition: SIGPIPE ignored makes a write with no
 * reader fail with EPIPE instead of killing the writer).
 */
import { libc } from '../../libc/libc';
import { actorNative } from '../actor-libc';
import { type OpTable, OpArgError, intArg, stringArg, syscallOutcome } from './op-types';

const lib = libc();
/* PR_SET_NAME 15 (linux/prctl.h): names the calling thread, here the main thread, which is the process's comm */
const PR_SET_NAME = 15;
const prctlName = lib.func('int prctl(int option, const char *name, unsigned long a3, unsigned long a4, unsigned long a5)') as (
  option: number,
  name: string,
  a3: number,
  a4: number,
  a5: number,
) => number;
/* comm holds 15 characters and a NUL (TASK_COMM_LEN 16) */
const COMM_MAX = 15;
const SIG_DFL = 0;
const SIG_IGN = 1;
const SIG_ERR = -1;

export const processSetupOps: OpTable = {
  'set-name': {
    sleepsIn: [],
    run(args) {
      const name = stringArg(args, 'name');
      if (!/^[a-z0-9-]{1,15}$/.test(name)) throw new OpArgError(`name must be 1 to ${COMM_MAX} lowercase letters, digits or dashes`);
      return syscallOutcome(prctlName(PR_SET_NAME, name, 0, 0, 0));
    },
  },
  signal: {
    sleepsIn: [],
    run(args) {
      const signal = intArg(args, 'signal');
      if (signal < 1 || signal > 64) throw new OpArgError('signal must be 1 to 64');
      const handler = stringArg(args, 'handler');
      if (handler !== 'ignore' && handler !== 'default') throw new OpArgError('handler must be "ignore" or "default"');
      const previous = actorNative.signal(signal, handler === 'ignore' ? SIG_IGN : SIG_DFL);
      return syscallOutcome(Number(previous) === SIG_ERR ? -1 : 0);
    },
  },
};
