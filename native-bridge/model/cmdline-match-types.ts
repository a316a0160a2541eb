/**
 * The command "processes.match": which of the PIDs a view shows have a
 * command line (/proc/PID/cmdline) holding a text. Frames carry only each
 * process's comm; the map's search asks this as the user types, so no frame
 * carries a thousand command lines ten times a second.
 */

/* MATCH_MAX_PIDS, the most PIDs one question may name, is in commands.ts with the other command bounds. */
/** Most matches one answer carries; `total` says how many matched. */
export const MATCH_MAX_ROWS = 50;

export interface CmdlineMatch {
  pid: number;
  /** /proc/PID/cmdline, NUL separators shown as spaces, cut to CMDLINE_MAX: untrusted text, shown as text only. */
  cmdline: string;
}

export interface CmdlineMatches {
  /** The text asked, as the engine matched it (trimmed). */
  text: string;
  /** Matching PIDs in the order asked, at most MATCH_MAX_ROWS. */
  matches: CmdlineMatch[];
  total: number;
}
