import type { Command, CommandResult } from '../../native-bridge/model/commands';
import type { FrameDelta } from '../../native-bridge/model/frame-delta';
import type { Frame } from '../../native-bridge/model/frame-types';

/**
 * Messages between main and the engine's utility process (structured clone
 * over Electron's parentPort). Each side checks the shape of what it
 * receives; the engine's session validates commands once more. Frames go
 * as on the browser mode's WebSocket: the first in full, then deltas against
 * the frame posted before (model/frame-delta.ts); main asks for a full one
 * (`full-frame`) when a delta does not fit the frame it holds.
 */
export type ToEngine = { kind: 'command'; id: number; command: Command } | { kind: 'dispose' } | { kind: 'full-frame' };

export type FromEngine =
  | { kind: 'ready'; pid: number }
  | { kind: 'frame'; frame: Frame }
  /** What changed since the frame posted before this one; `delta.base` is that frame's seq. */
  | { kind: 'delta'; delta: FrameDelta }
  | { kind: 'result'; id: number; result: CommandResult }
  | { kind: 'disposed' }
  | { kind: 'fatal'; error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCommandResult(value: unknown): value is CommandResult {
  if (!isRecord(value)) return false;
  if (value.ok === true) return true;
  return value.ok === false && typeof value.error === 'string';
}

/** Checks a message from the utility process; null when it is not one of ours. */
export function parseFromEngine(data: unknown): FromEngine | null {
  if (!isRecord(data)) return null;
  switch (data.kind) {
    case 'ready':
      return typeof data.pid === 'number' ? { kind: 'ready', pid: data.pid } : null;
    case 'frame':
      /* a frame is a large object built by our own engine; its shape is the snapshot contract */
      return isRecord(data.frame) && typeof data.frame.seq === 'number' ? { kind: 'frame', frame: data.frame as unknown as Frame } : null;
    case 'delta':
      return isRecord(data.delta) && typeof data.delta.base === 'number' ? { kind: 'delta', delta: data.delta as unknown as FrameDelta } : null;
    case 'result':
      return Number.isSafeInteger(data.id) && isCommandResult(data.result)
        ? { kind: 'result', id: data.id as number, result: data.result }
        : null;
    case 'disposed':
      return { kind: 'disposed' };
    case 'fatal':
      return typeof data.error === 'string' ? { kind: 'fatal', error: data.error } : null;
    default:
      return null;
  }
}

/**
 * Checks a message from main. The command stays `unknown`: the session's
 * handle() parses it again, so a bad one gives { ok: false } rather than a crash.
 */
export function parseToEngine(data: unknown): { kind: 'command'; id: number; command: unknown } | { kind: 'dispose' } | { kind: 'full-frame' } | null {
  if (!isRecord(data)) return null;
  if (data.kind === 'dispose') return { kind: 'dispose' };
  if (data.kind === 'full-frame') return { kind: 'full-frame' };
  if (data.kind === 'command' && Number.isSafeInteger(data.id)) return { kind: 'command', id: data.id as number, command: data.command };
  return null;
}
