import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import type { EngineSession } from '../model/session-api';
import { createSession } from '../session/session';
import { ensureRendererBuilt } from './renderer-build';
import { defaultStaticRoot } from './static-files';
import { parseWebOptions, WEB_USAGE } from './web-options';
import type { WebOptions } from './web-options';
import { startWebServer } from './web-server';
import type { WebServer } from './web-server';

/**
 * `ipcscope web` (`npm run web`): builds the renderer when needed, starts an
 * engine session and serves it to a browser until SIGINT/SIGTERM. Resolves
 * with the process exit code once everything it started is gone.
 */

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const onRefused = (line: string): void => void process.stderr.write(`ipcscope web: ${line}\n`);

async function listenWithFallback(session: EngineSession, staticRoot: string, options: WebOptions): Promise<WebServer> {
  try {
    return await startWebServer({ session, staticRoot, port: options.port, onRefused });
  } catch (err) {
    const busy = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!busy || options.portExplicit) throw err;
    process.stderr.write(`ipcscope: port ${options.port} is taken, using a free port\n`);
    return startWebServer({ session, staticRoot, port: 0, onRefused });
  }
}

export async function runWeb(argv: string[]): Promise<number> {
  let options: WebOptions;
  try {
    options = parseWebOptions(argv);
  } catch (err) {
    process.stderr.write(`ipcscope web: ${(err as Error).message}\n${WEB_USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(WEB_USAGE + '\n');
    return 0;
  }
  markInheritedCloexec();
  const staticRoot = defaultStaticRoot(PROJECT_ROOT);
  try {
    if (options.build) await ensureRendererBuilt(PROJECT_ROOT, (line) => process.stderr.write(line + '\n'));
  } catch (err) {
    process.stderr.write(`ipcscope web: renderer build failed: ${(err as Error).message}\n`);
    return 1;
  }
  if (!existsSync(join(staticRoot, 'index.html'))) {
    process.stderr.write('ipcscope web: renderer/dist/index.html is missing; run without --no-build\n');
    return 1;
  }

  // No 'exit' hook here: on an uncaught error or a stray process.exit the actor
  // team's own 'exit' hook (native-bridge/actor/actor-host.ts) kills and reaps.
  const session: EngineSession = await createSession();

  let server: WebServer;
  try {
    server = await listenWithFallback(session, staticRoot, options);
  } catch (err) {
    await session.dispose();
    process.stderr.write(`ipcscope web: cannot listen on 127.0.0.1:${options.port}: ${(err as Error).message}\n`);
    return 1;
  }
  const exitNow = (): void => process.exit(0);
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`ipcscope web: ${signal}, stopping lesson processes and the server\n`);
      void Promise.allSettled([session.dispose(), server.close()]).then(() => {
        // Everything is cleaned up: a signal that arrives while Node drains
        // ends the process with success instead of killing it. Added before
        // `stop` goes and kept (not once): a process with no listener left is
        // back to the default action, and a repeated Ctrl+C (a terminal's and
        // `npm start`'s forwarded copy) arriving then killed it with SIGINT.
        process.on('SIGINT', exitNow);
        process.on('SIGTERM', exitNow);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        // The CLI sets exitCode and lets Node drain; should any handle linger,
        // this unref'd timer ends the process anyway (it never keeps it alive).
        setTimeout(() => process.exit(0), 3000).unref();
        resolveExit(0);
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // Only now: whoever reads the URL may send Ctrl+C at once, and until a
    // listener is in place Node's default action kills without cleaning up.
    process.stdout.write(`ipcscope web: open ${server.url}\n`);
  });
}
