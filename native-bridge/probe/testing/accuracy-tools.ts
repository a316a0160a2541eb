/**
 * Test support for accuracy.test.ts: what the usual tools say about the same
 * state, parsed independently of the probe: `lsof -F` field output,
 * `ipcs`, and /proc/sysvipc/*.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Access } from '../../model/snapshot-types';

/** One descriptor as `lsof -n +E -F pfatin` lists it. */
export interface LsofFile {
  pid: number;
  /** Descriptor number, or null for cwd/txt/mem/... */
  fd: number | null;
  /** r, w, u (read and write) or ' ' */
  access: string;
  /** FIFO (pipes and named FIFOs), unix, REG, ... */
  type: string;
  inode: number | null;
  name: string;
}

/**
 * `lsof -n +E -F pfatin -p PIDS`: with +E, lsof also lists the descriptors of
 * other processes at the far end of a pipe or Unix socket (its "endpoints").
 * Field output: one field per line, the first character names it
 * (p pid, f fd, a access, t type, i inode, n name); a p or f line starts a record.
 */
export function lsofFiles(pids: number[]): LsofFile[] {
  /* lsof exits 1 when some selection found nothing; the output is what counts */
  const run = spawnSync('lsof', ['-n', '+E', '-F', 'pfatin', '-p', pids.join(',')], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  return parseLsofFields(run.stdout);
}

function parseLsofFields(text: string): LsofFile[] {
  const files: LsofFile[] = [];
  let pid = 0;
  let current: LsofFile | null = null;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const field = line[0];
    const value = line.slice(1);
    if (field === 'p') {
      pid = Number(value);
      current = null;
    } else if (field === 'f') {
      current = { pid, fd: /^\d+$/.test(value) ? Number(value) : null, access: ' ', type: '', inode: null, name: '' };
      files.push(current);
    } else if (current) {
      if (field === 'a') current.access = value;
      else if (field === 't') current.type = value;
      else if (field === 'i') current.inode = /^\d+$/.test(value) ? Number(value) : null;
      else if (field === 'n') current.name = value;
    }
  }
  return files;
}

/** lsof's access letter in the snapshot's words: u is read+write. */
export function lsofAccess(letter: string): Access | null {
  if (letter === 'r') return 'r';
  if (letter === 'w') return 'w';
  if (letter === 'u') return 'rw';
  return null;
}

/** The snapshot's object id for an lsof pipe/FIFO/unix record; null for other files. */
export function lsofObjectId(file: LsofFile): string | null {
  if (file.fd === null || file.inode === null) return null;
  if (file.type === 'FIFO') return file.name.startsWith('pipe') ? `pipe:${file.inode}` : `fifo:${file.inode}`;
  if (file.type === 'unix') return `unix:${file.inode}`;
  return null;
}

/** `ipcs -m|-q|-s` rows, keyed by id (second column): the other columns as printed. */
export function ipcsTable(kind: 'm' | 'q' | 's'): Map<number, string[]> {
  const rows = new Map<number, string[]>();
  for (const line of execFileSync('ipcs', [`-${kind}`], { encoding: 'utf8' }).split('\n')) {
    const cells = line.trim().split(/\s+/);
    /* data rows start with the key in hex: 0x0000162e */
    if (!/^0x[0-9a-f]+$/i.test(cells[0] ?? '')) continue;
    rows.set(Number(cells[1]), cells);
  }
  return rows;
}

/** `ipcs -s -i SEMID`: semnum value ncount zcount pid, one row per semaphore. */
export function ipcsSemaphores(semid: number): { value: number; ncount: number; zcount: number; pid: number }[] {
  const out: { value: number; ncount: number; zcount: number; pid: number }[] = [];
  let inTable = false;
  for (const line of execFileSync('ipcs', ['-s', '-i', String(semid)], { encoding: 'utf8' }).split('\n')) {
    const cells = line.trim().split(/\s+/);
    if (cells[0] === 'semnum') {
      inTable = true;
      continue;
    }
    if (!inTable || cells.length < 5 || !/^\d+$/.test(cells[0]!)) continue;
    out.push({ value: Number(cells[1]), ncount: Number(cells[2]), zcount: Number(cells[3]), pid: Number(cells[4]) });
  }
  return out;
}

/** One row of /proc/sysvipc/{shm,msg,sem} as column name -> raw text. */
export function sysvipcRow(table: 'shm' | 'msg' | 'sem', idColumn: string, id: number): Record<string, string> | null {
  const lines = readFileSync(`/proc/sysvipc/${table}`, 'latin1').split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]!.trim().split(/\s+/);
  for (const line of lines.slice(1)) {
    const cells = line.trim().split(/\s+/);
    const row = Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
    if (Number(row[idColumn]) === id) return row;
  }
  return null;
}
