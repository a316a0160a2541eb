import type { Command, CommandResult } from '../../native-bridge/model/commands';
import { FrameDeltaReceiver } from '../../native-bridge/model/frame-delta-receiver';
import type { FrameUpdate } from '../../native-bridge/model/frame-delta-receiver';
import type { Frame } from '../../native-bridge/model/frame-types';
import { parseFromEngine } from './engine-protocol';
import type { ToEngine } from './engine-protocol';

/** The parts of Electron's UtilityProcess that main uses. */
export interface EngineChild {
  readonly pid: number | undefined;
  postMessage(message: ToEngine): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
}

const COMMAND_TIMEOUT_MS = 30_000;
const DISPOSE_TIMEOUT_MS = 5_000;
const KILL_TIMEOUT_MS = 2_000;

interface Pending {
  resolve(result: CommandResult): void;
  timer: NodeJS.Timeout;
}

/**
 * Main's handle on the engine utility process: commands go out with an id and
 * come back as Promises; frames and the process's exit are events. Frames
 * arrive in full or as deltas: listeners get the full frame, and the update
 * it came as (to pass on to the window as it is).
 */
export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly frameListeners = new Set<(frame: Frame, update: FrameUpdate) => void>();
  private readonly frames = new FrameDeltaReceiver();
  /** A full frame was asked for and has not come yet: deltas meanwhile are dropped. */
  private awaitingFull = false;
  private readonly statusListeners = new Set<(status: string) => void>();
  private readonly exitListeners = new Set<(code: number) => void>();
  private exitCode: number | null = null;
  private disposing: Promise<void> | null = null;
  private markDisposed: () => void = () => undefined;
  /** Settles when the engine says its session is disposed. */
  private readonly disposed = new Promise<void>((resolve) => (this.markDisposed = resolve));
  private readonly exited: Promise<number>;

  constructor(
    private readonly child: EngineChild,
    private readonly timeouts = { command: COMMAND_TIMEOUT_MS, dispose: DISPOSE_TIMEOUT_MS, kill: KILL_TIMEOUT_MS },
  ) {
    child.on('message', (data) => this.receive(data));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code) => {
        this.exitCode = code;
        this.failPending(`the engine process exited (code ${code})`);
        for (const listener of this.exitListeners) listener(code);
        this.emitStatus(this.disposing === null ? `engine exited unexpectedly (code ${code})` : 'closed');
        resolve(code);
      });
    });
  }

  get running(): boolean {
    return this.exitCode === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(command: Command): Promise<CommandResult> {
    if (!this.running || this.disposing !== null) return Promise.resolve({ ok: false, error: 'the engine is not running' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: `the engine did not answer "${command.type}" within ${this.timeouts.command} ms` });
      }, this.timeouts.command);
      this.pending.set(id, { resolve, timer });
      this.child.postMessage({ kind: 'command', id, command });
    });
  }

  onFrame(listener: (frame: Frame, update: FrameUpdate) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onStatus(listener: (status: string) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onExit(listener: (code: number) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /**
   * Asks the engine to dispose its session (kill and reap its processes,
   * remove its objects), waits for it to say so, then ends the utility
   * process. Kills it when it does not answer in time. Safe to call twice.
   */
  dispose(): Promise<void> {
    this.disposing ??= this.runDispose();
    return this.disposing;
  }

  private async runDispose(): Promise<void> {
    if (!this.running) return;
    this.child.postMessage({ kind: 'dispose' });
    await Promise.race([this.disposed, this.exited, delay(this.timeouts.dispose)]);
    if (!this.running) return;
    /* the engine exits by itself after 'disposed'; kill() sends SIGTERM, which the engine also turns into a dispose */
    const ended = await Promise.race([this.exited.then(() => true), delay(this.timeouts.kill).then(() => false)]);
    if (!ended) {
      this.child.kill();
      await Promise.race([this.exited, delay(this.timeouts.kill)]);
    }
  }

  private receive(data: unknown): void {
    const message = parseFromEngine(data);
    if (message === null) return;
    switch (message.kind) {
      case 'frame':
      case 'delta':
        this.receiveFrame(message.kind === 'frame' ? { type: 'frame', frame: message.frame } : { type: 'delta', delta: message.delta });
        break;
      case 'result': {
        const pending = this.pending.get(message.id);
        if (pending === undefined) break;
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        pending.resolve(message.result);
        break;
      }
      case 'ready':
        this.emitStatus('open');
        break;
      case 'disposed':
        this.markDisposed();
        break;
      case 'fatal':
        this.emitStatus(`engine error: ${message.error}`);
        break;
    }
  }

  private receiveFrame(update: FrameUpdate): void {
    if (update.type === 'frame') this.awaitingFull = false;
    else if (this.awaitingFull) return;
    let frame: Frame;
    try {
      frame = this.frames.receive(update);
    } catch (error) {
      /* never passed on drawn wrong: said aloud, and a full frame asked for */
      console.error(`ipcscope: ${error instanceof Error ? error.message : String(error)}; asking the engine for a full frame`);
      this.awaitingFull = true;
      if (this.running) this.child.postMessage({ kind: 'full-frame' });
      return;
    }
    for (const listener of this.frameListeners) listener(frame, update);
  }

  private failPending(error: string): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.resolve({ ok: false, error });
    }
    this.pending.clear();
  }

  private emitStatus(status: string): void {
    for (const listener of this.statusListeners) listener(status);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
