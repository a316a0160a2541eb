/**
 * The DIAGNOSES section of `ipcscope snapshot`'s table: each problem found,
 * what it involves, and the kernel's evidence, one sentence a line. Evidence
 * carries process names and paths from the kernel: escaped (safe-text.ts).
 */
import type { Diagnosis, DiagnosisKind } from '../model/diagnosis-types';
import { escapeText } from './safe-text';

const TITLES: Record<DiagnosisKind, string> = {
  deadlock: 'DEADLOCK',
  'never-eof': 'READER THAT WILL NEVER SEE EOF',
  'blocked-writer': 'WRITER BLOCKED, ITS READERS ASLEEP ELSEWHERE',
  'orphaned-sysv': 'ORPHANED SYSTEM V OBJECT',
  'backlog-full': 'LISTENER BACKLOG FULL',
  'hidden-writer': 'READER WAITING ON A WRITE END THIS VIEW DOES NOT SHOW',
  'hidden-reader': 'WRITER WAITING ON A READ END THIS VIEW DOES NOT SHOW',
};

function diagnosisLines(d: Diagnosis): string[] {
  /* only a deadlock's processes are a chain (each waits for the next); the other kinds' are a set */
  const pids = d.processes.length > 0 ? ` pids ${d.processes.join(d.kind === 'deadlock' ? ' -> ' : ', ')}` : '';
  const head = `${TITLES[d.kind]}:${pids}${pids ? ';' : ''} ${d.objects.map(escapeText).join(', ')}`;
  const descriptors = (d.descriptors ?? []).map((fd) => `    forgotten descriptor: pid ${fd.pid} fd ${fd.fd} (${escapeText(fd.object)})`);
  return [`  ${head}`, ...d.evidence.map((line) => `    - ${escapeText(line)}`), ...descriptors];
}

/** The section's lines; none when the snapshot was not diagnosed. */
export function diagnosesSection(diagnoses: Diagnosis[] | undefined): string[] {
  if (diagnoses === undefined) return [];
  if (diagnoses.length === 0) return ['', 'DIAGNOSES (0): no deadlock, reader without EOF, stuck writer, orphaned System V object, full backlog or pipe end waited on but not shown found.'];
  return ['', `DIAGNOSES (${diagnoses.length})`, ...diagnoses.flatMap(diagnosisLines)];
}
