import type { SignalSet } from '../../../native-bridge/model/snapshot-types';
import type { StringKey, Translate } from '../../i18n/strings';
import type { TimelineEntry } from '../../store/timeline-slice';
import { NODE_HEIGHT, type PlacedProcess, type Point } from '../layout';
import type { Palette } from '../palette';
import { marksAnchor, marksWanted, SignalMarks } from '../signal-marks';

/* x86_64 numbering, signal(7): the names /proc's masks are decoded to */
const NAMES =
  'HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS'.split(
    ' ',
  );

export function signalNameOf(n: number): string {
  return n >= 1 && n <= NAMES.length ? `SIG${NAMES[n - 1]}` : `SIG${n}`;
}

/** What the kernel shows of a signal in the receiver once kill returned: held pending, caught by a handler, or the default action (the receiver is gone). */
export type Landing = 'held' | 'handled' | 'killed';

export interface SignalFlight {
  key: string;
  signal: string;
  from: number;
  to: number;
  landing: Landing;
  start: number;
}

/** kill(PID, SIG) as event-text.ts writes it. */
const KILL = /^kill\((\d+), (\d+)\)/;

/**
 * One flight per kill() that returned 0 between two processes of the
 * picture, and one SIGCHLD from a process whose exit the log shows to its
 * parent (the kernel sends it), each only when the frame shows its effect on
 * the receiver: the signal pending (SigPnd/ShdPnd), or a handler for it
 * (SigCgt), or, for kill, the receiver gone (its default action).
 */
export function scheduleSignalFlights(entries: readonly TimelineEntry[], placed: readonly PlacedProcess[]): SignalFlight[] {
  const byPid = new Map(placed.map((p) => [p.pid, p]));
  const flights: SignalFlight[] = [];
  for (const { event, receivedAt } of entries) {
    if (event.syscall === 'exit' && event.phase === 'return') {
      /* a zombie in the frame still names its parent */
      const parent = byPid.get(byPid.get(event.pid)?.process?.ppid ?? -1);
      const landing = parent?.process ? landingOf('SIGCHLD', parent.process.signals, false) : null;
      if (parent && landing)
        flights.push({
          key: `${event.seq}`,
          signal: 'SIGCHLD',
          from: event.pid,
          to: parent.pid,
          landing,
          start: receivedAt,
        });
      continue;
    }
    if (event.syscall !== 'kill' || event.phase !== 'return' || event.result !== 0) continue;
    const match = KILL.exec(event.text);
    if (!match) continue;
    const to = Number(match[1]);
    const signal = signalNameOf(Number(match[2]));
    const receiver = byPid.get(to);
    if (!byPid.has(event.pid) || !receiver) continue;
    const landing = landingOf(signal, receiver.process?.signals, receiver.process === null);
    if (landing)
      flights.push({
        key: `${event.seq}`,
        signal,
        from: event.pid,
        to,
        landing,
        start: receivedAt,
      });
  }
  return flights;
}

export function landingOf(signal: string, signals: SignalSet | undefined, gone: boolean): Landing | null {
  if (gone) return 'killed';
  if (!signals) return null;
  if (signals.pending.includes(signal) || signals.sharedPending.includes(signal)) return 'held';
  if (signals.caught.includes(signal)) return 'handled';
  return null;
}

/** A flight is drawn for one duration, then its landing word stays for one more. */
export function signalFlightsPending(flights: readonly SignalFlight[], now: number, durationMs: number): boolean {
  return flights.some((f) => now <= f.start + 2 * durationMs);
}

function arcPoint(from: Point, to: Point, t: number): Point {
  /* over the top of the picture, between the nodes: a quadratic curve */
  const control = { x: (from.x + to.x) / 2, y: Math.min(from.y, to.y) - 70 };
  const u = 1 - t;
  return {
    x: u * u * from.x + 2 * u * t * control.x + t * t * to.x,
    y: u * u * from.y + 2 * u * t * control.y + t * t * to.y,
  };
}

const LANDING_WORD: Record<Landing, StringKey> = {
  held: 'sigHeld',
  handled: 'sigHandled',
  killed: 'sigKilled',
};

interface Props {
  placed: readonly PlacedProcess[];
  flights: readonly SignalFlight[];
  lessonId: string | null;
  now: number;
  durationMs: number;
  palette: Palette;
  t: Translate;
}

/** Whether any process of the picture gets signal marks (the edge legend then moves out of their way). */
export function anyMarks(placed: readonly PlacedProcess[], lessonId: string | null): boolean {
  return placed.some((p) => marksWanted(lessonId, p.process?.signals));
}

/** Every process's signal marks, and the signals in flight between them. */
export function SignalLayer({ placed, flights, lessonId, now, durationMs, palette, t }: Props) {
  const s = palette.scale;
  const byPid = new Map(placed.map((p) => [p.pid, p]));
  return (
    <g data-testid="signal-layer">
      {placed.map((p) =>
        p.process?.signals && marksWanted(lessonId, p.process.signals) ? (
          <SignalMarks key={p.pid} placed={p} signals={p.process.signals} palette={palette} t={t} />
        ) : null,
      )}
      {flights.map((flight) => {
        const phase = (now - flight.start) / durationMs;
        const sender = byPid.get(flight.from);
        const receiver = byPid.get(flight.to);
        if (phase < 0 || phase > 2 || !sender || !receiver) return null;
        const from = { x: sender.x, y: sender.y - NODE_HEIGHT / 2 };
        const to = marksAnchor(receiver, s, t);
        const at = arcPoint(from, to, Math.min(1, phase));
        const label = flight.signal.replace(/^SIG/, '');
        const width = (label.length * 8.4 + 20) * s;
        const color = flight.landing === 'held' ? palette.blocked : flight.landing === 'killed' ? palette.eof : palette.running;
        return (
          <g key={flight.key} data-testid={`signal-flight-${flight.key}`} data-landing={flight.landing}>
            {phase < 1 && (
              <g transform={`translate(${at.x},${at.y})`}>
                <rect x={-width / 2} y={-13 * s} width={width} height={26 * s} rx={13 * s} fill={color} />
                <text y={5 * s} textAnchor="middle" fill={palette.flightText} fontFamily={palette.mono} fontSize={13 * s} fontWeight={700}>
                  {label}
                </text>
              </g>
            )}
            {phase >= 1 && (
              /* landed: the mark itself is the frame's; this says what became of the signal, beside it */
              <text
                x={to.x + 30 * s}
                y={to.y + 5 * s}
                textAnchor="start"
                fill={color}
                fontFamily={palette.font}
                fontSize={13 * s}
                fontWeight={700}
                data-testid={`signal-landing-${flight.key}`}
              >
                {t(LANDING_WORD[flight.landing])}
              </text>
            )}
          </g>
        );
      })}
    </g>
  );
}
