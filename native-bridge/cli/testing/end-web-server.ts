/**
 * Test support: ends an `ipcscope web`/`run --web` child a test started and
 * the WebSocket it opened to it; the socket is dropped, the server SIGKILLed
 * (a test that failed half way may have left it serving) and waited for, so
 * no server outlives its test. Used by tests only.
 */
import type { ChildProcess } from 'node:child_process';
import type { WebSocket } from 'ws';

export async function endWebServer(server: ChildProcess | null, socket: WebSocket | null): Promise<void> {
  socket?.terminate();
  if (server && server.exitCode === null && server.signalCode === null) {
    const gone = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await gone;
  }
}
