/**
 * The only things a view may ask of the engine. Each command is data, validated
 * here before anything runs: the view names a lesson and bounded parameters,
 * the engine decides which syscalls happen.
 */

import { PROCESS_QUERY_MAX } from './process-list-types';

/** The bound of the picker's and the map search's text, for views (the renderer imports bounds from here only). */
export { PROCESS_QUERY_MAX };
/** Most PIDs one "processes.match" may name: the whole machine with a few thousand processes. */
export const MATCH_MAX_PIDS = 8192;

export const SPEED_MIN = 0.1;
export const SPEED_MAX = 4;
export const RATE_MIN_HZ = 1;
export const RATE_MAX_HZ = 60;
export const RATE_DEFAULT_HZ = 30;

export type Command =
  /** params: validated against the lesson's LessonParamSpec list by the session */
  | { type: 'lesson.start'; lesson: string; params?: Record<string, string | number> }
  | { type: 'lesson.stop' }
  | { type: 'lesson.restart' }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  /** Restart on new processes and replay steps 0..step-1 at full speed (honest re-execution). */
  | { type: 'step.back'; step: number }
  /** The learner's prediction for the question on `step` (before it runs). */
  | { type: 'answer'; step: number; choice: string }
  /** Ask prediction questions (off for a lecture). */
  | { type: 'questions'; on: boolean }
  | { type: 'speed'; value: number }
  | { type: 'rate'; hz: number }
  | { type: 'lessons.list' }
  /** Observe real processes (any the user may read): a list, a list and its descendants, or every process. Ends a lesson. */
  | ({ type: 'observe' } & ObserveScope)
  | { type: 'observe.stop' }
  /** The process picker's rows (model/process-list-types.ts): read-only, answered at once. */
  | { type: 'processes.list'; query?: string }
  /** Which of `pids` have a command line holding every word of `text` (model/cmdline-match-types.ts): read-only, answered at once. */
  | { type: 'processes.match'; text: string; pids: number[] };

/** What an observation covers; the renderer may name PIDs, never a program to start. */
export type ObserveScope = { pids: number[]; tree: boolean } | { all: true };

export const OBSERVE_MAX_PIDS = 64;
/* pid_max can be raised to 2^22 (PID_MAX_LIMIT on 64-bit) */
export const OBSERVE_PID_MAX = 4_194_304;

export type CommandType = Command['type'];

export type CommandResult = { ok: true; data?: unknown } | { ok: false; error: string };

export class CommandError extends Error {
  override name = 'CommandError';
}

const NO_ARGS = new Set<CommandType>(['lesson.stop', 'lesson.restart', 'play', 'pause', 'step', 'lessons.list', 'observe.stop']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(input: Record<string, unknown>, keys: string[]): void {
  for (const key of Object.keys(input)) {
    if (!keys.includes(key)) throw new CommandError(`unexpected field "${key}" in command "${String(input.type)}"`);
  }
}

function boundedNumber(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CommandError(`${name} must be a number between ${min} and ${max}`);
  }
  if (value < min || value > max) throw new CommandError(`${name} ${value} is out of range (${min} to ${max})`);
  return value;
}

const MAX_STEP = 10_000;
const MAX_PARAMS = 8;
const MAX_TEXT_PARAM = 64;

function stepIndex(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_STEP) {
    throw new CommandError(`step must be a whole number from 0 to ${MAX_STEP}`);
  }
  return value;
}

/** Shape only (names, bounded strings, finite numbers); the lesson's own spec checks names and ranges. */
function lessonParams(value: unknown): Record<string, string | number> {
  if (!isRecord(value)) throw new CommandError('lesson.start params must be an object');
  const entries = Object.entries(value);
  if (entries.length > MAX_PARAMS) throw new CommandError(`lesson.start takes at most ${MAX_PARAMS} params`);
  const params: Record<string, string | number> = {};
  for (const [name, param] of entries) {
    if (!/^[a-zA-Z][a-zA-Z0-9]{0,31}$/.test(name)) throw new CommandError(`bad parameter name "${name.slice(0, 40)}"`);
    if (typeof param === 'number' && Number.isFinite(param)) params[name] = param;
    else if (typeof param === 'string' && /^[a-z0-9-]{1,32}$/.test(param)) params[name] = param;
    /* a text parameter (a line a client sends): bounded, no control characters; the lesson's spec checks the rest */
    // eslint-disable-next-line no-control-regex
    else if (typeof param === 'string' && param.length >= 1 && param.length <= MAX_TEXT_PARAM && !/[\u0000-\u001f\u007f]/.test(param)) params[name] = param;
    else throw new CommandError(`parameter "${name}" must be a number, a short lowercase word or a line of at most ${MAX_TEXT_PARAM} characters without control characters`);
  }
  return params;
}

/** {pids: [1..64 distinct PIDs], tree: boolean} or {all: true}, nothing else. */
function observeScope(input: Record<string, unknown>): ObserveScope {
  if ('all' in input) {
    onlyKeys(input, ['type', 'all']);
    if (input.all !== true) throw new CommandError('observe "all" must be true (or name "pids")');
    return { all: true };
  }
  onlyKeys(input, ['type', 'pids', 'tree']);
  const pids = input.pids;
  if (!Array.isArray(pids) || pids.length === 0 || pids.length > OBSERVE_MAX_PIDS) {
    throw new CommandError(`observe needs "pids": a list of 1 to ${OBSERVE_MAX_PIDS} PIDs (or "all": true)`);
  }
  const seen: number[] = [];
  for (const pid of pids as unknown[]) {
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid < 1 || pid > OBSERVE_PID_MAX) {
      throw new CommandError(`observe: ${JSON.stringify(pid)?.slice(0, 40) ?? 'undefined'} is not a PID (whole numbers 1 to ${OBSERVE_PID_MAX})`);
    }
    if (!seen.includes(pid)) seen.push(pid);
  }
  const tree = input.tree ?? false;
  if (typeof tree !== 'boolean') throw new CommandError('observe "tree" must be true or false');
  return { pids: seen, tree };
}

/** Free text the user typed, bounded; control characters are refused (they never name a process). */
function processQuery(value: unknown, command = 'processes.list', field = 'query'): string {
  if (typeof value !== 'string') throw new CommandError(`${command} "${field}" must be text`);
  if (value.length > PROCESS_QUERY_MAX) throw new CommandError(`${command} ${field} is ${value.length} characters long; at most ${PROCESS_QUERY_MAX}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new CommandError(`${command} ${field} may not hold control characters`);
  return value;
}

/** {text: 1 to PROCESS_QUERY_MAX characters, not blank; pids: up to MATCH_MAX_PIDS PIDs}. */
function matchQuestion(input: Record<string, unknown>): { text: string; pids: number[] } {
  onlyKeys(input, ['type', 'text', 'pids']);
  const text = processQuery(input.text, 'processes.match', 'text');
  if (text.trim() === '') throw new CommandError('processes.match needs a "text" that is not blank');
  const pids = input.pids;
  if (!Array.isArray(pids) || pids.length > MATCH_MAX_PIDS) throw new CommandError(`processes.match needs "pids": a list of at most ${MATCH_MAX_PIDS} PIDs`);
  for (const pid of pids as unknown[]) {
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid < 1 || pid > OBSERVE_PID_MAX) {
      throw new CommandError(`processes.match: ${JSON.stringify(pid)?.slice(0, 40) ?? 'undefined'} is not a PID (whole numbers 1 to ${OBSERVE_PID_MAX})`);
    }
  }
  return { text, pids: [...new Set(pids as number[])] };
}

/** Turns untrusted input into a Command, or throws a CommandError that says what is wrong. */
export function parseCommand(input: unknown): Command {
  if (!isRecord(input)) throw new CommandError('a command must be an object with a "type"');
  const type = input.type;
  if (typeof type !== 'string') throw new CommandError('a command needs a string "type"');
  if (NO_ARGS.has(type as CommandType)) {
    onlyKeys(input, ['type']);
    return { type } as Command;
  }
  switch (type) {
    case 'lesson.start': {
      onlyKeys(input, ['type', 'lesson', 'params']);
      if (typeof input.lesson !== 'string' || !/^[a-z0-9-]{1,64}$/.test(input.lesson)) {
        throw new CommandError('lesson.start needs a lesson id (lowercase letters, digits and dashes)');
      }
      if (input.params === undefined) return { type, lesson: input.lesson };
      return { type, lesson: input.lesson, params: lessonParams(input.params) };
    }
    case 'step.back':
      onlyKeys(input, ['type', 'step']);
      return { type, step: stepIndex(input.step) };
    case 'answer': {
      onlyKeys(input, ['type', 'step', 'choice']);
      if (typeof input.choice !== 'string' || !/^[a-z0-9-]{1,32}$/.test(input.choice)) {
        throw new CommandError('answer needs a choice id (lowercase letters, digits and dashes)');
      }
      return { type, step: stepIndex(input.step), choice: input.choice };
    }
    case 'questions':
      onlyKeys(input, ['type', 'on']);
      if (typeof input.on !== 'boolean') throw new CommandError('questions needs "on": true or false');
      return { type, on: input.on };
    case 'speed':
      onlyKeys(input, ['type', 'value']);
      return { type, value: boundedNumber(input.value, 'speed', SPEED_MIN, SPEED_MAX) };
    case 'observe':
      return { type, ...observeScope(input) };
    case 'processes.list':
      onlyKeys(input, ['type', 'query']);
      return input.query === undefined ? { type } : { type, query: processQuery(input.query) };
    case 'processes.match':
      return { type, ...matchQuestion(input) };
    case 'rate':
      onlyKeys(input, ['type', 'hz']);
      return { type, hz: boundedNumber(input.hz, 'sampling rate', RATE_MIN_HZ, RATE_MAX_HZ) };
    default:
      throw new CommandError(`unknown command "${type.slice(0, 40)}"`);
  }
}
