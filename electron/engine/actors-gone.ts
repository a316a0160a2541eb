/** Test support shared by the engine tests: have the actor processes gone? */
import { waitFor } from '../../native-bridge/cli/wait-for';
import { startTime } from './actor-sweep';

/** The pids still alive (not gone, not a zombie) after waiting up to timeoutMs for them to go. */
export async function gone(pids: number[], timeoutMs = 5_000): Promise<number[]> {
  const alive = (): number[] => pids.filter((pid) => startTime(pid) !== null);
  await waitFor('the actors to be gone', () => alive().length === 0, timeoutMs, 50).catch(() => undefined);
  return alive();
}
