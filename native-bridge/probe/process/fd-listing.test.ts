/**
 * The syscall shortcuts of whole-machine scans against the full loops they
 * replace, on processes the test starts: descriptor tables read by probing
 * numbers, getdents64 stopped by the end mark procfs leaves in d_off, and
 * single-record /proc files taken from one read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { native } from '../../libc/libc';
import { listOpenDirectory, openDirectory, readFileAt, readSmallFile } from './fast-fs';
import { fdListingEnd, isIpcCandidate, readFdTable, trustShortFdListings } from './fd-table';
import { listAllPids, procListingEnd } from '../scope';

const children: ChildProcess[] = [];

/**
 * A perl process holding `pipes` pipes (both ends) and `files` /dev/null
 * descriptors, with every `gapEvery`-th descriptor closed again (0: none);
 * it prints "ready" and sleeps.
 */
async function holder(pipes: number, files: number, gapEvery: number): Promise<number> {
  const script = `
    my @keep;
    for (1..${pipes}) { pipe(my $r, my $w) or die "pipe: $!"; push @keep, $r, $w; }
    for (1..${files}) { open(my $f, '<', '/dev/null') or die "open: $!"; push @keep, $f; }
    if (${gapEvery} > 0) { for (my $i = 0; $i < @keep; $i += ${gapEvery}) { close($keep[$i]); } }
    $| = 1; print "ready\\n"; sleep 120;`;
  const child = spawn('perl', ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`perl exited early (${code})`)));
  });
  await until(() => readFileSync(`/proc/${child.pid}/wchan`, 'latin1') === 'hrtimer_nanosleep');
  return child.pid!;
}

async function until(check: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Reads a directory to the end with `end`, then proves the next getdents64 finds nothing more. */
/** Lists with the end mark; `fired`: the mark was seen, so the last getdents64 (the one returning 0) was spared. */
function listedWithEnd(path: string, end: (offset: number) => boolean): { names: string[]; after: string[]; fired: boolean } {
  const fd = openDirectory(path);
  expect(fd).toBeGreaterThanOrEqual(0);
  let fired = false;
  try {
    const names = listOpenDirectory(fd, (offset) => (fired ||= end(offset)));
    return { names, after: listOpenDirectory(fd), fired };
  } finally {
    native.close(fd);
  }
}

let dense = 0;
let sparse = 0;

beforeAll(async () => {
  dense = await holder(1000, 1000, 0);
  sparse = await holder(1000, 1000, 97);
});

afterAll(async () => {
  trustShortFdListings(false);
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }
});

describe('whole-machine scan shortcuts give what the full loops give', () => {
  it('reads a table of 3000 descriptors by probing numbers, dense or with gaps', () => {
    for (const pid of [dense, sparse]) {
      const names = readdirNumbers(pid);
      expect(names.length).toBeGreaterThan(1900);
      const probed = readFdTable(pid, true);
      const listed = readFdTable(pid, false);
      expect(probed.error).toBeUndefined();
      expect(probed.fds).toEqual(listed.fds.filter(isIpcCandidate));
      // the kernel's own view: every pipe and socket (the "ready" channel) descriptor
      const ipc = names.filter((fd) => /^(pipe|socket):\[/.test(readlinkSync(`/proc/${pid}/fd/${fd}`)));
      expect(probed.fds.map((f) => f.fd)).toEqual(ipc);
    }
  });

  it('stops listing a descriptor directory at the end mark only when it is exhausted', () => {
    trustShortFdListings(true);
    try {
      for (const pid of [dense, sparse]) {
        const { names, after, fired } = listedWithEnd(`/proc/${pid}/fd`, fdListingEnd);
        expect(fired).toBe(true);
        expect(after).toEqual([]);
        expect(names.map(Number).sort((a, b) => a - b)).toEqual(readdirNumbers(pid));
        expect(readFdTable(pid, true).fds).toEqual(readFdTable(pid, false).fds.filter(isIpcCandidate));
      }
    } finally {
      trustShortFdListings(false);
    }
  });

  it('stops listing /proc at its end mark only when every process was listed', () => {
    const { names, after, fired } = listedWithEnd('/proc', procListingEnd);
    expect(fired).toBe(true);
    expect(after).toEqual([]);
    const pids = names.filter((n) => /^\d+$/.test(n)).map(Number);
    expect(pids).toEqual(expect.arrayContaining([process.pid, dense, sparse]));
    expect(listAllPids()).toEqual(expect.arrayContaining([process.pid, dense, sparse]));
  });

  it('takes single-record /proc files from one read, and still reads multi-page ones to the end', () => {
    const dir = openDirectory(`/proc/${dense}`);
    try {
      for (const name of ['stat', 'status', 'wchan', 'syscall']) {
        expect(readFileAt(dir, name)).toBe(readFileSync(`/proc/${dense}/${name}`, 'latin1'));
      }
    } finally {
      native.close(dir);
    }
    // smaps comes one kernel page (~4 KB) per read: a short read there is not the end
    const smaps = readFileSync(`/proc/${dense}/smaps`, 'latin1');
    expect(smaps.length).toBeGreaterThan(8192);
    // Pss and the like move while other processes map or unmap the same libraries: compare the
    // mappings and every field name, with the numbers of the field lines masked
    const shape = (text: string | null): string => (text ?? '').replace(/^([A-Za-z_]+:\s+)\d+/gm, '$1#');
    expect(shape(readSmallFile(`/proc/${dense}/smaps`))).toBe(shape(smaps));
  });
});

/** The descriptor numbers as node:fs lists them (readdir loops until getdents64 returns 0). */
function readdirNumbers(pid: number): number[] {
  return readdirSync(`/proc/${pid}/fd`).map(Number).sort((a, b) => a - b);
}
