/**
 * `ipcscope run [--web] -- COMMAND [ARGS...]`: starts the command as a child
 * of ipcscope (its own process group) and observes it and its descendants
 * (tree scope) from the moment spawn() returns until it exits.
 *
 * Without --web the changes are printed like `ipcscope watch`, on stderr:
 * stdout belongs to the command. Once it exits, the last snapshot taken
 * while it was alive is printed with its exit status, and ipcscope exits
 * with the command's status (128 + N for signal N). With --web the browser
 * mode observes it and keeps its last frame, with the status, until Ctrl+C.
 * Ctrl+C sends SIGINT to the command's whole group (SIGKILL after 2 s);
 * processes the command leaves in its group are killed once it exits.
 */
import type { ExitStatus } from '../model/frame-types';
import type { Snapshot } from '../model/snapshot-types';
import { Sampler, WATCH_SAMPLER_OPTIONS } from '../probe/index';
import { formatTable } from './format-table';
import type { RunArgs } from './run-args';
import { RunChild, describeExit, exitCodeOf } from './run-child';
import { escapeText } from './safe-text';
import { describeBlocked } from './describe';
import { diffSnapshots, type Change, type DiffOptions } from './snapshot-diff';

function clock(time: number): string {
  const date = new Date(time);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

const say = (text: string): void => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

/** The command as a shell would take it back: words with anything unusual in single quotes. */
export function quoteCommand(words: string[]): string {
  return escapeText(words.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' '));
}

/**
 * The changes from `before` to `after`, and for a process that appeared
 * already asleep on an object (it may have blocked between two samples),
 * that too: watch's diff only tells a block that starts after a process was seen.
 */
function changesBetween(before: Snapshot, after: Snapshot, options: DiffOptions): Change[] {
  const changes: Change[] = [];
  for (const change of diffSnapshots(before, after, options)) {
    changes.push(change);
    const process = change.kind === 'process.appeared' ? after.processes.find((p) => p.pid === change.pid) : undefined;
    if (process?.blocked?.object) {
      const to = describeBlocked(process.blocked);
      const text = `pid ${process.pid} (${escapeText(process.comm)}) blocked in ${to}`;
      changes.push({ time: change.time, kind: 'process.blocked', pid: process.pid, from: null, to, object: process.blocked.object, text });
    }
  }
  return changes;
}

const EMPTY: Snapshot = { takenAt: 0, durationMs: 0, processes: [], objects: [], problems: [] };

export async function runRun(args: RunArgs): Promise<number> {
  if (args.web) return runWithWeb(args);
  const name = quoteCommand(args.command);
  /* made (and the probe loaded) before the command starts, so the first sample follows spawn() at once */
  /* no peeking (it would make us a holder), /proc/PID/io for the traffic between samples */
  const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readMaps: true, readSignals: false, readIo: true });
  /*
   * Ctrl+C is ours from before the command starts: until a listener is in
   * place Node's default action kills ipcscope and leaves the command running.
   * A signal that comes before the command has a PID is applied once it has.
   */
  let started: RunChild | null = null;
  let pending: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (started === null) {
      pending = signal;
      return;
    }
    say(`ipcscope: ${signal}, stopping ${name} (process group ${started.pid})`);
    void started.stop(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const unlisten = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  let child: RunChild;
  try {
    child = await RunChild.start(args.command);
  } catch (error) {
    unlisten();
    sampler.close();
    throw error;
  }
  started = child;
  const scope = { pids: [child.pid], tree: true };
  const diffOptions: DiffOptions = { observer: process.pid };
  say(`ipcscope: running ${name} (pid ${child.pid}), watching it and its descendants at ${args.rateHz} Hz (Ctrl-C stops it)`);
  let previous: Snapshot = EMPTY;
  /* the last snapshot in which the command itself was alive */
  let lastAlive: Snapshot = EMPTY;

  const print = (next: Snapshot): void => {
    const changes = changesBetween(previous, next, diffOptions);
    const lines = changes.map((change) => (args.json ? JSON.stringify(change) : `${clock(change.time)}  ${change.text}`));
    if (lines.length > 0) say(lines.join('\n'));
    previous = next;
    if (next.processes.some((p) => p.pid === child.pid)) lastAlive = next;
  };
  /* its first instant: everything is new */
  print(sampler.sample(scope));
  const timer = setInterval(() => {
    try {
      print(sampler.sample(scope));
    } catch (error) {
      say(`ipcscope: sampling failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, 1000 / args.rateHz);

  if (pending !== null) onSignal(pending);
  let status: ExitStatus;
  try {
    status = await child.exited;
    clearInterval(timer);
    /* the exit itself (and any descendant gone with it), then the last state seen alive */
    print(sampler.sample(scope));
    const left = await child.killLeftovers();
    if (left > 0) say(`ipcscope: killed ${left} process${left === 1 ? '' : 'es'} the command left in its process group`);
  } finally {
    clearInterval(timer);
    unlisten();
    sampler.close();
  }
  if (args.json) say(JSON.stringify({ kind: 'run.exited', pid: child.pid, ...status, last: lastAlive }));
  else say(`ipcscope: last state seen while ${name} (pid ${child.pid}) ran:\n${formatTable(lastAlive).trimEnd()}`);
  say(`ipcscope: ${name} (pid ${child.pid}) ${describeExit(status)}`);
  return exitCodeOf(status);
}

async function runWithWeb(args: RunArgs): Promise<number> {
  const { serveWeb } = await import('../web/web-command');
  const { parseWebOptions } = await import('../web/web-options');
  const options = parseWebOptions(args.webArgs);
  const name = quoteCommand(args.command);
  let child: RunChild | null = null;
  let status: ExitStatus | null = null;
  let stopping = false;
  return serveWeb(options, {
    /* only once the server listens: a build or a busy port never runs while the command's first instants go by */
    serving: async (session) => {
      if (stopping) return null;
      let started: RunChild;
      try {
        started = await RunChild.start(args.command);
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
      child = started;
      /* Ctrl+C came while it was being started: onStop found no command to stop */
      if (stopping) {
        status = await started.stop('SIGINT');
        return null;
      }
      /*
       * Sample from the first instant even while no browser is connected: the
       * session keeps its last snapshot only from frames it made, and a short
       * command may be over before anyone opens the page.
       */
      session.onFrame(() => undefined);
      const result = await session.handle({ type: 'observe', pids: [started.pid], tree: true });
      void started.exited.then(async (exit) => {
        status = exit;
        session.markObservedExit(exit);
        const left = await started.killLeftovers();
        if (left > 0) say(`ipcscope: killed ${left} process${left === 1 ? '' : 'es'} the command left in its process group`);
        say(`ipcscope: ${name} (pid ${started.pid}) ${describeExit(exit)}; its last frame stays on screen (Ctrl-C to quit)`);
      });
      if (!result.ok) return result.error;
      say(`ipcscope: running ${name} (pid ${started.pid}), observed in the browser mode`);
      return null;
    },
    onStop: async () => {
      stopping = true;
      if (child) status = await child.stop('SIGINT');
    },
    exitCode: () => (status ? exitCodeOf(status) : 0),
  });
}
