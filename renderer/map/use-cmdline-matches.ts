import { useEffect, useMemo, useState } from 'react';
import type { CmdlineMatches } from '../../native-bridge/model/cmdline-match-types';
import { MATCH_MAX_PIDS, PROCESS_QUERY_MAX } from '../../native-bridge/model/commands';
import { useAppStore } from '../store/app-store';

/** A pause in typing this long asks the engine (one question per pause, not per key). */
export const CMDLINE_ASK_MS = 250;

/**
 * The map search's command-line matches: frames carry only each process's
 * comm, so after a pause in typing the engine is asked which of the PIDs on
 * the map have a command line holding the text ("processes.match", answered
 * from /proc/PID/cmdline). `pidsNow` gives the PIDs at the moment of asking.
 * Gives pid to command line for the text in the box, empty until answered
 * (an answer to an older text is dropped).
 */
export function useCmdlineMatches(query: string, pidsNow: () => number[]): ReadonlyMap<number, string> {
  const [answer, setAnswer] = useState<CmdlineMatches | null>(null);
  // control characters never reach a command line worth finding; the engine refuses them
  // eslint-disable-next-line no-control-regex
  const text = query.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, PROCESS_QUERY_MAX);
  useEffect(() => {
    if (!text) return undefined;
    let live = true;
    const timer = setTimeout(() => {
      const pids = pidsNow().slice(0, MATCH_MAX_PIDS);
      void useAppStore
        .getState()
        .send({ type: 'processes.match', text, pids })
        .then((result) => {
          if (live && result.ok) setAnswer(result.data as CmdlineMatches);
        });
    }, CMDLINE_ASK_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // pidsNow is read when the timer fires: only the text starts a question
  }, [text]);
  return useMemo(() => (answer && text && answer.text === text ? new Map(answer.matches.map((m) => [m.pid, m.cmdline])) : EMPTY), [answer, text]);
}

const EMPTY: ReadonlyMap<number, string> = new Map();
