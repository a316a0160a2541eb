import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SyscallEvent } from '../../native-bridge/model/frame-types';
import { eventShort } from '../format/kernel-words';
import { useT } from '../i18n/use-t';
import { useAppStore } from '../store/app-store';
import { selectLecture, selectLocale, selectSelection, selectShowAll, selectTheme } from '../store/selectors';
import { animationClock } from '../clock/animation-clock';
import { ByteFlights, FLIGHT_MS, recentEntries } from './motion/byte-flight';
import { flightsPending, ringBytes, scheduleFlights } from './motion/flight-schedule';
import { EdgeLegend, EdgeMarkers, FdEdge } from './fd-edge';
import { DiagnosisMarks, selectDiagnoses, useFdMarks } from './diagnosis-marks';
import { GoneLines } from './gone-lines';
import { layoutPicture, VIEW_WIDTH } from './layout';
import { ObjectGlyph } from './glyphs/object-glyph';
import { paletteFor } from './palette';
import { ProcessNode } from './process-node';
import { anyMarks, scheduleSignalFlights, signalFlightsPending, SignalLayer } from './motion/signal-flight';
import { useAnimationTime, usePictureFrame } from './motion/use-picture-clock';
import { TrafficLayer } from '../observe/traffic-layer';

export const PICTURE_SVG_ID = 'ipc-picture';

/** Each process's latest syscall, newest wins. */
function lastCalls(events: { event: SyscallEvent }[]): Map<number, SyscallEvent> {
  const last = new Map<number, SyscallEvent>();
  for (const { event } of events) last.set(event.pid, event);
  return last;
}

/** The live picture: processes, their descriptors, the kernel objects, bytes in flight. */
export function Picture() {
  const { frame, events } = usePictureFrame();
  const t = useT();
  const { theme, lecture, showAll, selection } = useAppStore(
    useShallow((s) => ({ theme: selectTheme(s), lecture: selectLecture(s), showAll: selectShowAll(s), selection: selectSelection(s) })),
  );
  const select = useAppStore((s) => s.select);
  const locale = useAppStore(selectLocale);
  // the lesson's focus marks, then each forgotten descriptor a diagnosis points at
  const focusMarks = useFdMarks();
  const diagnoses = useAppStore(selectDiagnoses);
  const palette = paletteFor(theme, lecture);
  const layout = useMemo(() => (frame ? layoutPicture(frame, showAll, palette.scale) : null), [frame, showAll, palette.scale]);
  const calls = useMemo(() => lastCalls(events), [events]);
  const duration = FLIGHT_MS / Math.max(0.1, frame?.lesson?.speed ?? 1);
  const edges = layout?.edges;
  const scheduled = useMemo(() => scheduleFlights(recentEntries(events, animationClock().now(), duration), edges ?? [], duration), [events, edges, duration]);
  const signalFlights = useMemo(
    () => (layout ? scheduleSignalFlights(events.filter((e) => animationClock().now() - e.receivedAt < 3 * duration), layout.processes) : []),
    [events, layout, duration],
  );
  // The clock ticks (re-renders) only while some bytes or signals are still to leave or land; each render reads the time afresh.
  useAnimationTime(flightsPending(scheduled, animationClock().now(), duration) || signalFlightsPending(signalFlights, animationClock().now(), duration));
  const now = animationClock().now();

  if (!frame || !layout) {
    return (
      <div className="picture-empty" data-testid="picture-waiting">
        {t('waitingForFrame')}
      </div>
    );
  }
  const { shownIds } = layout;
  const VIEW_HEIGHT = layout.height;
  // Lesson objects the kernel no longer reports (a pipe freed when its last holder closed it).
  const gone = (frame.lesson?.objects ?? []).filter((id) => !shownIds.has(id));
  const lesson = frame.lesson;
  const ringBytesNow = (objectId: string, queued: number) => ringBytes(objectId, queued, scheduled, now, duration);
  return (
    <svg
      id={PICTURE_SVG_ID}
      data-testid="picture"
      data-frame-seq={frame.seq}
      viewBox={`0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}`}
      xmlns="http://www.w3.org/2000/svg"
      role="img"
      aria-label={lesson ? lesson.title[locale] : 'ipcscope'}
      style={{ width: '100%', height: '100%', background: palette.background }}
    >
      <rect width={VIEW_WIDTH} height={VIEW_HEIGHT} fill={palette.background} />
      <EdgeMarkers palette={palette} />
      <DiagnosisMarks layout={layout} diagnoses={diagnoses} palette={palette} t={t} layer="under" />
      {layout.objects.length === 0 && gone.length === 0 && (
        <text x={VIEW_WIDTH / 2} y={VIEW_HEIGHT / 2 - 20} textAnchor="middle" fill={palette.muted} fontFamily={palette.font} fontSize={16 * palette.scale}>
          {t('noObjects')}
        </text>
      )}
      <GoneLines gone={gone} processes={layout.processes} height={VIEW_HEIGHT} palette={palette} t={t} />
      <TrafficLayer layout={layout} palette={palette} t={t} layer="under" />
      <g data-testid="edges">
        {layout.edges.map((edge) => (
          <FdEdge key={edge.id} edge={edge} palette={palette} focusMark={focusMarks.get(`${edge.holder.pid}:${edge.holder.fd}`) ?? null} />
        ))}
      </g>
      {layout.objects.map(({ object, x, y }) => (
        <ObjectGlyph
          key={object.id}
          object={object}
          x={x}
          y={y}
          placed={layout.processes}
          frameObjects={frame.objects}
          ringBytes={ringBytesNow}
          palette={palette}
          t={t}
          selected={selection === object.id}
          onSelect={select}
        />
      ))}
      {layout.processes.map((placed) => {
        const last = calls.get(placed.pid) ?? null;
        return (
          <ProcessNode
            key={placed.pid}
            placed={placed}
            palette={palette}
            t={t}
            selected={selection === `process:${placed.pid}`}
            lastCall={last ? eventShort(last, t) : null}
            lastCallIsEof={!!last && last.syscall === 'read' && last.phase === 'return' && last.result === 0}
            waitsOnShownObject={!!placed.process?.blocked?.object && shownIds.has(placed.process.blocked.object)}
            betweenSteps={!!placed.role && !!lesson && !lesson.steps.some((step) => step.role === placed.role && (step.status === 'running' || step.status === 'blocked'))}
            pausedByIpcscope={!!placed.role && !!placed.process && (lesson?.idleRoles ?? []).includes(placed.role)}
            onSelect={select}
          />
        );
      })}
      <DiagnosisMarks layout={layout} diagnoses={diagnoses} palette={palette} t={t} layer="over" />
      {(layout.hidden.processes > 0 || layout.hidden.objects > 0) && (
        <text data-testid="picture-hidden" x={VIEW_WIDTH - 16} y={VIEW_HEIGHT - 14} textAnchor="end" fill={palette.muted} fontFamily={palette.font} fontSize={12 * palette.scale}>
          {t('moreHidden', { processes: layout.hidden.processes, objects: layout.hidden.objects })}
        </text>
      )}
      {layout.edges.length > 0 && (
        <EdgeLegend
          palette={palette}
          x={VIEW_WIDTH - 250 * palette.scale}
          // signal marks sit above the nodes: the legend goes to the bottom corner, out of their way
          y={anyMarks(layout.processes, lesson?.id ?? null) ? VIEW_HEIGHT - 48 * palette.scale : 22}
          writeLabel={t('legendWrite')}
          readLabel={t('legendRead')}
        />
      )}
      <ByteFlights scheduled={scheduled} now={now} durationMs={duration} palette={palette} />
      <TrafficLayer layout={layout} palette={palette} t={t} layer="over" />
      <SignalLayer placed={layout.processes} flights={signalFlights} lessonId={lesson?.id ?? null} now={now} durationMs={duration} palette={palette} t={t} />
      <text x={16} y={VIEW_HEIGHT - 14} fill={palette.muted} fontFamily={palette.mono} fontSize={11 * palette.scale}>
        {`${t('frame', { seq: frame.seq })} · ${new Date(frame.takenAt).toISOString().slice(11, 23)} · ${t('sampledIn', { ms: frame.durationMs.toFixed(2) })} · ${frame.rateHz} Hz`}
      </text>
    </svg>
  );
}
