/**
 * Run by posix-mqueue-mount.test.ts in a mount namespace of its own
 * (`unshare --mount --propagation private`): a MqueueMountWatch sees an mqueue
 * filesystem mounted and unmounted in its namespace. Prints one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MqueueMountWatch } from '../kinds/posix/posix-mqueue';

const watch = new MqueueMountWatch();
const dir = mkdtempSync(join(tmpdir(), 'ipcscope-mq-'));
try {
  const before = [watch.current(), watch.current()];
  execFileSync('mount', ['-t', 'mqueue', 'none', dir]);
  const mounted = [watch.current(), watch.current()];
  execFileSync('umount', [dir]);
  const after = [watch.current()];
  process.stdout.write(`${JSON.stringify({ dir, before, mounted, after })}\n`);
} finally {
  watch.close();
  rmdirSync(dir);
}
