/**
 * Argument parsing for `ipcscope`, with no parsing library: the grammar is
 * small, and every mistake must come back as one line naming the exact
 * problem (the first one found), never a stack trace.
 */
import type { Scope } from '../probe/index';

/** A mistake in the command line: exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Something the command could not do (a missing process, an unreadable one): exit status 1. */
export class CliError extends Error {
  override name = 'CliError';
}

export type OutputFormat = 'table' | 'json' | 'dot';

export interface SnapshotArgs {
  scope: Scope;
  format: OutputFormat;
  /** Queued bytes to copy per object, 0 to 256 (ProbeOptions.peekBytes). */
  peekBytes: number;
  readMaps: boolean;
}

export interface WatchArgs {
  scope: Scope;
  rateHz: number;
  json: boolean;
}

export const PEEK_MAX = 256;
export const PEEK_DEFAULT = 64;
export const WATCH_RATE_MIN = 1;
export const WATCH_RATE_MAX = 60;
export const WATCH_RATE_DEFAULT = 10;
/* pid_max can be raised to 2^22 (PID_MAX_LIMIT on 64-bit) */
const PID_MAX_LIMIT = 4_194_304;

/** Splits "--name=value" and walks the words one at a time. */
class Words {
  private index = 0;
  constructor(private readonly words: string[]) {}

  next(): { flag: string; inline: string | null } | null {
    const word = this.words[this.index++];
    if (word === undefined) return null;
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    if (eq > 0) return { flag: word.slice(0, eq), inline: word.slice(eq + 1) };
    return { flag: word, inline: null };
  }

  value(flag: string, inline: string | null): string {
    if (inline !== null) return inline;
    const word = this.words[this.index];
    if (word === undefined || (word.startsWith('--') && word.length > 2)) throw new UsageError(`${flag} needs a value`);
    this.index++;
    return word;
  }
}

/** "12,34": distinct PIDs, 1 to PID_MAX_LIMIT; `flag` names the option in messages. */
export function parsePidList(text: string, flag = '--pid'): number[] {
  if (text.trim() === '') throw new UsageError(`${flag} needs at least one PID`);
  const pids: number[] = [];
  for (const part of text.split(',')) {
    const word = part.trim();
    if (!/^[0-9]+$/.test(word)) throw new UsageError(`invalid PID "${word}" in ${flag} (expected positive integers, comma-separated)`);
    const pid = Number(word);
    if (pid < 1 || pid > PID_MAX_LIMIT) throw new UsageError(`invalid PID ${word} in ${flag} (expected 1 to ${PID_MAX_LIMIT})`);
    if (!pids.includes(pid)) pids.push(pid);
  }
  return pids;
}

function parseBounded(flag: string, text: string, min: number, max: number, integer: boolean): number {
  const number = /^[0-9]+(\.[0-9]+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(number) || (integer && !Number.isInteger(number))) {
    throw new UsageError(`${flag} expects ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${text}"`);
  }
  if (number < min || number > max) throw new UsageError(`${flag} ${text} is out of range (${min} to ${max})`);
  return number;
}

function unknownOption(command: string, word: string): UsageError {
  if (word.startsWith('-')) return new UsageError(`unknown option "${word}" for "${command}" (see: ipcscope help ${command})`);
  return new UsageError(`unexpected argument "${word}" for "${command}" (see: ipcscope help ${command})`);
}

interface ScopeFlags {
  pids: number[] | null;
  tree: boolean;
  all: boolean;
}

/** Handles the flags snapshot and watch share; false when `flag` is not one of them. */
function takeScopeFlag(words: Words, flag: string, inline: string | null, scope: ScopeFlags): boolean {
  switch (flag) {
    case '--pid':
    case '-p':
      scope.pids = [...(scope.pids ?? []), ...parsePidList(words.value(flag, inline))];
      return true;
    case '--tree':
      noInline(flag, inline);
      scope.tree = true;
      return true;
    case '--all':
    case '-a':
      noInline(flag, inline);
      scope.all = true;
      return true;
    default:
      return false;
  }
}

function noInline(flag: string, inline: string | null): void {
  if (inline !== null) throw new UsageError(`${flag} takes no value`);
}

function toScope(flags: ScopeFlags): Scope {
  if (flags.all && flags.pids) throw new UsageError('--pid and --all cannot be combined');
  if (flags.all && flags.tree) throw new UsageError('--tree needs --pid (--all already covers every process)');
  if (flags.pids) return { pids: flags.pids, tree: flags.tree };
  if (flags.tree) throw new UsageError('--tree needs --pid');
  return { all: true };
}

export function parseSnapshotArgs(argv: string[]): SnapshotArgs {
  const words = new Words(argv);
  const scope: ScopeFlags = { pids: null, tree: false, all: false };
  let format: OutputFormat = 'table';
  let peekBytes = PEEK_DEFAULT;
  let readMaps = true;
  for (let word = words.next(); word; word = words.next()) {
    const { flag, inline } = word;
    if (takeScopeFlag(words, flag, inline, scope)) continue;
    switch (flag) {
      case '--json':
      case '--dot': {
        noInline(flag, inline);
        const wanted: OutputFormat = flag === '--json' ? 'json' : 'dot';
        if (format !== 'table' && format !== wanted) throw new UsageError('--json and --dot cannot be combined');
        format = wanted;
        break;
      }
      case '--peek':
        peekBytes = parseBounded('--peek', words.value(flag, inline), 0, PEEK_MAX, true);
        break;
      case '--no-maps':
        noInline(flag, inline);
        readMaps = false;
        break;
      default:
        throw unknownOption('snapshot', flag);
    }
  }
  return { scope: toScope(scope), format, peekBytes, readMaps };
}

export function parseWatchArgs(argv: string[]): WatchArgs {
  const words = new Words(argv);
  const scope: ScopeFlags = { pids: null, tree: false, all: false };
  let rateHz = WATCH_RATE_DEFAULT;
  let json = false;
  for (let word = words.next(); word; word = words.next()) {
    const { flag, inline } = word;
    if (takeScopeFlag(words, flag, inline, scope)) continue;
    switch (flag) {
      case '--rate':
        rateHz = parseBounded('--rate', words.value(flag, inline), WATCH_RATE_MIN, WATCH_RATE_MAX, false);
        break;
      case '--json':
        noInline(flag, inline);
        json = true;
        break;
      default:
        throw unknownOption('watch', flag);
    }
  }
  return { scope: toScope(scope), rateHz, json };
}
