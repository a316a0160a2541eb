/**
 * A lesson's private directory (e.g. for a FIFO), removed when the lesson
 * ends, when the engine exits, and also when the engine is SIGKILLed: a
 * watchdog `sh -c 'read _; rm -rf "$0"' DIR` reads a pipe whose write end
 * only the engine holds (O_CLOEXEC, so no actor inherits it). When the
 * engine dies the kernel closes that end, the read sees EOF, and the
 * watchdog removes the directory, and first the System V segments the lesson
 * recorded there (lesson-shm-record.ts), and kills the process group of
 * the workers a lesson started (lesson-workers.ts). It is detached (its own process group), so
 * recorded there (lesson-shm-record.ts) and its message queues (lesson-msgq-record.ts). It is detached (its own process group), so
 * a Ctrl+C to the engine's group does not kill it before it has cleaned up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { removeRecordedShm, SHM_WATCHDOG_SH } from './lesson-shm-record';
import { GROUP_WATCHDOG_SH } from './lesson-workers';
import { removeRecordedSem, SEM_WATCHDOG_SH } from './lesson-sem-record';
import { MSG_WATCHDOG_SH, removeRecordedMq, removeRecordedMsg } from './lesson-msgq-record';

export class LessonTempDir {
  private readonly onExit = (): void => this.removeNow();
  private done = false;

  private constructor(
    readonly path: string,
    private readonly watchdog: ChildProcess,
  ) {
    process.on('exit', this.onExit);
  }

  /** mkdtemp gives mode 0700: only this user reaches the lesson's files. */
  static create(): LessonTempDir {
    const path = mkdtempSync(join(tmpdir(), 'ipcscope-lesson-'));
    const watchdog = spawn('sh', ['-c', `read _; ${GROUP_WATCHDOG_SH}${SHM_WATCHDOG_SH}${SEM_WATCHDOG_SH}${MSG_WATCHDOG_SH}rm -rf "$0"`, path], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    /* neither the watchdog nor its pipe keeps the engine alive */
    watchdog.unref();
    (watchdog.stdin as Socket | null)?.unref();
    watchdog.on('error', () => undefined);
    return new LessonTempDir(path, watchdog);
  }

  /** Pid of the watchdog shell (tests check it exits). */
  get watchdogPid(): number | undefined {
    return this.watchdog.pid;
  }

  /** Removes the directory and lets the watchdog go. */
  async dispose(): Promise<void> {
    if (this.done) return;
    this.removeNow();
    const exited =
      this.watchdog.exitCode !== null || this.watchdog.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => this.watchdog.once('exit', () => resolve()));
    this.watchdog.stdin?.end();
    await exited;
  }

  private removeNow(): void {
    this.done = true;
    process.off('exit', this.onExit);
    removeRecordedShm(this.path);
    removeRecordedSem(this.path);
    removeRecordedMsg(this.path);
    removeRecordedMq(this.path);
    rmSync(this.path, { recursive: true, force: true });
  }
}
