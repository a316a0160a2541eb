import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Checks on every request reaching the browser-mode server. The server binds
 * 127.0.0.1 only, but a web page elsewhere could still reach it through DNS
 * rebinding (Host names the attacker's domain) or a cross-site WebSocket
 * (Origin names the attacker's page): both are refused here.
 */

/** Host header values the server answers to. */
function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/**
 * Same origin: the page that opens the WebSocket was served by us, under the
 * very Host it connects to. A missing Origin is refused too: browsers always
 * send one on WebSocket handshakes.
 */
function isSameOrigin(origin: string | undefined, host: string | undefined, port: number): boolean {
  if (origin === undefined || !isAllowedHost(host, port)) return false;
  return origin.toLowerCase() === `http://${(host ?? '').toLowerCase()}`;
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The request target as a URL, or null when it is not one. Only origin-form
 * targets (`/path?query`) are taken: `//[`, `//a:b:c/ws` or `http://[` make
 * `new URL()` throw, and an absolute-form target would let the request name
 * another host than its Host header.
 */
export function parseRequestTarget(target: string | undefined, port: number): URL | null {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, `http://127.0.0.1:${port}`);
  } catch {
    return null;
  }
}

export type UpgradeVerdict = { ok: true } | { ok: false; status: number; reason: string };

/** Decides whether a WebSocket upgrade may proceed. */
export function checkUpgrade(req: IncomingMessage, port: number, token: string, wsPath: string): UpgradeVerdict {
  const host = req.headers.host;
  if (!isAllowedHost(host, port)) return { ok: false, status: 421, reason: 'unexpected Host header' };
  const url = parseRequestTarget(req.url, port);
  if (url === null) return { ok: false, status: 400, reason: 'malformed request target' };
  if (url.pathname !== wsPath) return { ok: false, status: 404, reason: 'no such endpoint' };
  const origin = req.headers.origin;
  if (!isSameOrigin(origin, host, port)) return { ok: false, status: 403, reason: 'cross-origin WebSocket refused' };
  if (!tokenMatches(url.searchParams.get('token'), token)) return { ok: false, status: 401, reason: 'missing or wrong token' };
  return { ok: true };
}
