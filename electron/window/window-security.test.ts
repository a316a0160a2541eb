import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from '../fake-electron';
import { resolveAppFile, serveAppScheme } from './app-protocol';
import {
  APP_PAGE_URL,
  contentSecurityPolicy,
  guardNavigation,
  guardSession,
  hardenedWebPreferences,
  isAllowedRequest,
} from './window-security';

vi.mock('electron', async () => await import('../fake-electron'));

describe('window hardening', () => {
  beforeEach(() => electron.resetFakeElectron());

  it('web preferences isolate the page: sandbox, context isolation, no Node, web security, no webview', () => {
    const prefs = hardenedWebPreferences('/app/preload.js');
    expect(prefs).toMatchObject({
      preload: '/app/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('the production CSP allows only our own origin and no inline or eval script', () => {
    const csp = contentSecurityPolicy(undefined);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:/);
    const dev = contentSecurityPolicy('http://localhost:5173');
    expect(dev).toContain('ws://localhost:5173');
    expect(dev).not.toContain('unsafe-eval');
  });

  it('denies navigation away from the app page, new windows and <webview>', () => {
    const contents = new electron.FakeWebContents();
    guardNavigation(contents as never, APP_PAGE_URL);
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = new electron.FakeEvent('https://evil.example/');
      contents.emit(name, away);
      expect(away.defaultPrevented, name).toBe(true);
      const home = new electron.FakeEvent('app://ipcscope/index.html');
      contents.emit(name, home);
      expect(home.defaultPrevented, name).toBe(false);
    }
    const webview = new electron.FakeEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: APP_PAGE_URL })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('refuses every permission, blocks remote requests, and stamps the CSP on responses', () => {
    const ses = electron.session.defaultSession;
    guardSession(ses as never, APP_PAGE_URL, 'default-src x');
    const granted: boolean[] = [];
    (ses.permissionRequestHandler as unknown as (c: unknown, p: string, cb: (ok: boolean) => void) => void)(null, 'media', (ok) => granted.push(ok));
    expect(granted).toEqual([false]);
    expect((ses.permissionCheckHandler as unknown as () => boolean)()).toBe(false);

    const verdicts: Array<{ cancel: boolean }> = [];
    const before = ses.beforeRequest as unknown as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void;
    before({ url: 'https://cdn.example/lib.js' }, (r) => verdicts.push(r));
    before({ url: 'app://ipcscope/assets/index.js' }, (r) => verdicts.push(r));
    expect(verdicts).toEqual([{ cancel: true }, { cancel: false }]);

    const headers: unknown[] = [];
    const received = ses.headersReceived as unknown as (d: unknown, cb: (r: unknown) => void) => void;
    received({ responseHeaders: { 'content-security-policy': ['*'], 'Content-Type': ['text/html'] } }, (r) => headers.push(r));
    expect(headers).toEqual([{ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': ['default-src x'] } }]);
  });

  it('in development lets through only the dev server and its HMR socket', () => {
    const dev = 'http://localhost:5173/';
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/', dev)).toBe(true);
    expect(isAllowedRequest('ws://localhost:9999/', dev)).toBe(false);
    expect(isAllowedRequest('http://example.com/', dev)).toBe(false);
  });

  it('lets the page use its own blobs and data: URLs, not another origin\'s blobs', () => {
    expect(isAllowedRequest('blob:app://ipcscope/5f0c1f7e-2d1b-4c1e-9a43-0d3c2b1a0f00', APP_PAGE_URL)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,iVBORw0KGgo=', APP_PAGE_URL)).toBe(true);
    expect(isAllowedRequest('blob:https://evil.example/5f0c1f7e', APP_PAGE_URL)).toBe(false);
    expect(isAllowedRequest('https://ipcscope/index.html', APP_PAGE_URL)).toBe(false);
  });
});

describe('app:// scheme', () => {
  let root: string;
  beforeEach(() => {
    electron.resetFakeElectron();
    root = mkdtempSync(join(tmpdir(), 'ipcscope-renderer-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>ipcscope</title>');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('maps only files inside the renderer directory', () => {
    expect(resolveAppFile('app://ipcscope/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('app://ipcscope/assets/a.js', root)).toBe(join(root, 'assets', 'a.js'));
    /* the URL parser folds %2e%2e segments away: the request stays inside the root */
    expect(resolveAppFile('app://ipcscope/%2e%2e/%2e%2e/etc/passwd', root)).toBe(join(root, 'etc', 'passwd'));
    expect(resolveAppFile('app://ipcscope/..%2f..%2fetc%2fpasswd', root)).toBeNull();
    expect(resolveAppFile('app://other/index.html', root)).toBeNull();
    expect(resolveAppFile('app://ipcscope/a%00b', root)).toBeNull();
  });

  it('serves the page with the CSP header and 404s anything outside', async () => {
    serveAppScheme(root, "default-src 'self'");
    const handler = electron.protocol.handlers.get('app');
    expect(handler).toBeDefined();
    const page = await handler!(new Request('app://ipcscope/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(await page.text()).toContain('<title>ipcscope</title>');
    const outside = await handler!(new Request('app://ipcscope/..%2f..%2fetc%2fpasswd'));
    expect(outside.status).toBe(404);
  });
});
