/**
 * "observe" asks for the user's own rights: root may read every process, so
 * the engine runs here as nobody (uid 65534, through setpriv, as
 * probe/unreadable.test.ts does). A root `sleep` is refused by PID with the
 * reason (its /proc/PID/fd needs ptrace access: EACCES), the engine's own
 * process is observed. Root's view of the same /proc entry is checked too.
 */
import { spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildSet } from '../cli/cli-test-support';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./testing/observe-as-nobody.ts', import.meta.url));
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

function searchableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}
const reachable = searchableByOthers(ROOT);
if (isRoot && !reachable && !process.env.CI) {
  console.warn(`session-observe-rights.test.ts skipped: ${ROOT} is not searchable by other users`);
}

const children = new ChildSet();
let home = '';

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ipcscope-observe-nobody-'));
  chownSync(home, NOBODY, NOBODY);
});

afterAll(async () => {
  await children.killAll();
  if (home) rmSync(home, { recursive: true, force: true });
});

interface Line {
  pid: number;
  result: { ok: boolean; error?: string };
  framePids: number[] | null;
}

function observeAsNobody(pids: string[]): Promise<{ code: number | null; lines: Line[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'setpriv',
      [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', process.execPath, '--import', 'tsx', SCRIPT, ...pids],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: home, HOME: home, LANG: 'C.UTF-8' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Line);
      resolve({ code, lines, stderr });
    });
  });
}

describe.skipIf(!isRoot || !reachable)('observe with the user\'s own rights', () => {
  it('refuses another user\'s process by PID and reason, observes its own', async () => {
    const rootSleep = children.spawn('sleep', ['1000'], 'ignore').pid;
    /* root reads the descriptor table; nobody will not */
    expect(readdirSync(`/proc/${rootSleep}/fd`).length).toBeGreaterThan(0);
    /* "self": the script observes its own PID */
    const run = await observeAsNobody([String(rootSleep), 'self']);
    expect(run.code, run.stderr).toBe(0);
    const [refused, own] = run.lines;
    expect(refused?.result.ok).toBe(false);
    expect(refused?.result.error).toBe(
      `cannot observe process ${rootSleep}: permission denied (EACCES): it belongs to another user, and only its owner or root may read its descriptors (ptrace access)`,
    );
    expect(own?.result.ok).toBe(true);
    expect(own?.framePids).toEqual([own?.pid]);
  }, 60_000);
});
