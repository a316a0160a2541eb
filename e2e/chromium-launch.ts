import { existsSync } from 'node:fs';

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
