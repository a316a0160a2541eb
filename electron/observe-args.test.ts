import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { observeScopeFromArgv } from './observe-args';

const START = resolve(import.meta.dirname, '..', 'scripts', 'start.js');

describe('npm start -- --pid/--tree/--all', () => {
  it('reads the scope among Electron\'s own switches and the app path', () => {
    expect(observeScopeFromArgv(['.', '--no-sandbox', '--pid', '12,34', '--tree'])).toEqual({ pids: [12, 34], tree: true });
    expect(observeScopeFromArgv(['--pid=7', '-p', '8', '--pid', '7'])).toEqual({ pids: [7, 8], tree: false });
    expect(observeScopeFromArgv(['.', '--all'])).toEqual({ all: true });
    expect(observeScopeFromArgv(['.', '--enable-logging'])).toBeNull();
  });

  it('refuses a bad scope with what is wrong', () => {
    expect(() => observeScopeFromArgv(['--pid'])).toThrow('--pid needs a PID or a comma-separated list of PIDs');
    expect(() => observeScopeFromArgv(['--pid', '--tree'])).toThrow('--pid needs a PID');
    expect(() => observeScopeFromArgv(['--pid', '12x'])).toThrow('invalid PID "12x" in --pid');
    expect(() => observeScopeFromArgv(['--pid', '0'])).toThrow('invalid PID 0 in --pid');
    expect(() => observeScopeFromArgv(['--pid', '1', '--all'])).toThrow('--pid and --all cannot be combined');
    expect(() => observeScopeFromArgv(['--tree'])).toThrow('--tree needs --pid');
    const many = Array.from({ length: 65 }, (_, i) => i + 1).join(',');
    expect(() => observeScopeFromArgv(['--pid', many])).toThrow('--pid names 65 processes; at most 64 can be observed');
  });

  it('scripts/start.js hands the arguments to the app after "--", not to electron-forge', async () => {
    const script = (await import(START)) as { forgeArgs(args: string[]): string[] };
    expect(script.forgeArgs(['--pid', '42', '--tree'])).toEqual(['start', '--', '--pid', '42', '--tree']);
    expect(script.forgeArgs([])).toEqual(['start']);
  });
});
