/**
 * `ipcscope` entry point (run through tsx by bin/ipcscope.js). Dispatches to
 * the commands, importing each lazily so `snapshot` never loads the web stack
 * and `--help` loads nothing heavy. Every failure ends as one line on stderr.
 */
import { CliError, UsageError, parseSnapshotArgs, parseWatchArgs } from './args';
import { helpFor, packageVersion } from './help';
import { escapeText } from './safe-text';

const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

function say(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** One line, whatever the error: the message, never the stack (unless IPCSCOPE_DEBUG is set). */
function reportError(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  /* a message may quote a name from the kernel (a path, a reason): one line, no control character */
  process.stderr.write(`ipcscope: ${escapeText(message.replace(/\s*\n\s*/g, ' ').trim())}\n`);
  if (process.env.IPCSCOPE_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}

function wantsHelp(rest: string[]): boolean {
  return rest.includes('--help') || rest.includes('-h');
}

interface WebModule {
  runWeb(argv: string[]): unknown;
}

async function runWebCommand(rest: string[]): Promise<number> {
  let web: WebModule;
  try {
    web = await import('../web/web-command');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && error instanceof Error) throw new CliError(`the web mode cannot be loaded: ${error.message}`);
    throw error;
  }
  const result = await web.runWeb(rest);
  return typeof result === 'number' ? result : 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      say(process.stderr, helpFor(undefined) ?? '');
      return EXIT_USAGE;
    case 'help':
    case '--help':
    case '-h': {
      if (rest[0] === 'web') return runWebCommand(['--help']);
      const text = helpFor(rest[0]);
      if (text === null) throw new UsageError(`no help for "${rest[0]}" (commands: snapshot, watch, web, run)`);
      say(process.stdout, text);
      return 0;
    }
    case '--version':
    case '-V':
    case 'version':
      say(process.stdout, `ipcscope ${packageVersion()}`);
      return 0;
    case 'snapshot':
    case 'watch': {
      if (wantsHelp(rest)) {
        say(process.stdout, helpFor(command) ?? '');
        return 0;
      }
      /* parse before importing: a malformed command line fails without loading koffi */
      if (command === 'snapshot') {
        const args = parseSnapshotArgs(rest);
        const { runSnapshot } = await import('./snapshot-command');
        return runSnapshot(args);
      }
      const args = parseWatchArgs(rest);
      const { runWatch } = await import('./watch-command');
      return runWatch(args);
    }
    case 'web':
      return runWebCommand(rest);
    case 'run': {
      /* only a first --help is ours: later ones may belong to the command */
      if (rest[0] === '--help' || rest[0] === '-h') {
        say(process.stdout, helpFor('run') ?? '');
        return 0;
      }
      const { parseRunArgs } = await import('./run-args');
      const args = parseRunArgs(rest);
      const { runRun } = await import('./run-command');
      return runRun(args);
    }
    default:
      throw new UsageError(
        command.startsWith('-') ? `unknown option "${command}" (see: ipcscope help)` : `unknown command "${command}" (commands: snapshot, watch, web, run, help)`,
      );
  }
}

/* `ipcscope snapshot --json | head -c 100`: the reader left; stop quietly, not with a stack trace */
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.exitCode = reportError(error);
});

main(process.argv.slice(2)).then(
  (code) => {
    /* exitCode, not exit(): a large --json document to a pipe must drain first */
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error);
  },
);
