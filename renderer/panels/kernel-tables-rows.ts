/**
 * The rows of the kernel tables panel: what `ipcs -m`, `ipcs -q` and `ipcs -s`
 * (with `ipcs -s -i ID`'s per-semaphore lines) print, built from a frame's
 * System V objects, which the probe read from /proc/sysvipc/* and semctl.
 * And which cells changed from one frame to the next, to highlight them.
 */
import type { IpcObject, MsgQueueObject, SemSetObject, ShmObject } from '../../native-bridge/model/snapshot-types';

export type IpcsTable = 'shm' | 'msg' | 'sem';

/** ipcs's column names, in its order. */
export const IPCS_COLUMNS: Record<IpcsTable, string[]> = {
  shm: ['key', 'shmid', 'owner', 'perms', 'bytes', 'nattch', 'status'],
  msg: ['key', 'msqid', 'owner', 'perms', 'used-bytes', 'messages'],
  sem: ['key', 'semid', 'owner', 'perms', 'nsems'],
};

/** `ipcs -s -i ID`: one line per semaphore. */
export const SEMNUM_COLUMNS = ['semnum', 'value', 'ncount', 'zcount', 'pid'];

export interface IpcsRow {
  /** Stable across frames: the object id, with "#n" for a semaphore's line. */
  id: string;
  cells: Record<string, string>;
  /** Lines of one semaphore under its set. */
  sub?: boolean;
}

/* as ipcs prints them: key in 0x%08x, perms in octal */
const keyHex = (key: number): string => `0x${(key >>> 0).toString(16).padStart(8, '0')}`;
const perms = (mode: number): string => (mode & 0o777).toString(8);

function shmRow(o: ShmObject): IpcsRow {
  return {
    id: o.id,
    cells: { key: keyHex(o.key), shmid: String(o.shmid), owner: o.ownerName ?? String(o.owner), perms: perms(o.mode), bytes: String(o.size), nattch: String(o.nattch), status: o.markedForDeletion ? 'dest' : '' },
  };
}

function msgRow(o: MsgQueueObject): IpcsRow {
  return {
    id: o.id,
    cells: { key: keyHex(o.key), msqid: String(o.msqid), owner: o.ownerName ?? String(o.owner), perms: perms(o.mode), 'used-bytes': String(o.bytes), messages: String(o.messages) },
  };
}

function semRows(o: SemSetObject): IpcsRow[] {
  return [
    { id: o.id, cells: { key: keyHex(o.key), semid: String(o.semid), owner: o.ownerName ?? String(o.owner), perms: perms(o.mode), nsems: String(o.semaphores.length) } },
    ...o.semaphores.map((s, num) => ({
      id: `${o.id}#${num}`,
      sub: true,
      cells: { semnum: String(num), value: String(s.value), ncount: String(s.waitingForIncrease), zcount: String(s.waitingForZero), pid: String(s.lastPid) },
    })),
  ];
}

/** The three tables, rows sorted by id number as ipcs lists them. */
export function ipcsTables(objects: readonly IpcObject[]): Record<IpcsTable, IpcsRow[]> {
  const byNumber = <T extends { id: string }>(list: T[]): T[] => [...list].sort((a, b) => Number(a.id.split(':')[1]) - Number(b.id.split(':')[1]));
  return {
    shm: byNumber(objects.filter((o): o is ShmObject => o.kind === 'shm')).map(shmRow),
    msg: byNumber(objects.filter((o): o is MsgQueueObject => o.kind === 'msg')).map(msgRow),
    sem: byNumber(objects.filter((o): o is SemSetObject => o.kind === 'sem')).flatMap(semRows),
  };
}

/** "rowId/column" of one cell. */
export const cellKey = (rowId: string, column: string): string => `${rowId}/${column}`;

/**
 * Remembers each cell's value and when it last changed (animation-clock
 * time). The first frame seen sets the baseline: nothing is "changed" just
 * because the panel opened. A row that appears later counts as changed.
 */
export class CellChanges {
  private values: Map<string, string> | null = null;
  private readonly changedAt = new Map<string, number>();
  private lastSeq: number | null = null;

  update(seq: number, tables: Record<IpcsTable, IpcsRow[]>, now: number): ReadonlyMap<string, number> {
    if (seq === this.lastSeq) return this.changedAt;
    this.lastSeq = seq;
    const next = new Map<string, string>();
    for (const rows of Object.values(tables)) for (const row of rows) for (const [column, value] of Object.entries(row.cells)) next.set(cellKey(row.id, column), value);
    if (this.values) for (const [key, value] of next) if (this.values.get(key) !== value) this.changedAt.set(key, now);
    for (const key of this.changedAt.keys()) if (!next.has(key)) this.changedAt.delete(key);
    this.values = next;
    return this.changedAt;
  }
}
