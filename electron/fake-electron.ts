/**
 * Stand-in for the `electron` module in tests (`vi.mock('electron', ...)`):
 * the Electron binary cannot be downloaded here, and this is the ONE mock the
 * project allows. It records what the shell asks of Electron and lets a test
 * play the parts Electron would (frames sending IPC, the utility process
 * answering or dying, the app quitting). It fakes no kernel object.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export class FakeFrame {
  constructor(
    public url: string,
    public readonly parent: FakeFrame | null,
    public readonly processId: number,
    public readonly routingId: number,
  ) {}
}

let nextContentsId = 1;
let nextRoutingId = 100;

/** An event as Electron passes it to navigation and before-quit listeners. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(public readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = new FakeFrame('about:blank', null, 1, nextRoutingId++);
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  /** A frame inside the page, e.g. an iframe the page (or an attacker) added. */
  subframe(url: string): FakeFrame {
    return new FakeFrame(url, this.mainFrame, this.mainFrame.processId, nextRoutingId++);
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly all: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  shown = false;
  private destroyed = false;
  constructor(public readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.all.push(this);
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export class FakeUtilityProcess extends EventEmitter {
  static readonly all: FakeUtilityProcess[] = [];
  readonly posted: unknown[] = [];
  killed = false;
  constructor(
    public readonly modulePath: string,
    public readonly options: Record<string, unknown>,
    public pid: number | undefined = 4_000_000 + FakeUtilityProcess.all.length,
  ) {
    super();
    FakeUtilityProcess.all.push(this);
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
    this.emit('posted', message);
  }
  /** Plays the engine: a message as it would arrive from process.parentPort. */
  reply(message: unknown): void {
    this.emit('message', message);
  }
  exit(code: number): void {
    this.pid = undefined;
    this.emit('exit', code);
  }
  kill(): boolean {
    this.killed = true;
    setImmediate(() => this.exit(15));
    return true;
  }
}

/**
 * A utility process that really runs: `modulePath` (a .ts source) forked under
 * Node with tsx, `process.parentPort` played over the fork IPC channel
 * (parent-port-shim.ts). Exit codes follow Electron: a signal death reports 128+signo.
 */
export class NodeUtilityProcess extends EventEmitter {
  readonly child: ChildProcess;
  constructor(public readonly modulePath: string) {
    super();
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
    this.child = fork(modulePath, [], {
      cwd: root,
      execArgv: ['--import', 'tsx', '--import', resolve(root, 'electron', 'engine', 'parent-port-shim.ts')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message) => this.emit('message', message));
    this.child.once('exit', (code, signal) => this.emit('exit', code ?? 128 + (signal ? constants.signals[signal] : 0)));
  }
  get pid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }
  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send(message as object);
  }
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}

/** Where utilityProcess.fork sends its module: a recording fake, or a real Node process running it. */
export const utilityMode: { real: null | ((modulePath: string) => string) } = { real: null };

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What Electron does when a page calls ipcRenderer.invoke(channel, ...args). */
  async invoke(channel: string, event: { sender: FakeWebContents; senderFrame: FakeFrame | null }, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

class FakeIpcRenderer extends EventEmitter {
  readonly invoked: Array<{ channel: string; args: unknown[] }> = [];
  answer: unknown = { ok: true };
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve(this.answer);
  }
}

class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  }
}

type Listener = (...args: never[]) => unknown;

class FakeSession {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  beforeRequest: Listener | null = null;
  headersReceived: Listener | null = null;
  readonly webRequest = {
    onBeforeRequest: (listener: Listener) => {
      this.beforeRequest = listener;
    },
    onHeadersReceived: (listener: Listener) => {
      this.headersReceived = listener;
    },
  };
  setPermissionRequestHandler(handler: Listener): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener): void {
    this.permissionCheckHandler = handler;
  }
}

class FakeApp extends EventEmitter {
  quitCalls = 0;
  sandboxEnabled = false;
  exitCode: number | null = null;
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  quit(): void {
    this.quitCalls += 1;
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.emit('will-quit');
  }
  exit(code: number): void {
    this.exitCode = code;
  }
}

class FakeProtocol {
  readonly privileged: unknown[] = [];
  readonly handlers = new Map<string, (request: Request) => Promise<Response>>();
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    this.handlers.set(scheme, handler);
  }
}

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();
export const contextBridge = new FakeContextBridge();
export const session = { defaultSession: new FakeSession() };
export const protocol = new FakeProtocol();
export const BrowserWindow = FakeBrowserWindow;
export const utilityProcess = {
  fork(modulePath: string, _args: string[], options: Record<string, unknown>): FakeUtilityProcess | NodeUtilityProcess {
    if (utilityMode.real !== null) return new NodeUtilityProcess(utilityMode.real(modulePath));
    return new FakeUtilityProcess(modulePath, options);
  },
};
/** net.fetch as the app:// handler uses it: file: URLs only. */
export const net = {
  async fetch(url: string): Promise<Response> {
    try {
      return new Response(await readFile(fileURLToPath(url)), { status: 200, headers: { 'Content-Type': 'text/html' } });
    } catch {
      return new Response('missing', { status: 404 });
    }
  },
};

/** Forgets every window, handler and listener, between tests. */
export function resetFakeElectron(): void {
  app.removeAllListeners();
  app.quitCalls = 0;
  app.sandboxEnabled = false;
  app.exitCode = null;
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoked.length = 0;
  contextBridge.exposed.clear();
  session.defaultSession = new FakeSession();
  protocol.handlers.clear();
  protocol.privileged.length = 0;
  FakeBrowserWindow.all.length = 0;
  FakeUtilityProcess.all.length = 0;
  utilityMode.real = null;
}
