import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, sysv } from '../libc/sysv';
import { HeldSysvTables, parseSysvTable } from './sysvipc-table';

const queues: number[] = [];
afterEach(() => {
  for (const id of queues.splice(0)) sysv.msgctl(id, IPC_RMID, null);
});

describe('System V tables held open between ticks', () => {
  it('re-reads /proc/sysvipc/msg from the start each time, past one kernel page, as a fresh read shows it', () => {
    const tables = new HeldSysvTables();
    try {
      const before = tables.read('msg').length;
      // ~40 rows of ~150 bytes: more than the 4 KB one seq_file read returns
      for (let i = 0; i < 40; i++) {
        const id = sysv.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
        expect(id).toBeGreaterThanOrEqual(0);
        queues.push(id);
      }
      expect(readFileSync('/proc/sysvipc/msg').length).toBeGreaterThan(4096);
      const fresh = parseSysvTable(readFileSync('/proc/sysvipc/msg', 'latin1'));
      const held = tables.read('msg');
      expect(held).toEqual(fresh);
      expect(held.length).toBe(before + 40);
      const ours = new Set(queues);
      expect(held.filter((row) => ours.has(row.msqid!)).length).toBe(40);
      for (const id of queues.splice(0, 39)) sysv.msgctl(id, IPC_RMID, null);
      expect(tables.read('msg').filter((row) => ours.has(row.msqid!)).map((row) => row.msqid)).toEqual(queues);
    } finally {
      tables.close();
    }
  });
});
