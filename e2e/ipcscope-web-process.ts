import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs `node bin/ipcscope.js web --port 0`, exactly what `npm run web` runs,
 * and reads the URL it prints.
 */

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const URL_PATTERN = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/;

export interface IpcscopeWeb {
  child: ChildProcess;
  pid: number;
  url: string;
  port: number;
  token: string;
  /** Everything the server wrote, for failure messages. */
  output(): string;
  /** SIGTERM, then waits for exit (SIGKILL after `graceMs`); resolves with the exit code or signal. */
  stop(graceMs?: number): Promise<number | NodeJS.Signals>;
}

export function startIpcscopeWeb(extraArgs: string[] = [], startTimeoutMs = 100_000): Promise<IpcscopeWeb> {
  const child = spawn(process.execPath, ['bin/ipcscope.js', 'web', '--port', '0', ...extraArgs], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );

  return new Promise<IpcscopeWeb>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ipcscope web printed no URL within ${startTimeoutMs} ms:\n${output}`));
    }, startTimeoutMs);
    const onData = (): void => {
      const match = URL_PATTERN.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({
        child,
        pid: child.pid ?? -1,
        url: match[0],
        port: Number(match[1]),
        token: match[2] ?? '',
        output: () => output,
        async stop(graceMs = 15_000): Promise<number | NodeJS.Signals> {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          const result = await exited;
          clearTimeout(killer);
          return result;
        },
      });
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`ipcscope web exited (${code}) before printing a URL:\n${output}`));
    });
  });
}
