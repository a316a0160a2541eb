/**
 * What the mmap-and-lock lesson asks and claims, judged from the kernel: the
 * processes' /proc/PID/maps (who maps which file, where), the file's own
 * bytes (pread), and /proc/locks (who holds the lock, who waits behind it).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { parseProcLocks } from '../../probe/kinds/files/file-locks';
import type { LessonClaim, LessonQuestion, LessonVars } from '../lesson-types';
import { stringVar } from '../lesson-types';
import { text } from '../step-kit';

export const MMAP_SIZE = 4096;
export const FIRST_MESSAGE = 'hello through the file';
export const SECOND_MESSAGE = 'version 2';
export const filePath = (v: LessonVars): string => `${stringVar(v, 'dir')}/shared.dat`;

/** One shared mapping of a file in /proc/PID/maps. */
export interface FileMapping {
  start: string;
  end: string;
  perms: string;
  device: string;
  inode: number;
}

/** The process's mappings of the file with inode `inode` (maps: "start-end perms offset dev inode path"); [] when gone. */
export function fileMappings(pid: number, inode: number): FileMapping[] {
  let maps: string;
  try {
    maps = readFileSync(`/proc/${pid}/maps`, 'latin1');
  } catch {
    return [];
  }
  const out: FileMapping[] = [];
  for (const line of maps.split('\n')) {
    const [range, perms, , device, inodeText] = line.trim().split(/\s+/);
    if (!range || !perms || Number(inodeText) !== inode) continue;
    const [start, end] = range.split('-') as [string, string];
    out.push({ start, end, perms, device: device ?? '', inode });
  }
  return out;
}

/** The first `count` bytes of the file itself, as the kernel's page cache has them (pread through a new descriptor). */
export function fileBytes(path: string, count: number): Buffer | null {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(count);
      const n = readSync(fd, buf, 0, count, 0);
      return buf.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** The text up to the first NUL. */
export const cString = (bytes: Buffer | null): string => (bytes === null ? '' : bytes.subarray(0, Math.max(0, bytes.indexOf(0) < 0 ? bytes.length : bytes.indexOf(0))).toString('latin1'));

/** /proc/locks lines on inode `inode`: the locks held and the requests waiting ("->"). */
export function locksOn(inode: number) {
  return parseProcLocks(readFileSync('/proc/locks', 'latin1')).filter((l) => Number(l.file.split(':')[2]) === inode);
}

export const seesQuestion: LessonQuestion = {
  prompt: text(
    'The writer stored a string into its mapping, with no system call. The reader now loads from its own mapping. What does it see?',
    '写者把一个字符串存进了它的映射，没有系统调用。读者现在从它自己的映射里读取。它看到什么？',
    '寫者把一個字串存進了它的映射，沒有系統呼叫。讀者現在從它自己的映射裡讀取。它看到什麼？',
  ),
  choices: [
    { id: 'string', text: text('The writer\'s string', '写者的字符串', '寫者的字串') },
    { id: 'zeros', text: text('Zeros: nothing was written to the file yet', '全是零：还没有写进文件', '全是零：還沒有寫進檔案') },
  ],
  judge(settled) {
    const bytes = typeof settled.reply?.data?.bytes === 'string' ? Buffer.from(settled.reply.data.bytes, 'base64') : null;
    const seen = cString(bytes);
    const inFile = cString(fileBytes(filePath(settled.vars), 32));
    return {
      correct: seen.length > 0 ? 'string' : 'zeros',
      evidence: text(
        `The reader's loads gave "${seen}"; a pread of the file itself gives "${inFile}". Both mappings are the file's pages in the page cache: one copy, no write() and no read().`,
        `读者读到 "${seen}"；直接 pread 这个文件得到 "${inFile}"。两个映射都是页缓存里这个文件的页：只有一份，没有 write() 也没有 read()。`,
        `讀者讀到 "${seen}"；直接 pread 這個檔案得到 "${inFile}"。兩個映射都是頁快取裡這個檔案的頁：只有一份，沒有 write() 也沒有 read()。`,
      ),
    };
  },
};

export const lockQuestion: LessonQuestion = {
  prompt: text(
    'The writer holds an exclusive lock on the file. The reader asks for the same lock. What happens?',
    '写者持有这个文件的排他锁。读者也申请同一把锁。会发生什么？',
    '寫者持有這個檔案的排他鎖。讀者也申請同一把鎖。會發生什麼？',
  ),
  choices: [
    { id: 'sleeps', text: text('It sleeps until the writer lets go', '它睡眠，直到写者放手', '它睡眠，直到寫者放手') },
    { id: 'gets', text: text('It gets the lock too', '它也得到了锁', '它也得到了鎖') },
    { id: 'fails', text: text('It fails at once (EWOULDBLOCK)', '立即失败（EWOULDBLOCK）', '立即失敗（EWOULDBLOCK）') },
  ],
  judge(settled) {
    const wait = settled.wait('reader');
    const result = settled.reply?.result;
    const correct = settled.status === 'blocked' ? 'sleeps' : result === 0 ? 'gets' : 'fails';
    const wchan = wait?.wchan || '-';
    return {
      correct,
      evidence: text(
        `The kernel shows the reader in state ${wait?.state ?? '?'}, syscall ${wait?.syscallNr ?? '?'}, wchan ${wchan}; /proc/locks lists its request behind the writer's lock.`,
        `内核显示读者状态 ${wait?.state ?? '?'}，系统调用 ${wait?.syscallNr ?? '?'}，wchan ${wchan}；/proc/locks 把它的请求列在写者的锁后面。`,
        `核心顯示讀者狀態 ${wait?.state ?? '?'}，系統呼叫 ${wait?.syscallNr ?? '?'}，wchan ${wchan}；/proc/locks 把它的請求列在寫者的鎖後面。`,
      ),
    };
  },
};

export const sameMemory: LessonClaim = {
  id: 'mmap-same-memory',
  claim: text(
    'The course lists mmap among the ways to exchange data: several processes can map the same memory area.',
    '课程把 mmap 列为交换数据的途径之一：几个进程可以映射同一块内存区域。',
    '課程把 mmap 列為交換資料的途徑之一：幾個行程可以映射同一塊記憶體區域。',
  ),
  after: 'reader-sees',
  measure(settled) {
    const inode = Number(settled.vars.inode);
    const [writer, reader] = [settled.pidOf('writer'), settled.pidOf('reader')];
    const w = writer === undefined ? [] : fileMappings(writer, inode).filter((m) => m.perms.endsWith('s'));
    const r = reader === undefined ? [] : fileMappings(reader, inode).filter((m) => m.perms.endsWith('s'));
    const inFile = cString(fileBytes(filePath(settled.vars), 32));
    const holds = w.length > 0 && r.length > 0 && inFile === FIRST_MESSAGE ? 'holds' : 'differs';
    const at = (m: FileMapping[]) => (m[0] ? `0x${m[0].start}` : '-');
    return {
      holds,
      measured: { inode, 'writer maps at': at(w), 'reader maps at': at(r), 'bytes in the file': inFile },
      text: text(
        `Both /proc/PID/maps list a shared (${w[0]?.perms ?? '?'}) mapping of inode ${inode}: the writer's at ${at(w)}, the reader's at ${at(r)}. Different addresses, the same pages: the file itself now reads "${inFile}", though nobody called write().`,
        `两个进程的 /proc/PID/maps 都列出了 inode ${inode} 的共享（${w[0]?.perms ?? '?'}）映射：写者在 ${at(w)}，读者在 ${at(r)}。地址不同，页相同：没有人调用 write()，文件本身却读出 "${inFile}"。`,
        `兩個行程的 /proc/PID/maps 都列出了 inode ${inode} 的共享（${w[0]?.perms ?? '?'}）映射：寫者在 ${at(w)}，讀者在 ${at(r)}。位址不同，頁相同：沒有人呼叫 write()，檔案本身卻讀出 "${inFile}"。`,
      ),
    };
  },
};

export const lockSynchronises: LessonClaim = {
  id: 'file-lock-synchronises',
  claim: text(
    'The course says processes that share a file can synchronise by locking it.',
    '课程说共享文件的进程可以通过给文件加锁来同步。',
    '課程說共享檔案的行程可以透過給檔案加鎖來同步。',
  ),
  after: 'reader-waits',
  measure(settled) {
    const inode = Number(settled.vars.inode);
    const lines = locksOn(inode);
    const held = lines.find((l) => !l.waiter);
    const waiting = lines.filter((l) => l.waiter);
    const wait = settled.wait('reader');
    const asleep = settled.status === 'blocked' && waiting.some((l) => l.pid === settled.pidOf('reader'));
    const kind = held ? `${held.type} ${held.mode}` : '-';
    /* the second field of the file's lock lines: ADVISORY (or MANDATORY on old kernels) */
    const advisory = readFileSync('/proc/locks', 'latin1')
      .split('\n')
      .some((line) => line.includes(`:${inode} `) && line.includes(' ADVISORY '));
    return {
      /* it synchronises only processes that ask for the lock: /proc/locks says ADVISORY */
      holds: asleep ? (advisory ? 'partly' : 'holds') : 'differs',
      measured: { lock: kind, holder: held?.pid ?? '-', waiting: waiting.map((l) => l.pid).join(' ') || '-', wchan: wait?.wchan || '-' },
      text: text(
        `/proc/locks shows the writer (pid ${held?.pid ?? '?'}) holding a ${kind} lock and the reader's request waiting behind it; the reader sleeps in ${wait?.wchan || '?'}. But the lock is ADVISORY: it stops only processes that ask for it. A store through the mapping, or a write(), is never held back.`,
        `/proc/locks 显示写者（进程 ${held?.pid ?? '?'}）持有 ${kind} 锁，读者的请求在它后面等待；读者睡眠于 ${wait?.wchan || '?'}。但这把锁是 ADVISORY（建议性）的：它只拦住同样申请锁的进程。通过映射写入或调用 write() 都不会被阻止。`,
        `/proc/locks 顯示寫者（行程 ${held?.pid ?? '?'}）持有 ${kind} 鎖，讀者的請求在它後面等待；讀者睡眠於 ${wait?.wchan || '?'}。但這把鎖是 ADVISORY（建議性）的：它只攔住同樣申請鎖的行程。透過映射寫入或呼叫 write() 都不會被阻止。`,
      ),
    };
  },
};
