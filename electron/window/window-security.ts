import type { BrowserWindowConstructorOptions, Session, WebContents, WebPreferences } from 'electron';
import { isAppUrl } from './trusted-sender';

/**
 * The window's locks: hardened webPreferences, a strict Content Security
 * Policy, navigation and new windows denied, every permission refused, and no
 * request leaving the app's own origin (no remote content).
 */

/** Served through our own privileged scheme, not file://, so the page has a real origin to check. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ipcscope';
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export function hardenedWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: true,
  };
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'ipcscope',
    /* shown on ready-to-show, so no white flash before the first frame */
    show: false,
    backgroundColor: '#101418',
    webPreferences: hardenedWebPreferences(preloadPath),
  };
}

/**
 * Production: nothing but our own origin. Development adds what the Vite dev
 * server needs (its inline React-refresh preamble and the HMR websocket on
 * the same host).
 */
export function contentSecurityPolicy(devServerUrl: string | undefined): string {
  const dev = devServerUrl === undefined ? null : new URL(devServerUrl);
  const script = dev === null ? "'self'" : "'self' 'unsafe-inline'";
  const connect = dev === null ? "'self'" : `'self' ws://${dev.host} ${dev.origin}`;
  return [
    "default-src 'none'",
    `script-src ${script}`,
    /* D3 and React write style attributes; no script comes from this */
    "style-src 'self' 'unsafe-inline'",
    /* blob: for pictures the page exports itself (renderer/export) */
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Denies every navigation away from the app page, every new window and every <webview>. */
export function guardNavigation(contents: WebContents, appUrl: string): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** True for requests the page may make: its own origin, its own blobs, data: URLs, DevTools' internal pages. */
export function isAllowedRequest(url: string, appUrl: string): boolean {
  if (url.startsWith('devtools://')) return true;
  /* inline data, and blobs the page made itself (exports): no network involved */
  if (url.startsWith('data:')) return true;
  if (url.startsWith('blob:')) return isAppUrl(url.slice('blob:'.length), appUrl);
  if (isAppUrl(url, appUrl)) return true;
  /* the dev server's HMR websocket lives on the page's host */
  const app = new URL(appUrl);
  if (app.protocol === 'http:') {
    try {
      const ws = new URL(url);
      return ws.protocol === 'ws:' && ws.host === app.host;
    } catch {
      return false;
    }
  }
  return false;
}

/** Refuses all permissions, blocks remote requests, stamps the CSP on every response. */
export function guardSession(session: Session, appUrl: string, csp: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, appUrl) });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value;
    }
    responseHeaders['Content-Security-Policy'] = [csp];
    callback({ responseHeaders });
  });
}
