import { net, protocol } from 'electron';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isInside } from '../../native-bridge/web/static-files';
import { APP_HOST, APP_SCHEME } from './window-security';

/**
 * The packaged renderer is served on app://ipcscope/ instead of file://: the
 * page gets a real origin (file: pages share the opaque origin "null"), and
 * only files inside the renderer build directory can be reached.
 */

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Maps app://ipcscope/<path> to a file inside `rootDir`, or null when it would leave it. */
export function resolveAppFile(requestUrl: string, rootDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const file = resolve(rootDir, `.${pathname === '/' ? '/index.html' : pathname}`);
  return isInside(rootDir, file) ? file : null;
}

/** Must run after app 'ready'. Every response carries the CSP header. */
export function serveAppScheme(rootDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rootDir);
    if (file === null) return new Response('not found', { status: 404 });
    const found = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(found.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(found.body, { status: found.status, statusText: found.statusText, headers });
  });
}
