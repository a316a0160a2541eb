import { app, BrowserWindow, session, utilityProcess } from 'electron';
import type { WebContents } from 'electron';
import { join } from 'node:path';
import { CommandError, parseCommand } from '../native-bridge/model/commands';
import type { CommandResult, ObserveScope } from '../native-bridge/model/commands';
import { ActorSweep } from './engine/actor-sweep';
import { registerAppScheme, serveAppScheme } from './window/app-protocol';
import { EngineClient } from './engine/engine-client';
import { handleCall, sendEvent } from './window/ipc-main';
import { WindowFrames } from './window/window-frames';
import { isTrustedSender } from './window/trusted-sender';
import { APP_PAGE_URL, contentSecurityPolicy, guardNavigation, guardSession, mainWindowOptions } from './window/window-security';

export interface ShellOptions {
  /** Directory holding the built preload.js and engine-process.js (`.vite/build`). */
  buildDir: string;
  /** Directory of the built renderer (index.html), served on app://ipcscope/. */
  rendererDir: string;
  /** The Vite dev server in development; undefined in a packaged app. */
  devServerUrl: string | undefined;
  /** Observe these processes as soon as the engine is ready (`npm start -- --pid ...`). */
  observe?: ObserveScope;
  /** Where a refused observation is reported before the app exits 1 (default: stderr). */
  reportError?: (line: string) => void;
}

export interface Shell {
  window: BrowserWindow;
  engine: EngineClient;
  /** The only page the window may show and the only origin it may talk to. */
  appUrl: string;
  /** Disposes the engine session (its processes killed and reaped); idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Wires the engine utility process to one hardened window. Call once, at
 * start-up, before app 'ready'. Resolves when the window exists.
 */
export function startShell(options: ShellOptions): Promise<Shell> {
  registerAppScheme();
  app.enableSandbox();
  /* whatever webContents appears (devtools, a stray popup), it gets no <webview> and no new windows */
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  return app.whenReady().then(() => openShell(options));
}

function openShell(options: ShellOptions): Shell {
  const appUrl = options.devServerUrl ?? APP_PAGE_URL;
  const csp = contentSecurityPolicy(options.devServerUrl);
  guardSession(session.defaultSession, appUrl, csp);
  if (options.devServerUrl === undefined) serveAppScheme(options.rendererDir, csp);

  const engine = new EngineClient(
    utilityProcess.fork(join(options.buildDir, 'engine-process.js'), [], { serviceName: 'ipcscope engine', stdio: 'inherit' }),
  );
  const window = new BrowserWindow(mainWindowOptions(join(options.buildDir, 'preload.js')));
  const contents = window.webContents;
  guardNavigation(contents, appUrl);
  window.once('ready-to-show', () => window.show());

  const sweep = new ActorSweep();
  let lastStatus: string | null = null;
  /* the engine says 'open' once it is ready: the first frame the window gets already carries the scope */
  const observe = options.observe;
  if (observe) {
    const stop = engine.onStatus((status) => {
      if (status !== 'open') return;
      stop();
      void engine.send({ type: 'observe', ...observe }).then(async (result) => {
        if (result.ok) return;
        /* a PID that does not exist or cannot be read ends the app, as it ends `ipcscope web --pid` */
        (options.reportError ?? ((line: string) => console.error(line)))(`ipcscope: ${result.error}`);
        await shutdown();
        app.exit(1);
      });
    });
  }
  const windowFrames = new WindowFrames((update) => sendEvent(contents, 'frame', update));
  engine.onFrame((frame, update) => {
    sweep.note(frame);
    windowFrames.forward(frame, update);
  });
  /* a page (re)loading holds no frame: the next goes in full */
  contents.on('did-start-loading', () => windowFrames.sendFullNext());
  engine.onStatus((status) => {
    lastStatus = status;
    sendEvent(contents, 'status', status);
  });
  /* a status sent before the page listened is lost: repeat it on every load */
  contents.on('did-finish-load', () => {
    if (lastStatus !== null) sendEvent(contents, 'status', lastStatus);
  });

  const liveContents = (): WebContents | null => (window.isDestroyed() ? null : contents);
  const removeCommandHandler = handleCall(
    'command',
    (event) => isTrustedSender(event, liveContents(), appUrl),
    async (request): Promise<CommandResult> => {
      try {
        return await engine.send(parseCommand(request));
      } catch (error) {
        if (error instanceof CommandError) return { ok: false, error: error.message };
        throw error;
      }
    },
  );

  const removeFullFrameHandler = handleCall(
    'fullFrame',
    (event) => isTrustedSender(event, liveContents(), appUrl),
    async (): Promise<CommandResult> => {
      windowFrames.sendFullNext();
      return { ok: true };
    },
  );

  let shuttingDown: Promise<void> | null = null;
  let finished = false;
  const shutdown = (): Promise<void> => {
    shuttingDown ??= (async () => {
      removeCommandHandler();
      removeFullFrameHandler();
      await engine.dispose();
      sweep.sweep();
      finished = true;
    })();
    return shuttingDown;
  };

  /* the engine died on its own: its session never disposed, so its actors are orphans */
  engine.onExit(() => {
    if (shuttingDown === null) sweep.sweep();
  });
  window.on('closed', () => {
    void shutdown().then(() => app.quit());
  });
  app.on('before-quit', (event) => {
    if (finished) return;
    event.preventDefault();
    void shutdown().then(() => app.quit());
  });

  void window.loadURL(appUrl);
  return { window, engine, appUrl, shutdown };
}
