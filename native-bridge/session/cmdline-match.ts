/**
 * The command "processes.match" (model/cmdline-match-types.ts): which of the
 * PIDs the map shows have a command line holding every word of a text, read
 * from /proc/PID/cmdline (readable for every process, whoever owns it). A
 * user typing asks again within a second or two: command lines read less
 * than CMDLINE_REUSE_MS ago answer again, so a machine of two thousand
 * processes is read once per burst of keystrokes, not once per key.
 */
import type { CommandResult } from '../model/commands';
import { MATCH_MAX_ROWS, type CmdlineMatch, type CmdlineMatches } from '../model/cmdline-match-types';
import { cmdlineOf } from './process-list';

export const CMDLINE_REUSE_MS = 1500;

let cache = new Map<number, string>();
let cachedAt = 0;

/** The command line of `pid`: from the cache while young, else read now ('' when the process is gone or a kernel thread). */
function cmdline(pid: number, now: number): string {
  if (now - cachedAt >= CMDLINE_REUSE_MS || now < cachedAt) {
    cache = new Map();
    cachedAt = now;
  }
  let line = cache.get(pid);
  if (line === undefined) cache.set(pid, (line = cmdlineOf(pid)));
  return line;
}

/** Case-insensitive: every word of `text` somewhere in the command line. */
export function matchCmdlines(text: string, pids: number[], now = Date.now()): CmdlineMatches {
  const asked = text.trim();
  const words = asked.toLowerCase().split(/\s+/).filter(Boolean);
  const matches: CmdlineMatch[] = [];
  let total = 0;
  for (const pid of pids) {
    const line = cmdline(pid, now);
    const folded = line.toLowerCase();
    if (!line || !words.every((word) => folded.includes(word))) continue;
    total += 1;
    if (matches.length < MATCH_MAX_ROWS) matches.push({ pid, cmdline: line });
  }
  return { text: asked, matches, total };
}

export function matchCmdlinesResult(text: string, pids: number[]): CommandResult {
  try {
    return { ok: true, data: matchCmdlines(text, pids) };
  } catch (error) {
    return { ok: false, error: `could not read command lines: ${error instanceof Error ? error.message : String(error)}` };
  }
}
