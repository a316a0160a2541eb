/**
 * Test support for accuracy.test.ts: the JSON field names of the Snapshot
 * contract (native-bridge/model/snapshot-types.ts), written out by hand so a
 * renamed or stray field in what the probe emits is caught, whatever the
 * TypeScript types say.
 */
import type { IpcObject, ObjectKind, ProcessInfo, Snapshot } from '../../model/snapshot-types';

interface FieldSet {
  required: string[];
  optional: string[];
}

const OBJECT_BASE: FieldSet = { required: ['id', 'kind', 'holders'], optional: ['queued', 'peek', 'checkedAt'] };

const OBJECT_FIELDS: Partial<Record<ObjectKind, FieldSet>> = {
  pipe: { required: ['inode', 'capacity', 'queued', 'readers', 'writers'], optional: ['path', 'hiddenWriters', 'hiddenReaders'] },
  fifo: { required: ['inode', 'capacity', 'queued', 'readers', 'writers'], optional: ['path', 'hiddenWriters', 'hiddenReaders'] },
  unix: { required: ['inode', 'type', 'state', 'peer', 'queued'], optional: ['path', 'pending', 'backlog'] },
  shm: {
    required: ['shmid', 'key', 'size', 'nattch', 'attached', 'owner', 'mode', 'cpid', 'lpid', 'markedForDeletion'],
    optional: ['mappedAt', 'ownerName'],
  },
  msg: {
    required: ['msqid', 'key', 'messages', 'bytes', 'maxBytes', 'owner', 'mode', 'lastSender', 'lastReceiver', 'waitingSenders', 'waitingReceivers'],
    optional: ['firstMessages', 'receiverTypes', 'ownerName'],
  },
  sem: { required: ['semid', 'key', 'owner', 'mode', 'semaphores', 'waiting'], optional: ['waitOps', 'ownerName'] },
  mmap: { required: ['device', 'inode', 'path', 'size', 'mappings', 'attached'], optional: [] },
};

const PROCESS_FIELDS: FieldSet = {
  required: ['pid', 'ppid', 'comm', 'state', 'blocked', 'fds', 'readable'],
  optional: ['maps', 'signals', 'uid', 'error'],
};
const BLOCKED_FIELDS = ['op', 'syscall', 'syscallNr', 'fd', 'wchan', 'object'];
const FD_FIELDS = ['fd', 'object', 'access', 'target'];
const HOLDER_FIELDS = ['pid', 'fd', 'access'];
const SNAPSHOT_FIELDS: FieldSet = { required: ['takenAt', 'durationMs', 'processes', 'objects', 'problems'], optional: ['diagnoses', 'diagnosesPending', 'diagnosedAt'] };
const DIAGNOSIS_FIELDS: FieldSet = { required: ['kind', 'processes', 'objects', 'evidence', 'facts'], optional: ['descriptors', 'since'] };
const DIAGNOSIS_DESCRIPTOR_FIELDS = ['pid', 'fd', 'object'];
const PENDING_DIAGNOSIS_FIELDS = ['kind', 'processes', 'objects', 'since', 'heldMs', 'confirmMs'];
const SEMAPHORE_FIELDS = ['value', 'waitingForIncrease', 'waitingForZero', 'lastPid'];
const FIRST_MESSAGE_FIELDS = ['type', 'bytes', 'peek'];

/** Fields that are missing or not in the contract, as readable strings ("missing x", "stray y"). */
function fieldProblems(where: string, value: object, fields: FieldSet): string[] {
  const keys = new Set(Object.keys(value));
  const allowed = new Set([...fields.required, ...fields.optional]);
  const out: string[] = [];
  for (const name of fields.required) if (!keys.has(name)) out.push(`${where}: missing ${name}`);
  for (const name of keys) if (!allowed.has(name)) out.push(`${where}: stray ${name}`);
  return out;
}

function exactly(where: string, value: object, names: string[]): string[] {
  return fieldProblems(where, value, { required: names, optional: [] });
}

function processContractProblems(p: ProcessInfo): string[] {
  const where = `process ${p.pid}`;
  const out = fieldProblems(where, p, PROCESS_FIELDS);
  if (p.blocked !== null) out.push(...exactly(`${where}.blocked`, p.blocked, BLOCKED_FIELDS));
  for (const fd of p.fds) out.push(...exactly(`${where}.fds[${fd.fd}]`, fd, FD_FIELDS));
  return out;
}

/** Problems for the kinds this file knows; other kinds are checked for the base fields only. */
function objectContractProblems(o: IpcObject): string[] {
  const kind = OBJECT_FIELDS[o.kind];
  const fields: FieldSet = kind
    ? { required: [...OBJECT_BASE.required, ...kind.required], optional: [...OBJECT_BASE.optional, ...kind.optional] }
    : { required: OBJECT_BASE.required, optional: Object.keys(o) };
  const out = fieldProblems(o.id, o, fields);
  for (const h of o.holders) out.push(...exactly(`${o.id}.holders`, h, HOLDER_FIELDS));
  if (o.kind === 'sem') o.semaphores.forEach((s, i) => out.push(...exactly(`${o.id}.semaphores[${i}]`, s, SEMAPHORE_FIELDS)));
  if (o.kind === 'msg') o.firstMessages?.forEach((m, i) => out.push(...exactly(`${o.id}.firstMessages[${i}]`, m, FIRST_MESSAGE_FIELDS)));
  return out;
}

export function snapshotContractProblems(s: Snapshot, pids: Set<number>, objectIds: Set<string>): string[] {
  const out = fieldProblems('snapshot', s, SNAPSHOT_FIELDS);
  s.diagnoses?.forEach((d, i) => {
    out.push(...fieldProblems(`diagnoses[${i}]`, d, DIAGNOSIS_FIELDS));
    d.descriptors?.forEach((fd, j) => out.push(...exactly(`diagnoses[${i}].descriptors[${j}]`, fd, DIAGNOSIS_DESCRIPTOR_FIELDS)));
  });
  s.diagnosesPending?.forEach((d, i) => out.push(...exactly(`diagnosesPending[${i}]`, d, PENDING_DIAGNOSIS_FIELDS)));
  for (const p of s.processes) if (pids.has(p.pid)) out.push(...processContractProblems(p));
  for (const o of s.objects) if (objectIds.has(o.id)) out.push(...objectContractProblems(o));
  return out;
}
