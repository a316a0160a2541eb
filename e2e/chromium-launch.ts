import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext } from 'playwright-core';
import { PythonSituation } from '../native-bridge/diagnose/testing/python-situation';
import { startIpcscopeWeb, type IpcscopeWeb } from './ipcscope-web-process';

/**
 * How the end-to-end tests start Debian's Chromium: headless, and with the
 * background services off (this machine's closed network refuses them).
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The Chromium to launch, or an error that says how to get it: without this,
 * playwright's "Failed to launch: spawn ENOENT" fails every e2e suite in its
 * beforeAll with no hint of the fix.
 */
export function chromiumExecutable(path: string = CHROMIUM_PATH): string {
  if (!existsSync(path)) {
    throw new Error(
      `Chromium is not installed (no ${path}): the end-to-end tests drive Debian's Chromium. ` +
        'Install it with `apt-get install chromium` (as root), then run the tests again.',
    );
  }
  return path;
}

/** A Chromium with its own profile directory, and the one call that closes it and removes the directory. */
export interface PersistentChromium {
  context: BrowserContext;
  userDataDir: string;
  close(): Promise<void>;
}

export interface PersistentChromiumOptions {
  /** Added to CHROMIUM_ARGS (web-security: a host resolver rule). */
  extraArgs?: string[];
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/**
 * The persistent-context launch every e2e file with a profile shares: a fresh
 * profile under the temporary directory (`prefix` names its test), 1440x900 in
 * the light theme unless told otherwise. A launch that fails removes the
 * profile it made; close() closes the browser, then removes it.
 */
export async function launchPersistentChromium(prefix: string, options: PersistentChromiumOptions = {}): Promise<PersistentChromium> {
  const userDataDir = mkdtempSync(join(tmpdir(), prefix));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumExecutable(),
      args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
      viewport: options.viewport ?? { width: 1440, height: 900 },
      colorScheme: options.colorScheme ?? 'light',
    });
    return {
      context,
      userDataDir,
      close: async () => {
        try {
          await context.close();
        } finally {
          rmSync(userDataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

/** An `ipcscope web` server, a Chromium with a fresh profile to look at it, and the one call that ends both. */
export interface ServedInChromium {
  web: IpcscopeWeb;
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * The setup most e2e files share: `ipcscope web` with `webArgs`, then
 * launchPersistentChromium(prefix, options). close() closes Chromium, then
 * stops the server; a launch that fails stops the server it had started.
 */
export async function serveInChromium(webArgs: string[], prefix: string, options: PersistentChromiumOptions = {}): Promise<ServedInChromium> {
  const web = await startIpcscopeWeb(webArgs);
  try {
    const launched = await launchPersistentChromium(prefix, options);
    const close = async (): Promise<void> => {
      try {
        await launched.close();
      } finally {
        await web.stop();
      }
    };
    return { web, context: launched.context, close };
  } catch (error) {
    await web.stop();
    throw error;
  }
}

/** Like ServedInChromium, with a plain (incognito) Chromium: for files that open pages with their own viewport and theme. */
export interface ServedInBrowser {
  web: IpcscopeWeb;
  browser: Browser;
  close(): Promise<void>;
}

/** `ipcscope web` with `webArgs` and a plain Chromium; close() closes the browser, then stops the server. */
export async function serveInBrowser(webArgs: string[] = []): Promise<ServedInBrowser> {
  const web = await startIpcscopeWeb(webArgs);
  try {
    const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
    const close = async (): Promise<void> => {
      try {
        await browser.close();
      } finally {
        await web.stop();
      }
    };
    return { web, browser, close };
  } catch (error) {
    await web.stop();
    throw error;
  }
}

/** A python3 situation served by `ipcscope web --pid ROOT --tree`, a Chromium to look at it, and the one call that ends all three. */
export interface ObservedSituation {
  situation: PythonSituation;
  web: IpcscopeWeb;
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * The setup the diagnosis e2e files share: runs `source` (PythonSituation),
 * waits until its process `ready` has said its numbers (the last to start, so
 * the tree is whole before it is observed), observes the tree with
 * `ipcscope web --pid ROOT --tree`, and launches Chromium with a fresh
 * profile. close() closes Chromium, stops the server, kills the situation;
 * a setup that fails part way ends what it had started.
 */
export async function observeSituationInChromium(source: string, ready: string, prefix: string, options: PersistentChromiumOptions = {}): Promise<ObservedSituation> {
  const situation = new PythonSituation(source);
  try {
    await situation.numbers(ready);
    const served = await serveInChromium(['--pid', `${situation.pid}`, '--tree'], prefix, options);
    const close = async (): Promise<void> => {
      try {
        await served.close();
      } finally {
        await situation.kill();
      }
    };
    return { situation, web: served.web, context: served.context, close };
  } catch (error) {
    await situation.kill();
    throw error;
  }
}
