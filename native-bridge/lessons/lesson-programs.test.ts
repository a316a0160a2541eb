/**
 * Every lesson's programs and texts: each program compiles with
 * `cc -Wall -Werror` in every language, the languages differ only in their
 * comments, each step points at a line of its program that makes the call its
 * `code` shows, and every text is written in all three languages.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalizedText } from '../model/frame-types';
import { defaultParams } from './lesson-params';
import { stepsOf, type Lesson } from './lesson-types';
import { withoutComments } from './program-source';
import { withoutShellComments } from './programs/process-pool/worker-sh';
import { allLessons, lessonSummaries } from './registry';

const hasCc = spawnSync('cc', ['--version']).status === 0;
/* a program a lesson runs under /bin/sh (the process pool's worker.sh) is checked with `sh -n`, not cc */
const isShell = (file: string): boolean => file.endsWith('.sh');
const strip = (file: string, source: string): string => (isShell(file) ? withoutShellComments(source) : withoutComments(source));
const work = mkdtempSync(join(tmpdir(), 'ipcscope-programs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every parameter combination of a lesson (choices; ints at min, default and max; texts at their default). */
function allParams(lesson: Lesson): Record<string, string | number>[] {
  let combos: Record<string, string | number>[] = [defaultParams(lesson.params ?? [])];
  for (const spec of lesson.params ?? []) {
    const values = spec.kind === 'choice' ? spec.choices.map((c) => c.value) : spec.kind === 'text' ? [spec.default] : [spec.min, spec.default, spec.max];
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [spec.name]: v })));
  }
  return combos;
}

function expectTrilingual(t: LocalizedText, where: string): void {
  for (const locale of ['en', 'zh-Hans', 'zh-Hant'] as const) expect(t[locale].trim().length, `${where} ${locale}`).toBeGreaterThan(0);
}

/** The function a step's code calls: `n = read(fd[0], ...)` -> "read". */
function calledName(code: string): string {
  const match = /([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(code);
  if (!match) throw new Error(`no call in "${code}"`);
  return match[1]!;
}

describe.each(allLessons.map((l) => [l.id, l] as const))('lesson %s', (_id, lesson) => {
  it.skipIf(!hasCc)('every program compiles with cc -Wall -Werror in every language, and only comments differ', () => {
    expect(lesson.programs.length).toBeGreaterThan(0);
    for (const program of lesson.programs) {
      const en = strip(program.file, program.source.en);
      for (const [locale, source] of Object.entries(program.source)) {
        expect(strip(program.file, source), `${program.file} ${locale}`).toBe(en);
        expect(source.split('\n').length).toBe(program.source.en.split('\n').length);
        const file = join(work, `${locale}-${program.file}`);
        writeFileSync(file, source);
        if (isShell(program.file)) {
          execFileSync('sh', ['-n', file], { stdio: 'pipe' });
          continue;
        }
        for (const flags of [[], ['-O2', '-D_FORTIFY_SOURCE=2']]) {
          execFileSync('cc', ['-Wall', '-Werror', ...flags, '-o', join(work, 'a.out'), file], { stdio: 'pipe' });
        }
      }
    }
  });

  it('each step points at a line of its program that makes the call its code shows', () => {
    for (const params of allParams(lesson)) {
      for (const step of stepsOf(lesson, params)) {
        const program = lesson.programs.find((p) => p.file === step.program);
        expect(program, `${step.code}: program ${step.program}`).toBeDefined();
        expect(program!.roles).toContain(step.role);
        const line = withoutComments(program!.source.en).split('\n')[step.line! - 1] ?? '';
        expect(line, `${step.code} at ${step.program}:${step.line}`).toContain(`${calledName(step.code)}(`);
      }
    }
  });

  it('every text is in three languages; questions offer 2 to 4 choices; claims follow a named step', () => {
    expectTrilingual(lesson.title, 'title');
    expectTrilingual(lesson.summary, 'summary');
    for (const spec of lesson.params ?? []) {
      expectTrilingual(spec.label, spec.name);
      if (spec.kind === 'choice') for (const c of spec.choices) expectTrilingual(c.label, c.value);
    }
    for (const params of allParams(lesson)) {
      const steps = stepsOf(lesson, params);
      const roles = new Set([lesson.firstRole, ...(lesson.alsoStarts ?? []), ...steps.flatMap((s) => (s.spawns ? [s.spawns] : []))]);
      for (const step of steps) {
        expect(roles.has(step.role)).toBe(true);
        expectTrilingual(step.explain, step.code);
        if (step.question) {
          expect(step.question.choices.length).toBeGreaterThanOrEqual(2);
          expect(step.question.choices.length).toBeLessThanOrEqual(4);
          expectTrilingual(step.question.prompt, step.code);
          for (const c of step.question.choices) expectTrilingual(c.text, c.id);
        }
      }
      for (const claim of lesson.claims ?? []) {
        expectTrilingual(claim.claim, claim.id);
        expect(steps.some((s) => s.id === claim.after), `${claim.id} after ${claim.after}`).toBe(true);
      }
    }
  });
});

describe('lessons.list', () => {
  it('gives each lesson its mechanism, its step count with default parameters, and its parameters', () => {
    for (const summary of lessonSummaries()) {
      const lesson = allLessons.find((l) => l.id === summary.id)!;
      expect(summary.mechanism).toBe(lesson.mechanism);
      expect(summary.stepCount).toBe(stepsOf(lesson, defaultParams(lesson.params ?? [])).length);
      expect(summary.params).toEqual(lesson.params ?? []);
    }
  });
});
