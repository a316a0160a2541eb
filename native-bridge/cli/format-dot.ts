/**
 * `snapshot --dot`: a Graphviz digraph. Processes are boxes, objects are
 * ellipses; an edge per descriptor labelled "fd 3 r", a dashed red edge from
 * a blocked process to what it waits on, a dotted edge between socket peers
 * and "mapped" edges for shared memory. Only declared nodes are ever joined.
 */
import type { IpcObject, ProcessInfo, Snapshot } from '../model/snapshot-types';
import { describeBlocked, keyNumbers } from './describe';
import { escapeText } from './safe-text';

/**
 * A Graphviz double-quoted string. Its parts are already escaped (a name
 * holds no control character by then); the newlines are our own line breaks.
 */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** An object id as a node name: a POSIX shm or queue name is anyone's choice. */
function objectNode(id: string): string {
  return dotString(escapeText(id));
}

function processNode(process: ProcessInfo): string {
  return `p${process.pid}`;
}

function processLabel(process: ProcessInfo): string {
  const lines = [`${process.pid} ${escapeText(process.comm)}`, `state ${process.state}`];
  if (!process.readable) lines.push(`unreadable: ${escapeText(process.error ?? '?')}`);
  return lines.join('\n');
}

const SHAPES: Record<IpcObject['kind'], string> = {
  pipe: 'ellipse',
  fifo: 'ellipse',
  unix: 'hexagon',
  tcp: 'hexagon',
  udp: 'hexagon',
  shm: 'cylinder',
  msg: 'folder',
  sem: 'octagon',
  posix_shm: 'cylinder',
  mqueue: 'folder',
  lock: 'box3d',
  mmap: 'note',
};

function objectLabel(object: IpcObject): string {
  const numbers = keyNumbers(object)
    .filter(([, value]) => value !== '-')
    .slice(0, 4)
    .map(([label, value]) => `${label} ${value}`);
  return [escapeText(object.id), ...numbers].join('\n');
}

export function formatDot(snapshot: Snapshot): string {
  const lines = ['digraph ipcscope {', '  rankdir=LR;', '  node [fontname="monospace", fontsize=10];', '  edge [fontname="monospace", fontsize=9];'];
  const objectIds = new Set(snapshot.objects.map((object) => object.id));

  for (const process of snapshot.processes) {
    const colour = process.blocked ? ', color=red' : '';
    lines.push(`  ${dotString(processNode(process))} [shape=box, label=${dotString(processLabel(process))}${colour}];`);
  }
  for (const object of snapshot.objects) {
    lines.push(`  ${objectNode(object.id)} [shape=${SHAPES[object.kind]}, label=${dotString(objectLabel(object))}];`);
  }

  for (const process of snapshot.processes) {
    const from = dotString(processNode(process));
    for (const fd of process.fds) {
      if (!objectIds.has(fd.object)) continue;
      /* data flows from a writer into the object and out to a reader */
      const direction = fd.access === 'r' ? 'back' : fd.access === 'rw' ? 'both' : 'forward';
      lines.push(`  ${from} -> ${objectNode(fd.object)} [label=${dotString(`fd ${fd.fd} ${fd.access}`)}, dir=${direction}];`);
    }
    for (const mapped of process.maps ?? []) {
      if (objectIds.has(mapped)) lines.push(`  ${from} -> ${objectNode(mapped)} [label="mapped", dir=both, style=bold];`);
    }
    const waitsOn = process.blocked?.object;
    if (process.blocked && waitsOn && objectIds.has(waitsOn)) {
      lines.push(`  ${from} -> ${objectNode(waitsOn)} [style=dashed, color=red, fontcolor=red, label=${dotString(describeBlocked(process.blocked))}];`);
    }
  }

  const joined = new Set<string>();
  for (const object of snapshot.objects) {
    const peer = 'peer' in object ? object.peer : null;
    if (!peer || !objectIds.has(peer)) continue;
    const pair = [object.id, peer].sort().join(' ');
    if (joined.has(pair)) continue;
    joined.add(pair);
    lines.push(`  ${objectNode(object.id)} -> ${objectNode(peer)} [style=dotted, dir=none, label="peer"];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
