/**
 * Test support: a `sleep` holding one of this process's descriptors as its
 * stdin, a real second process holding a socket or a pipe end. It joins the
 * file's closedAfterEach lists, so it is killed and reaped after the test,
 * also when the test fails. Used by tests only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeFd } from '../../libc/libc';
import type { ClosedAfterEach } from './closed-after-each';

/** A `sleep` holding `fd` as its stdin, while this process keeps its own descriptor too; resolves once it runs. */
export async function sharedWithSleep(fd: number, made: Pick<ClosedAfterEach, 'children'>): Promise<ChildProcess & { pid: number }> {
  const child = spawn('sleep', ['30'], { stdio: [fd, 'ignore', 'ignore'] });
  made.children.push(child);
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child as ChildProcess & { pid: number };
}

/** A `sleep` holding `fd` as its stdin, the only holder: our copy is closed (and taken off `made.fds`). */
export async function heldBySleep(fd: number, made: Pick<ClosedAfterEach, 'children' | 'fds'>): Promise<ChildProcess & { pid: number }> {
  const child = await sharedWithSleep(fd, made);
  closeFd(fd);
  const at = made.fds.indexOf(fd);
  if (at >= 0) made.fds.splice(at, 1);
  return child;
}
