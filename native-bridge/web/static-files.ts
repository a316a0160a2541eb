import { createReadStream, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Serves the built renderer (renderer/dist) and nothing else: every path is
 * resolved, symlinks included, and must stay inside the root.
 */

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Headers on every response, static or error. */
function securityHeaders(port: number): Record<string, string> {
  const ws = `ws://127.0.0.1:${port} ws://localhost:${port}`;
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${ws}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    // The page URL carries the token: never hand it to anyone in a Referer.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/**
 * Maps a request path to a file under root, or null when the path is malformed
 * or leaves the root (`..`, encoded slashes, NUL, symlinks pointing outside).
 */
function resolveStaticPath(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  const rootReal = realRoot(root);
  if (rootReal === null) return null;
  const wanted = resolve(rootReal, '.' + (decoded.endsWith('/') ? decoded + 'index.html' : decoded));
  if (!isInside(rootReal, wanted)) return null;
  let real: string;
  try {
    real = realpathSync(wanted);
  } catch {
    return null;
  }
  if (!isInside(rootReal, real)) return null;
  try {
    if (!statSync(real).isFile()) return null;
  } catch {
    return null;
  }
  return real;
}

/** The root with symlinks resolved, or null while it does not exist (renderer/dist not built yet). */
function realRoot(root: string): string | null {
  try {
    return realpathSync(root);
  } catch {
    return null;
  }
}

/** True when `path` lies strictly below `root` (not the root itself); the Electron app:// scheme uses it too. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel);
}

export function sendPlain(res: ServerResponse, status: number, text: string, port: number): void {
  res.writeHead(status, { ...securityHeaders(port), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text + '\n');
}

/** Answers one HTTP request from the static root. */
export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, port: number): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendPlain(res, 405, 'method not allowed', port);
    return;
  }
  if (realRoot(root) === null) {
    sendPlain(res, 503, 'the renderer is not built (renderer/dist is missing); run `npm run web` without --no-build', port);
    return;
  }
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  const file = resolveStaticPath(root, rawPath);
  if (file === null && rawPath === '/favicon.ico') {
    // Browsers ask for it unprompted; an empty answer keeps the console clean.
    res.writeHead(204, { ...securityHeaders(port), 'Cache-Control': 'public, max-age=3600' });
    res.end();
    return;
  }
  if (file === null) {
    sendPlain(res, 404, 'not found', port);
    return;
  }
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    /* removed between resolving and answering (a rebuild of renderer/dist) */
    sendPlain(res, 404, 'not found', port);
    return;
  }
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const isPage = type.startsWith('text/html');
  res.writeHead(200, {
    ...securityHeaders(port),
    'Content-Type': type,
    'Content-Length': String(size),
    // Vite names assets by content hash; the page itself must always be fresh.
    'Cache-Control': isPage ? 'no-store' : 'public, max-age=3600',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

export function defaultStaticRoot(projectRoot: string): string {
  return join(projectRoot, 'renderer', 'dist');
}
