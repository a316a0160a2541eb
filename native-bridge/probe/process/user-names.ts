/**
 * User names of uids, as `ipcs` and `ls` print them: from /etc/passwd, the
 * uids the kernel reports in /proc (already mapped into the reader's user
 * namespace). The file is read once and kept; it is read again only when its
 * mtime changes (a user added while ipcscope runs), looked at no more than
 * once a second (a probe asks once per object, at every tick). A uid with no
 * line has no name: the caller shows the number.
 */
import { readFileSync, statSync } from 'node:fs';

const PASSWD = '/etc/passwd';

const RECHECK_MS = 1000;

let cached: { mtimeMs: number; checkedAt: number; names: Map<number, string> } | null = null;

/** uid -> name from passwd-format text; the first line of a uid wins (as getpwuid). */
export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid) && !names.has(Number(uid))) names.set(Number(uid), name);
  }
  return names;
}

/** The uid -> name map of /etc/passwd (empty when it cannot be read). */
export function userNames(): Map<number, string> {
  const now = performance.now();
  if (cached && now - cached.checkedAt < RECHECK_MS) return cached.names;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(PASSWD).mtimeMs;
  } catch {
    return cached?.names ?? new Map();
  }
  if (cached && cached.mtimeMs === mtimeMs) {
    cached.checkedAt = now;
    return cached.names;
  }
  let names: Map<number, string>;
  try {
    names = parsePasswd(readFileSync(PASSWD, 'utf8'));
  } catch {
    names = new Map();
  }
  cached = { mtimeMs, checkedAt: now, names };
  return names;
}

/** `{ ownerName }` for a uid that has a name, else nothing (spread into an object). */
export function ownerNameOf(uid: number): { ownerName?: string } {
  const name = userNames().get(uid);
  return name === undefined ? {} : { ownerName: name };
}
