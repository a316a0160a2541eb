/**
 * `ipcscope help` and `--version`. Kept free of heavy imports: printing help
 * must not load koffi or the probe.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';
import { PEEK_DEFAULT, PEEK_MAX, WATCH_RATE_DEFAULT, WATCH_RATE_MAX, WATCH_RATE_MIN } from './args';

const OVERVIEW = `ipcscope - Linux inter-process communication as it really happens

Usage:
  ipcscope snapshot [--pid PID[,PID...]] [--tree] [--all] [--json | --dot] [--peek N] [--no-maps]
  ipcscope watch    [--pid PID[,PID...] [--tree] | --all] [--rate HZ] [--json]
  ipcscope web      [options]       browser mode (see: ipcscope web --help)
  ipcscope run      [--web] [--rate HZ] [--json] -- COMMAND [ARGS...]
  ipcscope help [COMMAND]
  ipcscope --version

Every process shown is a real OS process and every number is read from the
kernel (/proc, fdinfo, sock_diag, System V IPC_STAT).`;

const SNAPSHOT = `ipcscope snapshot: one observation of processes and the IPC objects they reach

Options:
  --pid, -p PID[,PID...]  only these processes (repeatable); default: the whole machine
  --tree                  with --pid: include every descendant
  --all, -a               the whole machine (the default); unreadable processes are
                          listed with the reason instead of failing
  --json                  print exactly one JSON document (the Snapshot contract of
                          native-bridge/model/snapshot-types.ts) and nothing else
  --dot                   print a Graphviz digraph (pipe it to: dot -Tsvg > ipc.svg)
  --peek N                copy up to N queued bytes per object without consuming
                          them (0 to ${PEEK_MAX}, default ${PEEK_DEFAULT}; 0 turns peeking off)
  --no-maps               skip /proc/PID/maps (faster; shm attachers are then unknown)

The table ends with DIAGNOSES (--json: "diagnoses"): deadlocks, readers that will
never see EOF, writers stuck behind sleeping readers, orphaned System V objects,
listeners whose backlog is full, each with the kernel's evidence; and readers
or writers asleep on a pipe whose only open other end is in a process the view
does not show (not called stuck: that process may still act or close it).

A pipe's readers and writers count the holders listed; "0+" means none is
listed but the kernel has such an end open elsewhere (another PID namespace, a
table not readable, a descriptor in flight in a socket), "0?" that this is not
known (--json: hiddenReaders, hiddenWriters).

Exit status: 0 ok, 1 a process is missing or unreadable, 2 malformed arguments.`;

const WATCH = `ipcscope watch: print changes as they happen, one line each

Options:
  --pid, -p PID[,PID...]  only these processes; default: the whole machine
  --tree                  with --pid: follow descendants as they appear
  --all, -a               the whole machine (the default)
  --rate HZ               samples per second, ${WATCH_RATE_MIN} to ${WATCH_RATE_MAX} (default ${WATCH_RATE_DEFAULT})
  --json                  one JSON object per line

Changes: processes appearing/exiting, stopping or resuming, blocking on an
object or leaving it (not every flip between running and sleeping),
descriptors opened/closed, objects appearing, removed or leaving the watched
processes, queued bytes, capacity, readers and writers, peers, pending
connections, a pipe end open in a process this view does not show coming or
going (the last one closing: readers see EOF, writers get EPIPE; --json:
object.hiddenWriters, object.hiddenReaders, and "hidden" when readers or
writers fall to 0), nattch, messages, semaphore values, and the bytes each process
read or wrote since the last sample (/proc/PID/io, counted by the kernel even
when no sample saw them queued): given to an object only when the process had
one descriptor able to carry them, else for the whole process.
Names are printed with C escapes (\\n, \\x1b); --json keeps them exact.
Ctrl-C stops cleanly. With --pid (no --tree) it also stops once every watched
process has exited.`;

const RUN = `ipcscope run: start a command and watch it and its descendants until it exits

Usage: ipcscope run [options] -- COMMAND [ARGS...]

The command runs as a child of ipcscope, in its own process group, with
ipcscope's stdin, stdout and stderr; changes are printed as by watch, on
stderr (stdout is the command's). When it exits, the last state seen while it
ran is printed with its exit status, and ipcscope exits with the command's
status (128 + N when signal N killed it). Processes it left in its process
group are killed. Ctrl-C sends SIGINT to the group (SIGKILL 2 s later).
Being in its own group, a command reading from the terminal is stopped
(SIGTTIN): give it its input through a pipe or a file.

Options:
  --rate HZ      samples per second, ${WATCH_RATE_MIN} to ${WATCH_RATE_MAX} (default ${WATCH_RATE_DEFAULT})
  --json         one JSON object per change; at the end {"kind":"run.exited",...}
  --web          observe it in the browser mode instead (its last frame stays on
                 screen with the exit status until Ctrl-C)
  --port N, --no-build   with --web: as for ipcscope web`;

const HELP_TEXT: Record<string, string> = { overview: OVERVIEW, snapshot: SNAPSHOT, watch: WATCH, run: RUN };

export function helpFor(topic: string | undefined): string | null {
  if (topic === undefined) return `${OVERVIEW}\n\nRun "ipcscope help snapshot" or "ipcscope help watch" for their options.`;
  return HELP_TEXT[topic] ?? null;
}

export function packageVersion(): string {
  const text = readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8');
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') {
    return parsed.version;
  }
  return 'unknown';
}
