import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIpcscopeWeb } from './ipcscope-web-process';
import type { IpcscopeWeb } from './ipcscope-web-process';
import { launchPersistentChromium, type PersistentChromium } from './chromium-launch';
import { rawConnect, rawExchange, statusOf, tcpState } from '../native-bridge/web/web-test-helpers';
import { waitFor } from '../native-bridge/cli/wait-for';

/*
 * The browser-mode door seen from a real browser: a page of another origin
 * holding the right token, a DNS-rebinding name resolving to 127.0.0.1, and
 * our own page without the token all get nothing.
 */

const REBIND_HOST = 'rebind.ipcscope.test';

let web: IpcscopeWeb | null = null;
let context: BrowserContext | null = null;
let launched: PersistentChromium | null = null;
let other: Server | null = null;
let otherPort = 0;

beforeAll(async () => {
  other = createServer((_req, res) => res.end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((resolve) => other?.listen(0, '127.0.0.1', resolve));
  otherPort = (other.address() as AddressInfo).port;
  web = await startIpcscopeWeb();
  launched = await launchPersistentChromium('ipcscope-e2e-chromium-', {
    // An attacker's name that resolves to our loopback address: DNS rebinding.
    extraArgs: [`--host-resolver-rules=MAP ${REBIND_HOST} 127.0.0.1`],
  });
  context = launched.context;
});

afterAll(async () => {
  await launched?.close();
  await web?.stop();
  await new Promise((resolve) => (other ? other.close(resolve) : resolve(undefined)));
});

/** Tries a WebSocket from inside `page`; resolves "open" or "refused". */
function tryWebSocket(page: Page, url: string): Promise<string> {
  return page.evaluate(
    (target) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(target);
        ws.onopen = () => {
          ws.close();
          resolve('open');
        };
        ws.onerror = () => resolve('refused');
      }),
    url,
  );
}

describe('browser mode seen from a browser', () => {
  it('only our own page with the token gets a WebSocket', async () => {
    if (web === null || context === null) throw new Error('setup failed');
    const { port, token } = web;
    const page = context.pages()[0] ?? (await context.newPage());
    const wsUrl = `ws://127.0.0.1:${port}/ws?token=${token}`;

    await page.goto(web.url);
    expect(await tryWebSocket(page, wsUrl)).toBe('open');
    expect(await tryWebSocket(page, `ws://127.0.0.1:${port}/ws?token=wrong`)).toBe('refused');
    await expect.poll(() => web?.output() ?? '').toContain('(401 missing or wrong token)');

    // Without the token the page says so instead of connecting.
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-status')).not.toBe('open');

    // Another local origin (another port) that somehow learned the token.
    // (Chromium itself keeps public pages such as data: URLs off loopback.)
    const foreign = await context.newPage();
    await foreign.goto(`http://127.0.0.1:${otherPort}/`);
    expect(await tryWebSocket(foreign, wsUrl)).toBe('refused');
    // Refused by our Origin check, not by something in between.
    await expect.poll(() => web?.output() ?? '').toContain(`(403 cross-origin WebSocket refused) from origin "http://127.0.0.1:${otherPort}"`);

    // DNS rebinding: the attacker's name now points at 127.0.0.1.
    const rebound = await context.newPage();
    const response = await rebound.goto(`http://${REBIND_HOST}:${port}/?token=${token}`);
    expect(response?.status()).toBe(421);
    expect(await tryWebSocket(rebound, `ws://${REBIND_HOST}:${port}/ws?token=${token}`)).toBe('refused');
    await expect.poll(() => web?.output() ?? '').toContain(`(421 unexpected Host header) from origin "http://${REBIND_HOST}:${port}"`);
  });

  it('serves the page with a strict Content-Security-Policy', async () => {
    if (web === null || context === null) throw new Error('setup failed');
    const page = await context.newPage();
    const response = await page.goto(web.url);
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    // An injected inline script must not run.
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
  });

  it('a local user cannot end the server with a malformed request or hold it with idle connections', async () => {
    if (web === null || context === null) throw new Error('setup failed');
    const { port, token, pid } = web;
    const upgrade = (target: string): string =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://127.0.0.1:${port}\r\n\r\n`;
    for (const target of ['//[', '//a:b:c/ws', '//%zz/ws', 'http://[']) {
      const status = statusOf(await rawExchange(port, upgrade(target)));
      expect(status, target).toBeGreaterThanOrEqual(400);
      expect(status, target).toBeLessThan(500);
    }
    const idle = await rawConnect(port);
    idle.on('error', () => undefined);
    const idlePort = idle.localPort ?? 0;
    try {
      /* the process is alive (the kernel still has it) and still serves our page */
      expect(web.child.exitCode).toBeNull();
      expect(readFileSync(`/proc/${pid}/stat`, 'utf8')).not.toMatch(/\) [ZX] /);
      const page = await context.newPage();
      await page.goto(web.url);
      expect(await tryWebSocket(page, `ws://127.0.0.1:${port}/ws?token=${token}`)).toBe('open');
      /* a connection that never sends a byte is closed by the server (default bound 5 s) */
      await waitFor('the idle connection closed by the server', () => tcpState(port, idlePort) !== 'ESTABLISHED', 60_000, 100);
    } finally {
      idle.destroy();
    }
  });
});
