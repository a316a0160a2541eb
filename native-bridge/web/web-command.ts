import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { markInheritedCloexec } from '../libc/fd-hygiene';
import { PROJECT_ROOT } from '../paths';
import type { EngineSession } from '../model/session-api';
import { createSession, type Session } from '../session/session';
import { ensureRendererBuilt } from './renderer-build';
import { defaultStaticRoot } from './static-files';
import { parseWebOptions, WEB_USAGE } from './web-options';
import type { WebOptions } from './web-options';
import { startWebServer } from './web-server';
import type { WebServer } from './web-server';

/**
 * `ipcscope web` (`npm run web`): builds the renderer when needed, starts an
 * engine session and serves it to a browser until SIGINT/SIGTERM. Resolves
 * with the process exit code once everything it started is gone. With --pid
 * or --all the session observes those processes before the server listens.
 * `ipcscope run --web` serves the same way (serveWeb) around its command.
 */

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
  const scope = options.observe;
  /* observing before the server listens: the first client's first frame already shows them */
  const prepare = scope ? async (session: Session): Promise<string | null> => {
    const result = await session.handle({ type: 'observe', ...scope });
    return result.ok ? null : result.error;
  } : undefined;
  return serveWeb(options, { prepare });
}

export interface ServeHooks {
  /** Runs once the session exists, before the server listens; an error text ends the command with status 1. */
  prepare?: (session: Session) => Promise<string | null>;
  /**
   * Runs once the server listens and its URL is out (ipcscope run: start the
   * command, so a build or a busy port never delays its first instant's
   * frames); an error text stops the server, with status 1.
   */
  serving?: (session: Session) => Promise<string | null>;
  /** Runs on SIGINT/SIGTERM before the session is disposed (ipcscope run: end its command). */
  onStop?: () => Promise<void>;
  /** The exit status once stopped (default 0). */
  exitCode?: () => number;
}

/**
 * Builds the renderer when needed, starts a session, lets `hooks.prepare`
 * set it up, serves it until SIGINT/SIGTERM. Resolves with the exit status
 * once everything it started is gone.
 */
export async function serveWeb(options: WebOptions, hooks: ServeHooks = {}): Promise<number> {
  markInheritedCloexec();
  const staticRoot = defaultStaticRoot(PROJECT_ROOT);
  // No 'exit' hook here: on an uncaught error or a stray process.exit the actor
  // team's own 'exit' hook (native-bridge/actor/actor-host.ts) kills and reaps.
  const session = await createSession();
  /* set up before the (slow) build: a PID that cannot be observed fails at once */
  const refused = hooks.prepare ? await hooks.prepare(session) : null;
  const failed = async (line: string): Promise<number> => {
    await Promise.allSettled([hooks.onStop?.(), session.dispose()]);
    process.stderr.write(`ipcscope web: ${line}\n`);
    return 1;
  };
  if (refused !== null) return failed(refused);
  try {
    if (options.build) await ensureRendererBuilt(PROJECT_ROOT, (line) => process.stderr.write(line + '\n'));
  } catch (err) {
    return failed(`renderer build failed: ${(err as Error).message}`);
  }
  if (!existsSync(join(staticRoot, 'index.html'))) return failed('renderer/dist/index.html is missing; run without --no-build');

  let server: WebServer;
  try {
    server = await listenWithFallback(session, staticRoot, options);
  } catch (err) {
    return failed(`cannot listen on 127.0.0.1:${options.port}: ${(err as Error).message}`);
  }
  /* set when `serving` refused: the status to end with */
  let refusedServing: number | null = null;
  const exitCode = (): number => refusedServing ?? hooks.exitCode?.() ?? 0;
  const exitNow = (): void => process.exit(exitCode());
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (why: string): void => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`ipcscope web: ${why}, stopping lesson processes and the server\n`);
      const stopped = hooks.onStop ? hooks.onStop().catch(() => undefined) : Promise.resolve();
      void Promise.allSettled([stopped.then(() => session.dispose()), server.close()]).then(() => {
        // Everything is cleaned up: a signal that arrives while Node drains
        // ends the process with success instead of killing it. Added before
        // `stop` goes and kept (not once): a process with no listener left is
        // back to the default action, and a repeated Ctrl+C (a terminal's and
        // `npm start`'s forwarded copy) arriving then killed it with SIGINT.
        process.on('SIGINT', exitNow);
        process.on('SIGTERM', exitNow);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        // Then end here rather than let Node drain: its teardown closes the
        // signal handles first (back to SIG_DFL, node::Environment::CleanupHandles)
        // and then spends up to a few hundred ms freeing the environment, and
        // `npm start`'s forwarded Ctrl+C landing in that window killed the server
        // with SIGINT (exit 130, one run in two here). process.exit() keeps the
        // handlers installed until the process is gone. The caller's code runs
        // first (its exitCode is set in a microtask; stdout and stderr are
        // synchronous for files, pipes and terminals on Linux).
        const code = exitCode();
        resolveExit(code);
        setImmediate(() => process.exit(code));
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // Only now: whoever reads the URL may send Ctrl+C at once, and until a
    // listener is in place Node's default action kills without cleaning up.
    process.stdout.write(`ipcscope web: open ${server.url}\n`);
    void (hooks.serving?.(session) ?? Promise.resolve(null)).then((error) => {
      if (error === null) return;
      refusedServing = 1;
      process.stderr.write(`ipcscope web: ${error}\n`);
      stop('failed');
    });
  });
}
