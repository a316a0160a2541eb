import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chromiumExecutable, launchPersistentChromium } from './chromium-launch';

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ipcscope-chromium-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('chromiumExecutable', () => {
  it('says how to install Chromium when it is missing', () => {
    const missing = join(scratch, 'chromium');
    expect(() => chromiumExecutable(missing)).toThrow(`Chromium is not installed (no ${missing})`);
    expect(() => chromiumExecutable(missing)).toThrow('apt-get install chromium');
  });

  it('hands back a Chromium that is there', () => {
    expect(chromiumExecutable(process.execPath)).toBe(process.execPath);
  });
});

describe('launchPersistentChromium', () => {
  it('is the only place an e2e file launches a persistent Chromium (one launcher, not copies)', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const launching = readdirSync(here)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
      .filter((name) => readFileSync(join(here, name), 'utf8').includes('launchPersistentContext('));
    expect(launching).toEqual(['chromium-launch.ts']);
  });

  it('opens a page in its own profile at 1440x900 and removes the profile on close', async () => {
    const launched = await launchPersistentChromium('ipcscope-launch-test-');
    try {
      expect(existsSync(launched.userDataDir)).toBe(true);
      const page = await launched.context.newPage();
      expect(page.viewportSize()).toEqual({ width: 1440, height: 900 });
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: light)').matches)).toBe(true);
    } finally {
      await launched.close();
    }
    expect(existsSync(launched.userDataDir)).toBe(false);
  });
});
