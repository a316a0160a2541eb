import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chromiumExecutable } from './chromium-launch';

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
