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
});
