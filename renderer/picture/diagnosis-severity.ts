import type { Diagnosis, DiagnosisKind } from '../../native-bridge/model/diagnosis-types';
import type { Palette } from './palette';

/**
 * How loud a diagnosis is drawn. A fault (deadlock, never-EOF reader, stuck
 * writer, orphaned object, full backlog) is stuck for good as the kernel
 * shows it: red and solid. A notice (a pipe end held where no listed process
 * shows it) is information: its holder may still write, read or close it, so
 * it is drawn amber and dashed, quieter than a fault.
 */
export type DiagnosisSeverity = 'fault' | 'notice';

const NOTICES: ReadonlySet<DiagnosisKind> = new Set<DiagnosisKind>(['hidden-writer', 'hidden-reader']);

export function diagnosisSeverity(kind: DiagnosisKind): DiagnosisSeverity {
  return NOTICES.has(kind) ? 'notice' : 'fault';
}

/** The colour of a diagnosis's halo and label. */
export function severityColour(severity: DiagnosisSeverity, palette: Palette): string {
  return severity === 'notice' ? palette.notice : palette.eof;
}

/** The dash of a notice's halo (none for a fault), in the units it is drawn in. */
export const NOTICE_DASH = [7, 5] as const;

/** Processes and objects named by diagnoses, each with the loudest severity naming it (a fault wins). */
export function severityOfItems(diagnoses: readonly Diagnosis[]): { processes: Map<number, DiagnosisSeverity>; objects: Map<string, DiagnosisSeverity> } {
  const processes = new Map<number, DiagnosisSeverity>();
  const objects = new Map<string, DiagnosisSeverity>();
  for (const d of diagnoses) {
    const severity = diagnosisSeverity(d.kind);
    for (const pid of d.processes) if (processes.get(pid) !== 'fault') processes.set(pid, severity);
    for (const id of d.objects) if (objects.get(id) !== 'fault') objects.set(id, severity);
  }
  return { processes, objects };
}
