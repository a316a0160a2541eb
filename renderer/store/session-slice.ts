import type { StateCreator } from 'zustand';
import type { Command, CommandResult } from '../../native-bridge/model/commands';
import type { LessonSummary } from '../../native-bridge/model/frame-types';
import type { ViewApi } from '../../native-bridge/model/session-api';
import { STATUS_CLOSED, STATUS_CONNECTING, STATUS_OPEN } from '../transport/transport';
import type { AppStore } from './app-store';

/** "connecting" until the transport speaks; then "open", "closed" or an error text. */
export type ConnectionStatus = string;

export interface SessionSlice {
  api: ViewApi | null;
  status: ConnectionStatus;
  lessons: LessonSummary[];
  /** Last command that failed, as the engine explained it. */
  commandError: string | null;
  /** Wires a transport to the store; returns the unsubscribe. */
  connect(api: ViewApi): () => void;
  send(command: Command): Promise<CommandResult>;
  loadLessons(): Promise<void>;
}

export const sessionInitial = {
  api: null as ViewApi | null,
  status: STATUS_CONNECTING as ConnectionStatus,
  lessons: [] as LessonSummary[],
  commandError: null as string | null,
};

function isLessonSummary(value: unknown): value is LessonSummary {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.title === 'object' && v.title !== null;
}

export const createSessionSlice: StateCreator<AppStore, [], [], SessionSlice> = (set, get) => ({
  ...sessionInitial,
  connect: (api) => {
    set({ api, status: STATUS_CONNECTING });
    const offFrame = api.onFrame((frame) => get().ingestFrame(frame));
    const offStatus = api.onStatus((status) => {
      set({ status });
      if (status === STATUS_OPEN) void get().loadLessons();
    });
    return () => {
      offFrame();
      offStatus();
      if (get().api === api) set({ api: null, status: STATUS_CLOSED });
    };
  },
  send: async (command) => {
    const api = get().api;
    if (!api) {
      const result: CommandResult = { ok: false, error: 'not connected' };
      set({ commandError: result.error });
      return result;
    }
    // A fresh lesson run forks new processes: yesterday's syscalls would mislead.
    if (command.type === 'lesson.start' || command.type === 'lesson.restart') get().clearTimeline();
    let result: CommandResult;
    try {
      result = await api.send(command);
    } catch (error) {
      result = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    set({ commandError: result.ok ? null : result.error });
    return result;
  },
  loadLessons: async () => {
    const result = await get().send({ type: 'lessons.list' });
    if (result.ok && Array.isArray(result.data)) set({ lessons: result.data.filter(isLessonSummary) });
  },
});
