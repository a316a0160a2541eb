import type { EngineSession } from '../../native-bridge/model/session-api';
import { FrameDeltaStream } from '../../native-bridge/model/frame-delta-stream';
import { wireFrame } from '../../native-bridge/model/wire-frame';
import { parseToEngine } from './engine-protocol';
import type { FromEngine } from './engine-protocol';

/** The parts of Electron's `process.parentPort` the engine uses. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: FromEngine): void;
}

/**
 * Inside the utility process: relays commands from main to the session and
 * the session's frames back to main. `exit` ends the process once the session
 * is disposed (its processes killed and reaped, its objects removed).
 * Frames are posted in full first, then as what changed (a structured clone
 * of a whole-machine frame costs as much as its JSON).
 */
export function runEngineHost(port: ParentPortLike, session: EngineSession, exit: (code: number) => void): { shutdown(code: number): Promise<void> } {
  let disposing: Promise<void> | null = null;
  const stream = new FrameDeltaStream();
  const stopFrames = session.onFrame((frame) => {
    const update = stream.next(wireFrame(frame));
    port.postMessage(update.type === 'frame' ? { kind: 'frame', frame: update.frame } : { kind: 'delta', delta: update.delta });
  });

  const shutdown = (code: number): Promise<void> => {
    disposing ??= (async () => {
      stopFrames();
      try {
        await session.dispose();
      } catch (error) {
        port.postMessage({ kind: 'fatal', error: `dispose failed: ${errorText(error)}` });
        code = code === 0 ? 1 : code;
      }
      port.postMessage({ kind: 'disposed' });
      exit(code);
    })();
    return disposing;
  };

  port.on('message', (event) => {
    const message = parseToEngine(event.data);
    if (message === null) return;
    if (message.kind === 'dispose') {
      void shutdown(0);
      return;
    }
    if (message.kind === 'full-frame') {
      stream.sendFullNext();
      return;
    }
    if (disposing !== null) {
      port.postMessage({ kind: 'result', id: message.id, result: { ok: false, error: 'the engine is shutting down' } });
      return;
    }
    session.handle(message.command).then(
      (result) => port.postMessage({ kind: 'result', id: message.id, result }),
      /* handle() promises never to throw; if it does anyway, the caller still gets an answer */
      (error: unknown) => port.postMessage({ kind: 'result', id: message.id, result: { ok: false, error: errorText(error) } }),
    );
  });

  port.postMessage({ kind: 'ready', pid: process.pid });
  return { shutdown };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
