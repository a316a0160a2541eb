/**
 * `npm start -- --pid PID[,PID...] [--tree]` and `npm start -- --all`: the
 * desktop app opens already observing those processes, like `ipcscope web`.
 * Electron's argv also carries its own and Chromium's switches (and the app
 * path in development): anything not ours is left alone.
 */
import { parsePidList } from '../native-bridge/cli/args';
import { OBSERVE_MAX_PIDS, type ObserveScope } from '../native-bridge/model/commands';

export const OBSERVE_USAGE = 'usage: npm start -- [--pid PID[,PID...] [--tree] | --all]';

/** The scope named on the command line, null when none; throws an Error saying what is wrong. */
export function observeScopeFromArgv(argv: readonly string[]): ObserveScope | null {
  let pids: number[] | null = null;
  let tree = false;
  let all = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--tree') tree = true;
    else if (arg === '--all' || arg === '-a') all = true;
    else if (arg === '--pid' || arg === '-p' || arg.startsWith('--pid=')) {
      const value = arg.startsWith('--pid=') ? arg.slice('--pid='.length) : argv[++i];
      if (value === undefined || value.startsWith('-')) throw new Error(`${arg} needs a PID or a comma-separated list of PIDs`);
      const more = parsePidList(value);
      pids = [...(pids ?? []), ...more.filter((pid) => !pids?.includes(pid))];
    }
  }
  if (all && pids) throw new Error('--pid and --all cannot be combined');
  if (tree && !pids) throw new Error('--tree needs --pid');
  if (pids && pids.length > OBSERVE_MAX_PIDS) throw new Error(`--pid names ${pids.length} processes; at most ${OBSERVE_MAX_PIDS} can be observed`);
  if (pids) return { pids, tree };
  return all ? { all: true } : null;
}
