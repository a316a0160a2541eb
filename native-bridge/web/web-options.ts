/**
 * Command-line options of `ipcscope web`.
 *
 * Port: without --port the server tries 7420 (a stable address to bookmark,
 * though the token changes each run) and falls back to a free port when 7420
 * is taken; `--port 0` always takes a free port; `--port N` uses N or fails.
 *
 * --pid PID[,PID...] [--tree] and --all: the session observes those processes
 * before the first client connects (the command "observe" with that scope).
 */
import { parsePidList } from '../cli/args';
import { OBSERVE_MAX_PIDS, type ObserveScope } from '../model/commands';

export const DEFAULT_WEB_PORT = 7420;

export interface WebOptions {
  port: number;
  /** True when the port was named on the command line (no fallback). */
  portExplicit: boolean;
  build: boolean;
  help: boolean;
  /** Observe these processes from the start (absent: the lesson chooser). */
  observe?: ObserveScope;
}

export const WEB_USAGE = `usage: ipcscope web [--port N] [--no-build] [--pid PID[,PID...] [--tree] | --all]

Serves the ipcscope view to a browser on 127.0.0.1 and prints its URL (with a
per-run token). Ctrl+C stops the server and every lesson process.

  --port N     listen on port N (0 = any free port); default ${DEFAULT_WEB_PORT},
               or a free port when ${DEFAULT_WEB_PORT} is taken
  --no-build   do not (re)build renderer/dist, serve it as it is
  --pid, -p PID[,PID...]
               open already observing these processes (up to ${OBSERVE_MAX_PIDS}; yours,
               or any as root)
  --tree       with --pid: and their descendants
  --all, -a    open already observing every process`;

export function parseWebOptions(argv: string[]): WebOptions {
  const options: WebOptions = { port: DEFAULT_WEB_PORT, portExplicit: false, build: true, help: false };
  let pids: number[] | null = null;
  let tree = false;
  let all = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--tree') tree = true;
    else if (arg === '--all' || arg === '-a') all = true;
    else if (arg === '--pid' || arg === '-p' || arg.startsWith('--pid=')) {
      const value = arg.startsWith('--pid=') ? arg.slice('--pid='.length) : argv[++i];
      if (value === undefined) throw new Error('--pid needs a PID or a comma-separated list of PIDs');
      pids = [...(pids ?? []), ...parsePidList(value).filter((pid) => !pids?.includes(pid))];
    }
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      if (value === undefined || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
        throw new Error(`--port needs a number from 0 to 65535, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
      }
      options.port = Number(value);
      options.portExplicit = true;
    } else {
      throw new Error(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  if (all && pids) throw new Error('--pid and --all cannot be combined');
  if (tree && !pids) throw new Error('--tree needs --pid');
  if (pids && pids.length > OBSERVE_MAX_PIDS) throw new Error(`--pid names ${pids.length} processes; at most ${OBSERVE_MAX_PIDS} can be observed`);
  if (pids) options.observe = { pids, tree };
  else if (all) options.observe = { all: true };
  return options;
}
