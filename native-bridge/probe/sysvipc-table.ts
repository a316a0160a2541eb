/**
 * Reads /proc/sysvipc/{shm,msg,sem}: one row per object, columns named by the
 * header line (KERNEL-FACTS "System V": key is in decimal, perms in octal).
 * Readable by every user, unlike IPC_STAT, so it is the list of record.
 */
import { readSmallFile } from './fast-fs';

export type SysvTable = 'shm' | 'msg' | 'sem';

/** One row: column name -> number (perms decoded from octal). */
export type SysvRow = Record<string, number>;

export function parseSysvTable(text: string): SysvRow[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines.shift()?.trim().split(/\s+/) ?? [];
  return lines.map((line) => {
    const cells = line.trim().split(/\s+/);
    const row: SysvRow = {};
    header.forEach((name, i) => {
      const cell = cells[i] ?? '0';
      row[name] = name === 'perms' ? parseInt(cell, 8) : Number(cell);
    });
    return row;
  });
}

export function readSysvTable(table: SysvTable): SysvRow[] {
  const text = readSmallFile(`/proc/sysvipc/${table}`);
  return text === null ? [] : parseSysvTable(text);
}

/** The column, or 0 when absent (older kernels lack rss/swap). */
export function col(row: SysvRow, name: string): number {
  return row[name] ?? 0;
}
