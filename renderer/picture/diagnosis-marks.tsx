/**
 * The frame's diagnoses drawn on the lesson picture: every process and object
 * a diagnosis names gets a halo and the diagnosis a short label, in the alarm
 * colour for a fault and amber and dashed for a notice (diagnosis-severity.ts:
 * a pipe end held out of view is information, not a fault); a deadlock is drawn as its ring (each process, then the object it
 * sleeps on, then the next process that alone could wake it, back to the
 * start); the forgotten write end of a never-EOF reader gets a numbered mark
 * on its fd edge, numbered after the lesson's own focus marks (focus-notes.tsx)
 * so the diagnoses panel can name the same number.
 */
import type { ReactElement } from 'react';
import type { Diagnosis } from '../../native-bridge/model/diagnosis-types';
import type { Translate } from '../i18n/strings';
import { DIAGNOSIS_MARK, DIAGNOSIS_TITLE, DIAGNOSIS_WHY } from '../panels/diagnoses-panel-words';
import { useAppStore, type AppStore } from '../store/app-store';
import { diagnosisSeverity, NOTICE_DASH, severityColour, severityOfItems, type DiagnosisSeverity } from './diagnosis-severity';
import { useFocusMarks } from './focus-notes';
import { NODE_HEIGHT, NODE_WIDTH, RING_RADIUS, type PictureLayout, type Point } from './layout';
import type { Palette } from './palette';

const NO_DIAGNOSES: Diagnosis[] = [];
export const selectDiagnoses = (s: AppStore): Diagnosis[] => s.frame?.diagnoses ?? NO_DIAGNOSES;

/** 'pid:fd' -> number: the lesson's focus marks first, then each forgotten descriptor of a diagnosis not already marked. */
export function fdMarksWithDiagnoses(focus: ReadonlyMap<string, number>, diagnoses: readonly Diagnosis[]): Map<string, number> {
  const marks = new Map(focus);
  let next = marks.size + 1;
  for (const d of diagnoses) {
    for (const fd of d.descriptors ?? []) {
      const key = `${fd.pid}:${fd.fd}`;
      if (!marks.has(key)) marks.set(key, next++);
    }
  }
  return marks;
}

/** The numbered fd marks of the picture and the diagnoses panel. */
export function useFdMarks(): Map<string, number> {
  const focus = useFocusMarks();
  const diagnoses = useAppStore(selectDiagnoses);
  return fdMarksWithDiagnoses(focus, diagnoses);
}

interface Props {
  layout: PictureLayout;
  diagnoses: readonly Diagnosis[];
  palette: Palette;
  t: Translate;
  /** 'under' the nodes: halos and rings; 'over' them: the labels. */
  layer: 'under' | 'over';
}

/** The points of a deadlock's ring: each process, then the object it sleeps on (when drawn). */
function ringPoints(d: Diagnosis, layout: PictureLayout): Point[] {
  const points: Point[] = [];
  for (const pid of d.processes) {
    const placed = layout.processes.find((p) => p.pid === pid);
    if (!placed) continue;
    points.push({ x: placed.x, y: placed.y });
    const waitsOn = placed.process?.blocked?.object;
    const object = waitsOn ? layout.objects.find((o) => o.object.id === waitsOn) : undefined;
    if (object) points.push({ x: object.x, y: object.y });
  }
  return points;
}

/** Halos, rings and labels of the frame's diagnoses, in two layers around the nodes. */
export function DiagnosisMarks({ layout, diagnoses, palette, t, layer }: Props) {
  const s = palette.scale;
  const color = palette.eof;
  const severities = severityOfItems(diagnoses);
  const halo = (severity: DiagnosisSeverity) =>
    severity === 'notice'
      ? { fill: 'none', stroke: palette.notice, strokeWidth: 3, strokeOpacity: 0.9, strokeDasharray: NOTICE_DASH.join(' '), 'data-severity': severity }
      : { fill: 'none', stroke: color, strokeWidth: 5, strokeOpacity: 0.75, 'data-severity': severity };
  /* a process or object named by several diagnoses gets one halo; labels stack above it */
  const labelsAt = new Map<string, number>();
  const halos = new Map<string, ReactElement>();
  const marks = diagnoses.map((d, i) => {
    const processes = layout.processes.filter((p) => d.processes.includes(p.pid));
    const objects = layout.objects.filter((o) => d.objects.includes(o.object.id));
    if (processes.length === 0 && objects.length === 0) return null;
    for (const p of processes) {
      const rect = { x: p.x - NODE_WIDTH / 2 - 9, y: p.y - NODE_HEIGHT / 2 - 9, width: NODE_WIDTH + 18, height: NODE_HEIGHT + 18 };
      halos.set(`process:${p.pid}`, <rect key={`p${p.pid}`} data-testid={`diagnosis-halo-${p.pid}`} {...rect} rx={20} {...halo(severities.processes.get(p.pid) ?? 'fault')} />);
    }
    for (const o of objects) {
      const testId = `diagnosis-halo-${o.object.id}`;
      const round = o.object.kind === 'pipe' || o.object.kind === 'fifo';
      const rect = { x: o.x - RING_RADIUS * 0.9 - 10, y: o.y - 55, width: RING_RADIUS * 1.8 + 20, height: 110 };
      const style = halo(severities.objects.get(o.object.id) ?? 'fault');
      halos.set(
        o.object.id,
        round ? <circle key={o.object.id} data-testid={testId} cx={o.x} cy={o.y} r={RING_RADIUS + 12} {...style} /> : <rect key={o.object.id} data-testid={testId} {...rect} rx={16} {...style} />,
      );
    }
    if (layer === 'under') {
      const ring = d.kind === 'deadlock' ? ringPoints(d, layout) : [];
      return (
        <g key={i} data-testid={`diagnosis-${i}`} data-kind={d.kind} data-processes={d.processes.join(' ')} data-objects={d.objects.join(' ')}>
          {ring.length >= 2 && (
            <path
              data-testid={`diagnosis-ring-${i}`}
              d={`M${ring.map((p) => `${p.x},${p.y}`).join(' L')} Z`}
              fill="none"
              stroke={color}
              strokeWidth={4}
              strokeDasharray="12 8"
              strokeLinejoin="round"
              strokeOpacity={0.7}
            />
          )}
        </g>
      );
    }
    const first = processes[0];
    const anchorKey = first ? `process:${first.pid}` : objects[0]!.object.id;
    const stacked = labelsAt.get(anchorKey) ?? 0;
    labelsAt.set(anchorKey, stacked + 1);
    const object = objects[0];
    const above = object && (object.object.kind === 'pipe' || object.object.kind === 'fifo') ? RING_RADIUS + 22 : 70;
    const anchor = first ? { x: first.x, y: first.y - NODE_HEIGHT / 2 - 18 * s } : { x: object!.x, y: object!.y - above * s };
    const label = t(DIAGNOSIS_MARK[d.kind]);
    const width = (label.length * 8 + 24) * s;
    const severity = diagnosisSeverity(d.kind);
    const tone = severityColour(severity, palette);
    /* a fault: a filled alarm pill; a notice: an amber outline, dashed like its halo */
    const pill =
      severity === 'notice'
        ? { fill: palette.background, stroke: tone, strokeWidth: 1.5, strokeDasharray: NOTICE_DASH.map((n) => n * 0.6).join(' ') }
        : { fill: tone };
    return (
      <g key={i} data-testid={`diagnosis-label-${i}`} data-severity={severity} transform={`translate(${anchor.x},${anchor.y - stacked * 26 * s})`}>
        <title>{severity === 'notice' ? `${t(DIAGNOSIS_TITLE[d.kind])} (${t('diagnosisNotice')}): ${t(DIAGNOSIS_WHY[d.kind])} ${t('diagnosisNoticeWhy')}` : `${t(DIAGNOSIS_TITLE[d.kind])}: ${t(DIAGNOSIS_WHY[d.kind])}`}</title>
        <rect x={-width / 2} y={-12 * s} width={width} height={22 * s} rx={11 * s} {...pill} />
        <text y={4 * s} textAnchor="middle" fill={severity === 'notice' ? tone : palette.background} fontFamily={palette.font} fontSize={13 * s} fontWeight={700}>
          {label}
        </text>
      </g>
    );
  });
  if (marks.every((m) => m === null)) return null;
  return layer === 'under' ? (
    <g data-testid="diagnosis-marks">
      {[...halos.values()]}
      {marks}
    </g>
  ) : (
    <g data-testid="diagnosis-labels">{marks}</g>
  );
}
