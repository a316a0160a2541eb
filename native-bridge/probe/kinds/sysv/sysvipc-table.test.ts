import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, sysv } from '../../../libc/sysv';
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

  it('looks at an empty table again only after its period or forget(); a table with rows on every read', () => {
    const tables = new HeldSysvTables(60_000);
    try {
      const first = tables.read('msg');
      const id = sysv.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
      expect(id).toBeGreaterThanOrEqual(0);
      queues.push(id);
      expect(parseSysvTable(readFileSync('/proc/sysvipc/msg', 'latin1')).some((row) => row.msqid === id)).toBe(true);
      const second = tables.read('msg');
      if (first.length === 0) {
        // empty a moment ago: not read again within the period
        expect(second).toEqual([]);
        tables.forget();
      } else {
        // other queues exist on this machine: the table is read on every call
        expect(second.some((row) => row.msqid === id)).toBe(true);
      }
      expect(tables.read('msg').some((row) => row.msqid === id)).toBe(true);
      // with rows in it, the table is read on every call: the removal shows at once
      sysv.msgctl(queues.pop()!, IPC_RMID, null);
      expect(tables.read('msg').some((row) => row.msqid === id)).toBe(false);
    } finally {
      tables.close();
    }
  });
});
