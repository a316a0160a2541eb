/**
 * A lesson's C program written once, with its comments in three languages:
 * every language gets the very same lines of code (only the comments
 * differ), so a step's line number points at the same code in each.
 *
 *   const program = cProgram('pipe_demo.c', ['parent', 'child'], [
 *     '#include <unistd.h>',
 *     ['  pipe(fd);', { en: 'make the pipe', 'zh-Hans': '...', 'zh-Hant': '...' }],
 *     ['', { en: 'a comment on a line of its own', ... }],
 *   ]);
 *   program.line('pipe(fd)')   // 1-based line of the first line whose code contains it
 */
import type { LessonProgram, Locale, LocalizedText } from '../model/frame-types';

export type ProgramLine = string | readonly [code: string, comment: LocalizedText];

const LOCALES: Locale[] = ['en', 'zh-Hans', 'zh-Hant'];

export interface CProgram extends LessonProgram {
  /** 1-based line of the `nth` (1-based) line whose code contains `needle`; throws when there is none. */
  line(needle: string, nth?: number): number;
}

function render(line: ProgramLine, locale: Locale): string {
  if (typeof line === 'string') return line;
  const [code, comment] = line;
  const text = comment[locale];
  if (text.includes('*/')) throw new Error(`a comment may not contain "*/": ${text}`);
  /* a comment alone on its line keeps the code's indentation */
  return code.trim() === '' ? `${code}/* ${text} */` : `${code}  /* ${text} */`;
}

export function cProgram(file: string, roles: string[], lines: readonly ProgramLine[]): CProgram {
  const codes = lines.map((line) => (typeof line === 'string' ? line : line[0]));
  const source = Object.fromEntries(LOCALES.map((locale) => [locale, `${lines.map((l) => render(l, locale)).join('\n')}\n`])) as LocalizedText;
  return {
    file,
    roles,
    source,
    line(needle, nth = 1) {
      let seen = 0;
      for (const [index, code] of codes.entries()) {
        if (code.includes(needle) && ++seen === nth) return index + 1;
      }
      throw new Error(`${file}: no line ${nth} containing "${needle}"`);
    },
  };
}

/** The program's text with every C comment removed and trailing blanks trimmed (to compare languages). */
export function withoutComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}
