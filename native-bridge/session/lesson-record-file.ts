/**
 * A list, one entry a line in a file of the lesson's private directory, of
 * kernel objects the lesson made that outlive its processes (System V ids,
 * POSIX queue names), so that they are removed with the directory: by
 * LessonTempDir when the lesson stops or the engine exits, and by its watchdog
 * shell when the engine is SIGKILLed. One per kind: lesson-shm-record.ts,
 * lesson-sem-record.ts, lesson-msgq-record.ts.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class LessonRecordFile {
  /** `file`: its name in the directory; `valid`: what a whole line must be to count (a torn last line does not). */
  constructor(
    readonly file: string,
    private readonly valid: RegExp,
  ) {}

  entries(dir: string): string[] {
    const path = join(dir, this.file);
    if (!existsSync(path)) return [];
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => this.valid.test(line));
  }

  /** The lesson made this object: remove it when the lesson's directory goes. */
  add(dir: string, entry: string | number): void {
    appendFileSync(join(dir, this.file), `${entry}\n`);
  }

  /** The lesson removed it itself: forget it, so a later reuse of the id or name is never touched. */
  forget(dir: string, entry: string | number): void {
    if (!existsSync(join(dir, this.file))) return;
    writeFileSync(
      join(dir, this.file),
      this.entries(dir)
        .filter((e) => e !== String(entry))
        .map((e) => `${e}\n`)
        .join(''),
    );
  }

  /** The watchdog's part, in sh (`$0` is the directory): before the directory goes, `ipcrm -<flag>` each recorded id. */
  ipcrmSh(flag: 'm' | 'q' | 's'): string {
    return `f="$0/${this.file}"; if [ -f "$f" ]; then while read id; do ipcrm -${flag} "$id" 2>/dev/null; done < "$f"; fi; `;
  }
}

/** A System V id: decimal digits. */
export const SYSV_ID = /^\d+$/;
