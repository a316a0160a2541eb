/**
 * The only things a view may ask of the engine. Each command is data, validated
 * here before anything runs: the view names a lesson and bounded parameters,
 * the engine decides which syscalls happen.
 */

export const SPEED_MIN = 0.1;
export const SPEED_MAX = 4;
export const RATE_MIN_HZ = 1;
export const RATE_MAX_HZ = 60;
export const RATE_DEFAULT_HZ = 30;

export type Command =
  | { type: 'lesson.start'; lesson: string }
  | { type: 'lesson.stop' }
  | { type: 'lesson.restart' }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'speed'; value: number }
  | { type: 'rate'; hz: number }
  | { type: 'lessons.list' };

export type CommandType = Command['type'];

export type CommandResult = { ok: true; data?: unknown } | { ok: false; error: string };

export class CommandError extends Error {
  override name = 'CommandError';
}

const NO_ARGS = new Set<CommandType>(['lesson.stop', 'lesson.restart', 'play', 'pause', 'step', 'lessons.list']);

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
      onlyKeys(input, ['type', 'lesson']);
      if (typeof input.lesson !== 'string' || !/^[a-z0-9-]{1,64}$/.test(input.lesson)) {
        throw new CommandError('lesson.start needs a lesson id (lowercase letters, digits and dashes)');
      }
      return { type, lesson: input.lesson };
    }
    case 'speed':
      onlyKeys(input, ['type', 'value']);
      return { type, value: boundedNumber(input.value, 'speed', SPEED_MIN, SPEED_MAX) };
    case 'rate':
      onlyKeys(input, ['type', 'hz']);
      return { type, hz: boundedNumber(input.hz, 'sampling rate', RATE_MIN_HZ, RATE_MAX_HZ) };
    default:
      throw new CommandError(`unknown command "${type.slice(0, 40)}"`);
  }
}
