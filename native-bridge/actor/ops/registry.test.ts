import { describe, expect, it } from 'vitest';
import { actorOps, opTables } from './registry';

describe('op registry', () => {
  it('no two op files define the same op name', () => {
    const seen = new Map<string, string>();
    for (const [file, table] of Object.entries(opTables)) {
      for (const name of Object.keys(table)) {
        expect(seen.get(name), `op "${name}" in ${file} and ${seen.get(name)}`).toBeUndefined();
        seen.set(name, file);
      }
    }
    expect(Object.keys(actorOps).length).toBe(seen.size);
  });

  it('every op declares the syscalls it may sleep in', () => {
    for (const spec of Object.values(actorOps)) expect(Array.isArray(spec.sleepsIn)).toBe(true);
    expect(actorOps.read?.sleepsIn).toEqual([0]);
    expect(actorOps.write?.sleepsIn).toEqual([1]);
  });
});
