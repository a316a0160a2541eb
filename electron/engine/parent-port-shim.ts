/**
 * Test stand-in for Electron's `process.parentPort` (part of the mocked
 * electron module): lets engine-process.ts run under plain Node, forked with
 * an IPC channel, so tests drive the real engine, real actors, real kernel.
 * Loaded with `node --import tsx --import ./electron/engine/parent-port-shim.ts`.
 */
interface ShimPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const port: ShimPort = {
  on: (_event, listener) => {
    process.on('message', (data) => listener({ data }));
  },
  postMessage: (message) => {
    process.send?.(message);
  },
};

Object.assign(process, { parentPort: port });
