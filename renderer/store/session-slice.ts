import type { StateCreator } from 'zustand';
import type { Command, CommandResult } from '../../native-bridge/model/commands';
import type { LessonSummary } from '../../native-bridge/model/frame-types';
import type { ViewApi } from '../../native-bridge/model/session-api';
import { sharesEngine, STATUS_CLOSED, STATUS_CONNECTING, STATUS_OPEN, type PeerAction } from '../transport/transport';
import type { AppStore } from './app-store';

/** "connecting" until the transport speaks; then "open", "closed" or an error text. */
export type ConnectionStatus = string;

export interface SessionSlice {
  api: ViewApi | null;
  status: ConnectionStatus;
  lessons: LessonSummary[];
  /** Last command that failed, as the engine explained it. */
  commandError: string | null;
  /** Browser mode: windows sharing this engine's one session, and this one's number (null: not told, e.g. Electron). */
  sharedEngine: { count: number; you: number } | null;
  /** The last thing another window did to the shared session. */
  peerAction: { client: number; action: PeerAction; seq: number } | null;
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
  sharedEngine: null as { count: number; you: number } | null,
  peerAction: null as { client: number; action: PeerAction; seq: number } | null,
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
    const offShared = sharesEngine(api)
      ? api.onSharedEngine((message) => {
          if (message.type === 'clients') set({ sharedEngine: { count: message.count, you: message.you } });
          else set({ peerAction: { client: message.client, action: message.action, seq: (get().peerAction?.seq ?? 0) + 1 } });
        })
      : () => undefined;
    return () => {
      offFrame();
      offStatus();
      offShared();
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
