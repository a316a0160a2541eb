/**
 * How long one sample may spend reading descriptor tables it has not read
 * before: the holder search's reads of other processes' tables and the
 * first scans of processes new to the scope (link-tables.ts). While PIDs are
 * being handed out fast (a pool's parent starting a thousand workers) the
 * budget is small, so the engine takes a small share of the CPU the parent
 * and its workers need; once they stop appearing it is larger, to catch up
 * on what the burst left unread, and with nothing left there is no limit.
 * What a sample leaves unread is counted in its snapshot (Snapshot.unreadTables).
 */
import { lastPidCreated } from '../scope';

export interface TableBudgetMs {
  /** Per sample while PIDs are handed out fast. */
  burst: number;
  /** Per sample after a burst, while tables it left are still unread (none left: no limit). */
  settled: number;
  /** Per sample with no burst and nothing left over from one. Default: no limit (tests set it to see the passes at work). */
  calm?: number;
}

/** A burst: PIDs handed out (machine-wide) at this rate or more, measured over at least RATE_WINDOW_MS. */
const BURST_PIDS_PER_S = 8;
const RATE_WINDOW_MS = 250;

export interface ReadBudget {
  /** True once the sample's time for reading tables is used up. */
  spent(): boolean;
  /** Counts a read that began at `since` (performance.now()) against it. */
  charge(since: number): void;
}

export const UNLIMITED: ReadBudget = { spent: () => false, charge: () => undefined };

/**
 * One Sampler's budget, begun at each sample. Outside a burst, and with no
 * tables left over from one (`behind`), there is no limit: a sample reads
 * every table it needs, as it always did. The PID counter is read only when
 * a sample has a table to read (an idle tick reads nothing).
 */
export class TableBudget implements ReadBudget {
  /** NaN until the sample first asks. */
  private limit = NaN;
  private used = 0;
  private behind = false;
  private last: { at: number; pid: number } | null = null;
  private bursting = false;

  constructor(private readonly ms: TableBudgetMs) {}

  /** Starts a sample's budget; `behind`: tables queued by earlier samples are still unread. */
  begin(behind: boolean): this {
    this.limit = NaN;
    this.used = 0;
    this.behind = behind;
    return this;
  }

  /** Whether PIDs are being handed out fast (the last verdict, measured again at most every RATE_WINDOW_MS). */
  get burst(): boolean {
    const now = performance.now();
    if (this.last && now - this.last.at < RATE_WINDOW_MS) return this.bursting;
    const text = lastPidCreated();
    const pid = text === null ? NaN : Number(text);
    if (Number.isNaN(pid)) return this.bursting;
    // a counter that went back wrapped around pid_max: PIDs were handed out
    if (this.last) this.bursting = pid < this.last.pid || ((pid - this.last.pid) * 1000) / (now - this.last.at) >= BURST_PIDS_PER_S;
    this.last = { at: now, pid };
    return this.bursting;
  }

  private limitNow(): number {
    if (Number.isNaN(this.limit)) this.limit = this.burst ? this.ms.burst : this.behind ? this.ms.settled : (this.ms.calm ?? Infinity);
    return this.limit;
  }

  spent(): boolean {
    return this.used >= this.limitNow();
  }

  charge(since: number): void {
    this.used += performance.now() - since;
  }
}
