import { describe, expect, it } from 'vitest';
import { DEFAULT_WEB_PORT, parseWebOptions } from './web-options';

describe('parseWebOptions', () => {
  it('defaults to port 7420 with fallback, and building', () => {
    expect(parseWebOptions([])).toEqual({ port: DEFAULT_WEB_PORT, portExplicit: false, build: true, help: false });
  });
  it('takes --port N, --port=N and --no-build', () => {
    expect(parseWebOptions(['--port', '0', '--no-build'])).toMatchObject({ port: 0, portExplicit: true, build: false });
    expect(parseWebOptions(['--port=8080'])).toMatchObject({ port: 8080, portExplicit: true });
  });
  it('refuses bad ports and unknown options', () => {
    expect(() => parseWebOptions(['--port'])).toThrow(/--port needs/);
    expect(() => parseWebOptions(['--port', '70000'])).toThrow(/--port needs/);
    expect(() => parseWebOptions(['--port', '-1'])).toThrow(/--port needs/);
    expect(() => parseWebOptions(['--host', '0.0.0.0'])).toThrow(/unknown option/);
  });
  it('takes --pid PID[,PID...] [--tree] and --all as the scope observed from the start', () => {
    expect(parseWebOptions(['--pid', '12,34', '--pid=34,56', '--tree'])).toMatchObject({ observe: { pids: [12, 34, 56], tree: true } });
    expect(parseWebOptions(['-p', '7'])).toMatchObject({ observe: { pids: [7], tree: false } });
    expect(parseWebOptions(['--all', '--port', '0'])).toMatchObject({ observe: { all: true }, port: 0 });
    expect(parseWebOptions([]).observe).toBeUndefined();
  });
  it('refuses a bad scope, naming the problem', () => {
    expect(() => parseWebOptions(['--pid'])).toThrow(/--pid needs a PID/);
    expect(() => parseWebOptions(['--pid', 'x1'])).toThrow(/invalid PID "x1" in --pid/);
    expect(() => parseWebOptions(['--pid', '0'])).toThrow(/invalid PID 0 in --pid \(expected 1 to 4194304\)/);
    expect(() => parseWebOptions(['--pid', '1', '--all'])).toThrow(/--pid and --all cannot be combined/);
    expect(() => parseWebOptions(['--tree'])).toThrow(/--tree needs --pid/);
    const many = Array.from({ length: 65 }, (_, i) => i + 1).join(',');
    expect(() => parseWebOptions(['--pid', many])).toThrow(/--pid names 65 processes; at most 64/);
  });
});
