/**
 * The mqueue probe looks for a mount only when the mount table changed (poll
 * on /proc/self/mountinfo): a mount and an unmount in the process's own
 * mount namespace show at the next look, and nothing else is read between.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const CHILD = new URL('../../testing/mqueue-mount-watch-child.ts', import.meta.url).pathname;
const ROOT = new URL('../../../../', import.meta.url).pathname;

describe('MqueueMountWatch', () => {
  it.skipIf(process.getuid?.() !== 0)('sees an mqueue mount and its unmount in its mount namespace at the next look', () => {
    const out = execFileSync('unshare', ['--mount', '--propagation', 'private', process.execPath, '--import', 'tsx', CHILD], { cwd: ROOT, encoding: 'utf8' });
    const { dir, before, mounted, after } = JSON.parse(out.trim()) as { dir: string; before: (string | null)[]; mounted: (string | null)[]; after: (string | null)[] };
    expect(before).not.toContain(dir);
    // with none mounted before, the new one is the one found (mqueueMount names the first in the table)
    expect(mounted).toEqual(before[0] === null ? [dir, dir] : before);
    expect(after).not.toContain(dir);
  });
});
