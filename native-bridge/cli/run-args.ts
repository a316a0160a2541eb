/**
 * Arguments of `ipcscope run [options] -- COMMAND [ARGS...]`. The command
 * line to execute comes only from here (the user's shell): no wire command
 * of the session can start a program.
 */
import { UsageError, WATCH_RATE_DEFAULT, WATCH_RATE_MAX, WATCH_RATE_MIN } from './args';

export interface RunArgs {
  /** The program and its arguments, exactly as given after "--". */
  command: string[];
  web: boolean;
  rateHz: number;
  json: boolean;
  /** Passed on to the browser mode with --web (--port N, --no-build). */
  webArgs: string[];
}

export function parseRunArgs(argv: string[]): RunArgs {
  const args: RunArgs = { command: [], web: false, rateHz: WATCH_RATE_DEFAULT, json: false, webArgs: [] };
  let i = 0;
  for (; i < argv.length; i += 1) {
    const word = argv[i] ?? '';
    if (word === '--') {
      i += 1;
      break;
    }
    if (!word.startsWith('-')) break; // the command starts here
    if (word === '--web') args.web = true;
    else if (word === '--json') args.json = true;
    else if (word === '--no-build') args.webArgs.push(word);
    else if (word === '--port' || word.startsWith('--port=')) {
      const value = word === '--port' ? argv[++i] : word.slice('--port='.length);
      if (value === undefined) throw new UsageError('--port needs a value');
      args.webArgs.push('--port', value);
    } else if (word === '--rate' || word.startsWith('--rate=')) {
      const text = word === '--rate' ? argv[++i] : word.slice('--rate='.length);
      const rate = text !== undefined && /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : NaN;
      if (!(rate >= WATCH_RATE_MIN && rate <= WATCH_RATE_MAX)) {
        throw new UsageError(`--rate expects a number from ${WATCH_RATE_MIN} to ${WATCH_RATE_MAX}, got "${text ?? ''}"`);
      }
      args.rateHz = rate;
    } else throw new UsageError(`unknown option "${word}" for "run" (see: ipcscope help run)`);
  }
  args.command = argv.slice(i);
  if (args.command.length === 0 || args.command[0] === '') throw new UsageError('run needs a command: ipcscope run [--web] -- COMMAND [ARGS...]');
  if (args.web && args.json) throw new UsageError('--json and --web cannot be combined');
  if (!args.web && args.webArgs.length > 0) throw new UsageError(`${args.webArgs[0]} needs --web`);
  return args;
}
