/**
 * Test support: SIGKILLs a child a test spawned and resolves once Node has
 * seen it exit (reaped: no zombie left behind); at once when it already has.
 * Used by tests only.
 */
import type { ChildProcess } from 'node:child_process';

export async function reapChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
