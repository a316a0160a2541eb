/**
 * The state the scans are compared on: N small native processes (`sleep`),
 * each holding both ends of its own pipe on fds 0 and 1, and every fourth one
 * also both ends of a Unix socketpair on fds 2 and 3. `sleep` keeps it cheap:
 * PSS ~0.12 MiB each, where a Node child would cost ~10 MiB (KERNEL-FACTS).
 */
import type { ChildProcess } from 'node:child_process';
import { makePipe } from '../native-bridge/libc/libc';
import { makeSocketPair } from '../native-bridge/libc/sockets';
import { closeTracked, killTracked, spawnTracked, trackFds, yieldToSignals } from './bench-children';

export class BenchState {
  private readonly holders: ChildProcess[] = [];

  pids(): number[] {
    return this.holders.map((child) => child.pid ?? 0).filter((pid) => pid > 0);
  }

  /** Adds holders until there are `size` of them, yielding now and then so Ctrl-C is heard. */
  async growTo(size: number): Promise<void> {
    while (this.holders.length < size) {
      const index = this.holders.length;
      if (index % 25 === 0) await yieldToSignals();
      const [readEnd, writeEnd] = makePipe();
      trackFds(readEnd, writeEnd);
      const stdio: Array<number | 'ignore'> = [readEnd, writeEnd];
      if (index % 4 === 0) {
        const [left, right] = makeSocketPair('stream');
        trackFds(left, right);
        stdio.push(left, right);
      } else {
        stdio.push('ignore'); /* else Node gives fd 2 a socket to this process */
      }
      try {
        this.holders.push(spawnTracked('sleep', ['3600'], stdio));
      } finally {
        /* the child has its own copies now (dup2 in the child clears O_CLOEXEC) */
        closeTracked(...stdio.filter((fd): fd is number => typeof fd === 'number'));
      }
    }
  }

  async tearDown(): Promise<void> {
    await killTracked(this.holders.splice(0));
  }
}
