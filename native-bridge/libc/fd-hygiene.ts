import { readdirSync } from 'node:fs';
import { FD_CLOEXEC, F_GETFD, F_SETFD, native } from './libc';

/**
 * Marks every descriptor this process inherited (above stderr) close-on-exec.
 * Node/libuv does not close inherited descriptors in children, so a stray
 * descriptor from whoever started us would show up in every actor we spawn as
 * a false holder of that object (KERNEL-FACTS: "fd leaks into children").
 */
export function markInheritedCloexec(): void {
  let entries: string[];
  try {
    entries = readdirSync('/proc/self/fd');
  } catch {
    return;
  }
  for (const entry of entries) {
    const fd = Number(entry);
    if (!Number.isInteger(fd) || fd <= 2) continue;
    const flags = native.fcntlInt(fd, F_GETFD, 0);
    if (flags < 0 || (flags & FD_CLOEXEC) !== 0) continue;
    native.fcntlInt(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}
