/**
 * The default `snapshot` output: a readable table of processes, then the
 * objects grouped by kind with their key numbers and holders. Every string
 * the kernel hands over (names, paths, reasons) is escaped (safe-text.ts).
 */
import type { IpcObject, Snapshot } from '../model/snapshot-types';
import { KIND_TITLES, counted, describeBlocked, describeHolders, describePeek, isIpcFd, keyNumbers } from './describe';
import { diagnosesSection } from './format-diagnoses';
import { escapeText } from './safe-text';

/** Left-aligned columns, two spaces apart; the last column is never padded. */
function renderColumns(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function indent(lines: string[]): string[] {
  return lines.map((line) => `  ${line}`);
}

function processSection(snapshot: Snapshot): string[] {
  const rows = [...snapshot.processes]
    .sort((a, b) => a.pid - b.pid)
    .map((p) => {
      const ipcFds = p.fds.filter(isIpcFd).length;
      const blocked = p.blocked ? describeBlocked(p.blocked) : p.readable ? '-' : `unreadable: ${escapeText(p.error ?? 'unknown reason')}`;
      return [`${p.pid}`, `${p.ppid}`, p.state, `${p.fds.length}/${ipcFds}`, escapeText(p.comm), blocked];
    });
  return [`PROCESSES (${rows.length})`, ...indent(renderColumns(['PID', 'PPID', 'S', 'FDS/IPC', 'COMM', 'BLOCKED'], rows))];
}

/** Labels of a kind's key numbers; optional ones (path, pending) appear when any object has them. */
function unionLabels(objects: IpcObject[]): string[] {
  const labels: string[] = [];
  for (const object of objects) {
    for (const [label] of keyNumbers(object)) if (!labels.includes(label)) labels.push(label);
  }
  return labels;
}

function objectSection(kind: IpcObject['kind'], objects: IpcObject[]): string[] {
  /* a long path would push every other column away: it goes last */
  const all = unionLabels(objects);
  const withPath = all.includes('path');
  const labels = all.filter((label) => label !== 'path');
  /* System V objects have no descriptors: their users are in ATTACHED / WAITING instead */
  const withHolders = objects.some((object) => object.holders.length > 0);
  const withPeek = objects.some((object) => object.peek);
  const header = [
    'ID',
    ...labels.map((label) => label.toUpperCase()),
    ...(withHolders ? ['HOLDERS'] : []),
    ...(withPeek ? ['PEEK'] : []),
    ...(withPath ? ['PATH'] : []),
  ];
  const rows = objects.map((object) => {
    const values = new Map(keyNumbers(object));
    return [
      escapeText(object.id),
      ...labels.map((label) => values.get(label) ?? '-'),
      ...(withHolders ? [describeHolders(object.holders)] : []),
      ...(withPeek ? [describePeek(object.peek) ?? ''] : []),
      ...(withPath ? [values.get('path') ?? '-'] : []),
    ];
  });
  return [`${KIND_TITLES[kind]} (${objects.length})`, ...indent(renderColumns(header, rows))];
}

function groupByKind(objects: IpcObject[]): Map<IpcObject['kind'], IpcObject[]> {
  const groups = new Map<IpcObject['kind'], IpcObject[]>();
  for (const kind of Object.keys(KIND_TITLES) as IpcObject['kind'][]) groups.set(kind, []);
  for (const object of objects) groups.get(object.kind)?.push(object);
  for (const [kind, list] of groups) {
    if (list.length === 0) groups.delete(kind);
    else list.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }
  return groups;
}

export function formatTable(snapshot: Snapshot): string {
  const lines: string[] = processSection(snapshot);
  for (const [kind, objects] of groupByKind(snapshot.objects)) {
    lines.push('', ...objectSection(kind, objects));
  }
  if (snapshot.objects.length === 0) lines.push('', 'No IPC objects held by these processes.');
  lines.push(...diagnosesSection(snapshot.diagnoses));
  if (snapshot.problems.length > 0) {
    lines.push('', `UNREADABLE (${snapshot.problems.length})`);
    lines.push(...indent(renderColumns(['PID', 'REASON'], snapshot.problems.map((p) => [`${p.pid}`, escapeText(p.reason)]))));
  }
  lines.push('', `${counted(snapshot.processes.length, 'process', 'processes')}, ${counted(snapshot.objects.length, 'object')}, sampled in ${snapshot.durationMs.toFixed(1)} ms`);
  return `${lines.join('\n')}\n`;
}
