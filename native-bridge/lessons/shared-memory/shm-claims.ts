/**
 * What the shared-memory lesson asks and claims, judged from the kernel:
 * /proc/sysvipc/shm (what `ipcs -m` prints) and the attachers' /proc/PID/maps.
 */
import { readFileSync } from 'node:fs';
import { parseSysvTable, type SysvRow } from '../../probe/kinds/sysv/sysvipc-table';
import type { LessonClaim, LessonQuestion } from '../lesson-types';
import { numberVar } from '../lesson-types';
import { text } from '../step-kit';

/* what the programs ask for: less than one 4096-byte page, to see the rounding */
export const SHM_REQUESTED = 4000;

export const hex = (key: number): string => `0x${(key >>> 0).toString(16).padStart(8, '0')}`;

/** The segment's row of /proc/sysvipc/shm (what `ipcs -m` prints), or null once it is gone. */
export function shmRow(shmid: number): SysvRow | null {
  return parseSysvTable(readFileSync('/proc/sysvipc/shm', 'utf8')).find((row) => row.shmid === shmid) ?? null;
}

/** Length of the mapping of segment `shmid` in /proc/PID/maps (the inode column is the shmid), or null. */
export function mappedLength(pid: number, shmid: number): number | null {
  try {
    for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
      const [range, , , , inode, path] = line.trim().split(/\s+/);
      if (range && path?.startsWith('/SYSV') && Number(inode) === shmid) {
        const [start, end] = range.split('-').map((h) => BigInt(`0x${h}`));
        return Number(end! - start!);
      }
    }
  } catch {
    /* the process is gone */
  }
  return null;
}

export const ftokQuestion: LessonQuestion = {
  prompt: text(
    'The server asks ftok again with proj_id 0x141 instead of 0x41. Same key or a different one?',
    '服务器再次调用 ftok，这次 proj_id 用 0x141 而不是 0x41。键值相同还是不同？',
    '伺服器再次呼叫 ftok，這次 proj_id 用 0x141 而不是 0x41。鍵值相同還是不同？',
  ),
  choices: [
    { id: 'same', text: text('The same key', '相同的键值', '相同的鍵值') },
    { id: 'different', text: text('A different key', '不同的键值', '不同的鍵值') },
  ],
  judge(settled) {
    const first = numberVar(settled.vars, 'key');
    const second = settled.reply?.result ?? -1;
    return {
      correct: second === first ? 'same' : 'different',
      evidence: text(
        `ftok(path, 0x41) = ${hex(first)}, ftok(path, 0x141) = ${hex(second)}: the top byte of the key is proj_id & 0xff.`,
        `ftok(path, 0x41) = ${hex(first)}，ftok(path, 0x141) = ${hex(second)}：键值的最高字节是 proj_id & 0xff。`,
        `ftok(path, 0x41) = ${hex(first)}，ftok(path, 0x141) = ${hex(second)}：鍵值的最高位元組是 proj_id & 0xff。`,
      ),
    };
  },
};

export const exclQuestion: LessonQuestion = {
  prompt: text(
    'The client calls shmget with the same key and IPC_CREAT | IPC_EXCL. What does it get?',
    '客户端用同一个键值、以 IPC_CREAT | IPC_EXCL 调用 shmget。它会得到什么？',
    '用戶端用同一個鍵值、以 IPC_CREAT | IPC_EXCL 呼叫 shmget。它會得到什麼？',
  ),
  choices: [
    { id: 'same-id', text: text('The server\'s shmid', '服务器的 shmid', '伺服器的 shmid') },
    { id: 'new', text: text('A second, new segment', '第二个新的共享内存段', '第二個新的共享記憶體區段') },
    { id: 'eexist', text: text('-1 with errno EEXIST', '-1，errno 为 EEXIST', '-1，errno 為 EEXIST') },
  ],
  judge(settled) {
    const shmid = numberVar(settled.vars, 'shmid');
    const result = settled.reply?.result ?? -1;
    const errno = settled.reply?.errno ?? '?';
    const correct = result < 0 ? 'eexist' : result === shmid ? 'same-id' : 'new';
    return {
      correct,
      evidence: text(
        `shmget returned ${result}${result < 0 ? ` (${errno})` : ''}; the server's segment is ${shmid}. IPC_EXCL means "only if I create it".`,
        `shmget 返回 ${result}${result < 0 ? `（${errno}）` : ''}；服务器的段是 ${shmid}。IPC_EXCL 的意思是"只有由我创建才成功"。`,
        `shmget 回傳 ${result}${result < 0 ? `（${errno}）` : ''}；伺服器的區段是 ${shmid}。IPC_EXCL 的意思是「只有由我建立才成功」。`,
      ),
    };
  },
};

export const nattchQuestion: LessonQuestion = {
  prompt: text(
    'The client attaches too. What nattch will ipcs -m show now?',
    '客户端也挂接了。ipcs -m 现在会显示 nattch 为多少？',
    '用戶端也掛接了。ipcs -m 現在會顯示 nattch 為多少？',
  ),
  choices: [
    { id: '1', text: text('1', '1', '1') },
    { id: '2', text: text('2', '2', '2') },
  ],
  judge(settled) {
    const nattch = shmRow(numberVar(settled.vars, 'shmid'))?.nattch ?? 0;
    return {
      correct: nattch === 1 ? '1' : '2',
      evidence: text(
        `/proc/sysvipc/shm (what ipcs -m prints) says nattch ${nattch}: one per attachment, server and client.`,
        `/proc/sysvipc/shm（ipcs -m 打印的内容）显示 nattch 为 ${nattch}：每次挂接计一次，服务器和客户端各一次。`,
        `/proc/sysvipc/shm（ipcs -m 印出的內容）顯示 nattch 為 ${nattch}：每次掛接計一次，伺服器和用戶端各一次。`,
      ),
    };
  },
};

export const survivesQuestion: LessonQuestion = {
  prompt: text(
    'The server has exited and now the client detaches: nobody is attached. Is the segment still in ipcs -m?',
    '服务器已经退出，现在客户端也脱离了：没有任何进程挂接。ipcs -m 里还有这个段吗？',
    '伺服器已經結束，現在用戶端也脫離了：沒有任何行程掛接。ipcs -m 裡還有這個區段嗎？',
  ),
  choices: [
    { id: 'yes', text: text('Yes, with nattch 0', '还在，nattch 为 0', '還在，nattch 為 0') },
    { id: 'no', text: text('No, it is freed', '不在了，已被释放', '不在了，已被釋放') },
  ],
  judge(settled) {
    const shmid = numberVar(settled.vars, 'shmid');
    const row = shmRow(shmid);
    return row
      ? {
          correct: 'yes',
          evidence: text(
            `Segment ${shmid} is still listed: nattch ${row.nattch}, ${row.size} bytes, created by pid ${row.cpid}, which has exited. It stays until IPC_RMID (or ipcrm -m ${shmid}).`,
            `段 ${shmid} 仍在列表中：nattch 为 ${row.nattch}，${row.size} 字节，由已退出的进程 ${row.cpid} 创建。它会一直存在，直到 IPC_RMID（或 ipcrm -m ${shmid}）。`,
            `區段 ${shmid} 仍在列表中：nattch 為 ${row.nattch}，${row.size} 位元組，由已結束的行程 ${row.cpid} 建立。它會一直存在，直到 IPC_RMID（或 ipcrm -m ${shmid}）。`,
          ),
        }
      : {
          correct: 'no',
          evidence: text(`Segment ${shmid} is no longer listed.`, `段 ${shmid} 已不在列表中。`, `區段 ${shmid} 已不在列表中。`),
        };
  },
};

export const ftokEightBits: LessonClaim = {
  id: 'ftok-proj-id-8-bits',
  claim: text(
    'The course says proj_id is an int, but only its low 8 bits (0-255) are used.',
    '课程说 proj_id 虽然是 int，但只用到低 8 位（0-255）。',
    '課程說 proj_id 雖然是 int，但只用到低 8 位元（0-255）。',
  ),
  after: 'ftok-high',
  measure(settled) {
    const [low, high] = [numberVar(settled.vars, 'key'), numberVar(settled.vars, 'keyHigh')];
    return {
      holds: low === high ? 'holds' : 'differs',
      measured: { 'ftok(path, 0x41)': hex(low), 'ftok(path, 0x141)': hex(high) },
      text: text(
        `Measured: ftok(path, 0x41) = ${hex(low)} and ftok(path, 0x141) = ${hex(high)}. glibc builds the key as (proj_id & 0xff) << 24 | (device & 0xff) << 16 | (inode & 0xffff): two files can even share a key.`,
        `实测：ftok(path, 0x41) = ${hex(low)}，ftok(path, 0x141) = ${hex(high)}。glibc 这样构造键值：(proj_id & 0xff) << 24 | (设备号 & 0xff) << 16 | (inode & 0xffff)：两个文件甚至可能得到同一个键值。`,
        `實測：ftok(path, 0x41) = ${hex(low)}，ftok(path, 0x141) = ${hex(high)}。glibc 這樣構造鍵值：(proj_id & 0xff) << 24 | (裝置號 & 0xff) << 16 | (inode & 0xffff)：兩個檔案甚至可能得到同一個鍵值。`,
      ),
    };
  },
};

export const pageRounded: LessonClaim = {
  id: 'shm-page-rounded',
  claim: text(
    'The course says shared memory comes in 4 KB units: ask for less than 4 KB and the system still gives 4 KB, but you may only use what you asked for.',
    '课程说共享内存以 4 KB 为单位：申请不足 4 KB，系统仍给 4 KB，但你只能使用你申请的部分。',
    '課程說共享記憶體以 4 KB 為單位：申請不足 4 KB，系統仍給 4 KB，但你只能使用你申請的部分。',
  ),
  after: 'server-attach',
  measure(settled) {
    const shmid = numberVar(settled.vars, 'shmid');
    const size = shmRow(shmid)?.size ?? -1;
    const requested = typeof settled.params.size === 'number' ? settled.params.size : SHM_REQUESTED;
    const pid = settled.pidOf('server');
    const mapped = pid === undefined ? null : mappedLength(pid, shmid);
    if (mapped === null) throw new Error(`the server's mapping of segment ${shmid} is not in /proc/PID/maps`);
    return {
      holds: size === requested && mapped % 4096 === 0 && mapped >= size ? 'holds' : 'differs',
      measured: { requested, 'ipcs -m bytes': size, 'mapped (/proc/PID/maps)': mapped },
      text: text(
        `ipcs -m lists the segment with the ${size} bytes asked for, but the server's /proc/PID/maps shows a mapping of ${mapped} bytes: whole pages. shmat and the kernel's size checks go by the ${size} bytes; the rest of the last page is there only because memory is handed out in pages.`,
        `ipcs -m 列出的段大小是申请的 ${size} 字节，但服务器的 /proc/PID/maps 显示映射了 ${mapped} 字节：整页。shmat 和内核的大小检查都按 ${size} 字节算；最后一页剩下的部分存在，只是因为内存按页分配。`,
        `ipcs -m 列出的區段大小是申請的 ${size} 位元組，但伺服器的 /proc/PID/maps 顯示映射了 ${mapped} 位元組：整頁。shmat 和核心的大小檢查都按 ${size} 位元組算；最後一頁剩下的部分存在，只是因為記憶體按頁配置。`,
      ),
    };
  },
};

export const notFreedWithProcess: LessonClaim = {
  id: 'shm-outlives-creator',
  claim: text(
    'The course warns: unlike malloc and new, shared memory is not freed when the process ends; it must be removed by hand (ipcrm -m or shmctl IPC_RMID).',
    '课程提醒：共享内存与 malloc、new 不同，不会随进程结束而删除，必须手动删除（ipcrm -m 或 shmctl IPC_RMID）。',
    '課程提醒：共享記憶體與 malloc、new 不同，不會隨行程結束而刪除，必須手動刪除（ipcrm -m 或 shmctl IPC_RMID）。',
  ),
  after: 'server-exit',
  measure(settled) {
    const shmid = numberVar(settled.vars, 'shmid');
    const row = shmRow(shmid);
    const wait = settled.wait('server');
    const serverGone = wait === null || wait.state === 'Z';
    return {
      holds: row !== null && serverGone ? 'holds' : 'differs',
      measured: { shmid, listed: row !== null ? 'yes' : 'no', nattch: row?.nattch ?? 0, cpid: row?.cpid ?? 0 },
      text: text(
        `The server (pid ${row?.cpid ?? '?'}, the creator) has exited, and /proc/sysvipc/shm still lists segment ${shmid} with nattch ${row?.nattch ?? '?'}. A segment belongs to the kernel's IPC namespace, not to a process.`,
        `服务器（进程 ${row?.cpid ?? '?'}，创建者）已退出，/proc/sysvipc/shm 仍列出段 ${shmid}，nattch 为 ${row?.nattch ?? '?'}。共享内存段属于内核的 IPC 命名空间，而不属于某个进程。`,
        `伺服器（行程 ${row?.cpid ?? '?'}，建立者）已結束，/proc/sysvipc/shm 仍列出區段 ${shmid}，nattch 為 ${row?.nattch ?? '?'}。共享記憶體區段屬於核心的 IPC 命名空間，而不屬於某個行程。`,
      ),
    };
  },
};
