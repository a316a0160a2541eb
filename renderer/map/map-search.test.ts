import { describe, expect, it } from 'vitest';
import { searchProcesses } from './map-search';
import { poolFrame } from './testing/pool-frame';

describe('searchProcesses', () => {
  const processes = poolFrame({ workers: 20, comm: 'node' }).processes;

  it('finds the PID first, then names, then what the engine matched in command lines', () => {
    expect(searchProcesses(processes, '1003').map((p) => p.pid)).toEqual([1003]);
    expect(searchProcesses(processes, 'server.js')).toEqual([]);
    // the engine said two of the workers run `node server.js`: found though their comm is only `node`
    const byCmdline = new Map([
      [1012, 'node server.js --port 8080'],
      [1005, 'node server.js'],
    ]);
    expect(searchProcesses(processes, 'server.js', byCmdline).map((p) => p.pid)).toEqual([1005, 1012]);
    // a name match comes before a command-line match, and a process is listed once
    expect(searchProcesses(processes, 'poo', new Map([[1001, 'pool worker']])).map((p) => p.pid)).toEqual([100, 1001]);
  });
});
