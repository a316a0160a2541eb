/**
 * Test support: System V objects as the kernel lists them (/proc/sysvipc/*,
 * which `ipcs` prints), and a sweep that removes the objects a failed test left.
 */
import { execFileSync } from 'node:child_process';
import { IPC_RMID, sysv } from '../../libc/sysv';
import { readSysvTable, type SysvRow, type SysvTable } from '../../probe/kinds/sysv/sysvipc-table';

const IPCS_FLAG: Record<SysvTable, string> = { shm: '-m', msg: '-q', sem: '-s' };
const ID_COLUMN: Record<SysvTable, string> = { shm: 'shmid', msg: 'msqid', sem: 'semid' };

/** One object's line of `ipcs -m|-q|-s`, split into columns (key, id, owner, perms, ...); null when ipcs does not list it. */
export function ipcsColumns(table: SysvTable, id: number): string[] | null {
  for (const line of execFileSync('ipcs', [IPCS_FLAG[table]], { encoding: 'utf8' }).split('\n')) {
    const columns = line.trim().split(/\s+/);
    if (columns[1] === String(id)) return columns;
  }
  return null;
}

/** The rows of /proc/sysvipc/shm with this key (the kernel keeps at most one per key but IPC_PRIVATE). */
export function segmentsOfKey(key: number): SysvRow[] {
  return readSysvTable('shm').filter((row) => row.key === key);
}

/** Whether /proc/sysvipc/<table> lists this id. */
export function listed(table: SysvTable, id: number): boolean {
  return readSysvTable(table).some((row) => row[ID_COLUMN[table]] === id);
}

/** Remembers the System V objects a test saw; `removeLeft` (in afterEach) removes those a failure left behind. */
export class SysvSweep {
  private readonly seen: [SysvTable, number][] = [];

  saw(table: SysvTable, id: number): number {
    this.seen.push([table, id]);
    return id;
  }

  removeLeft(): void {
    for (const [table, id] of this.seen.splice(0)) {
      if (!listed(table, id)) continue;
      if (table === 'shm') sysv.shmctl(id, IPC_RMID, null);
      else if (table === 'msg') sysv.msgctl(id, IPC_RMID, null);
      else sysv.semctlInt(id, 0, IPC_RMID, 0);
    }
  }
}
