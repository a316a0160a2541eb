/**
 * The pass-descriptor lesson's questions and claim. Every verdict reads the
 * kernel: descriptor tables and parents from /proc/PID/{fd,status}, the read
 * ends of the pipe from every process's fd and fdinfo, the socket's queue from
 * NETLINK_SOCK_DIAG (what `ss -x` prints as Recv-Q), and the descriptors in
 * flight in it from the receiver's /proc/PID/fdinfo (`scm_fds:`, Linux 5.6+).
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { queryUnixSocket } from '../../probe/kinds/sockets/unix-sockets';
import type { LessonClaim, LessonQuestion, LessonVars, SettledStep } from '../lesson-types';
import { text } from '../step-kit';

function readOr(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function ppidOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  const m = /PPid:\s+(\d+)/.exec(readOr(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) : null;
}

/** What /proc/PID/fd/FD points at ("pipe:[123]"), or null. */
export function fdTarget(pid: number | undefined, fd: number): string | null {
  if (pid === undefined) return null;
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return null;
  }
}

/** "pid:fd" of every descriptor on the machine open for reading on pipe inode `inode` (fdinfo flags & 3 == O_RDONLY). */
export function pipeReadEnds(inode: number): string[] {
  const target = `pipe:[${inode}]`;
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      if (fdTarget(Number(pid), Number(fd)) !== target) continue;
      const flags = /flags:\s+([0-7]+)/.exec(readOr(`/proc/${pid}/fdinfo/${fd}`) ?? '');
      if (flags && (parseInt(flags[1]!, 8) & 3) === 0) found.push(`${pid}:${fd}`);
    }
  }
  return found;
}

/** `scm_fds:` of /proc/PID/fdinfo/FD: descriptors in flight in that socket's receive queue; null where not shown. */
export function scmFdsOf(pid: number | undefined, fd: number): number | null {
  if (pid === undefined) return null;
  const m = /scm_fds:\s+(\d+)/.exec(readOr(`/proc/${pid}/fdinfo/${fd}`) ?? '');
  return m ? Number(m[1]) : null;
}

/** The receiver's connected socket as the kernel has it now: bytes queued (Recv-Q) and descriptors in flight. */
export function receiverQueue(settled: SettledStep): { recvQ: number | null; scmFds: number | null } {
  const inode = Number(settled.vars.cfdInode);
  const entry = Number.isInteger(inode) && inode > 0 ? queryUnixSocket(inode) : null;
  const cfd = settled.vars.cfd;
  return { recvQ: entry ? entry.rqueue : null, scmFds: typeof cfd === 'number' ? scmFdsOf(settled.pidOf('receiver'), cfd) : null };
}

const pipeInode = (vars: LessonVars): number => Number(vars.pipeInode);

export const inFlightWriteQuestion: LessonQuestion = {
  prompt: text(
    'The sender has closed its read end; the other one was sent and nobody has received it yet. What does write(p[1]) do?',
    '发送方已关闭自己的读端；另一个读端已发出，还没有人接收。write(p[1]) 会怎样？',
    '發送方已關閉自己的讀端；另一個讀端已送出，還沒有人接收。write(p[1]) 會怎樣？',
  ),
  choices: [
    { id: 'writes', text: text('It writes: a read end still exists, in the socket', '写入成功：读端仍然存在，在套接字里', '寫入成功：讀端仍然存在，在通訊端裡') },
    { id: 'epipe', text: text('SIGPIPE / EPIPE: no process holds a read end', 'SIGPIPE / EPIPE：没有进程持有读端', 'SIGPIPE / EPIPE：沒有行程持有讀端') },
    { id: 'blocks', text: text('It sleeps until someone receives the read end', '睡眠直到有人接收读端', '睡眠直到有人接收讀端') },
  ],
  judge(settled) {
    const holders = pipeReadEnds(pipeInode(settled.vars));
    const { recvQ, scmFds } = receiverQueue(settled);
    const where = {
      en: `read ends held by any process: ${holders.length === 0 ? 'none' : holders.join(', ')}; the receiver's socket: Recv-Q ${recvQ ?? '?'} byte, scm_fds ${scmFds ?? '?'} (descriptors in flight)`,
      hans: `任何进程持有的读端：${holders.length === 0 ? '无' : holders.join('、')}；接收方套接字：Recv-Q ${recvQ ?? '?'} 字节，scm_fds ${scmFds ?? '?'}（在途描述符）`,
      hant: `任何行程持有的讀端：${holders.length === 0 ? '無' : holders.join('、')}；接收方通訊端：Recv-Q ${recvQ ?? '?'} 位元組，scm_fds ${scmFds ?? '?'}（在途描述符）`,
    };
    if (settled.status === 'blocked') {
      return { correct: 'blocks', evidence: text(`write sleeps (wchan ${settled.wait('sender')?.wchan ?? '?'}); ${where.en}.`, `write 在睡眠（wchan ${settled.wait('sender')?.wchan ?? '?'}）；${where.hans}。`, `write 在睡眠（wchan ${settled.wait('sender')?.wchan ?? '?'}）；${where.hant}。`) };
    }
    const r = settled.reply?.result;
    if (typeof r === 'number' && r > 0) {
      return {
        correct: 'writes',
        evidence: text(
          `write returned ${r}, no EPIPE, no SIGPIPE. ${where.en}. The pipe's only read end is the open file inside the queued message: the kernel counts it as a reader.`,
          `write 返回 ${r}，没有 EPIPE，也没有 SIGPIPE。${where.hans}。管道唯一的读端就是排队消息里的那个打开文件：内核把它算作读者。`,
          `write 回傳 ${r}，沒有 EPIPE，也沒有 SIGPIPE。${where.hant}。管道唯一的讀端就是排隊訊息裡的那個開啟檔案：核心把它算作讀者。`,
        ),
      };
    }
    const why = settled.reply?.errno ?? 'SIGPIPE';
    return { correct: 'epipe', evidence: text(`write failed: ${why}; ${where.en}.`, `write 失败：${why}；${where.hans}。`, `write 失敗：${why}；${where.hant}。`) };
  },
};

/** The receiver's fd for the pipe and what /proc says it is, with the sender's number for it. */
function receivedFd(settled: SettledStep): { sent: number; got: number; target: string | null; receiver: number | undefined } {
  const receiver = settled.pidOf('receiver');
  const got = Number(settled.vars.pfd);
  return { sent: Number(settled.vars.p0), got, target: fdTarget(receiver, got), receiver };
}

export const bytesReadQuestion: LessonQuestion = {
  prompt: text(
    'The receiver reads the pipe through the descriptor it was sent, with room for 64 bytes. What does read return?',
    '接收方通过收到的描述符读这个管道，缓冲区能放 64 字节。read 返回什么？',
    '接收方透過收到的描述符讀這個管道，緩衝區能放 64 位元組。read 回傳什麼？',
  ),
  choices: [
    { id: 'first', text: text('16: only the line written before the read end was sent', '16：只有读端发出之前写入的那一行', '16：只有讀端送出之前寫入的那一行') },
    { id: 'both', text: text('31: both lines, one of them written while it was in flight', '31：两行都有，其中一行是在途中写入的', '31：兩行都有，其中一行是在途中寫入的') },
    { id: 'eof', text: text('0: the sender closed its read end, so the pipe was emptied', '0：发送方关闭了读端，管道被清空了', '0：發送方關閉了讀端，管道被清空了') },
  ],
  judge(settled) {
    const r = settled.reply?.result ?? -1;
    const { sent, got, target, receiver } = receivedFd(settled);
    const bytes = typeof settled.reply?.data?.bytes === 'string' ? Buffer.from(settled.reply.data.bytes, 'base64').toString('latin1') : '';
    const shown = JSON.stringify(bytes);
    const correct = r === 0 ? 'eof' : r > 16 ? 'both' : 'first';
    return {
      correct,
      evidence: text(
        `read(${got}) returned ${r}: ${shown}. /proc/${receiver}/fd/${got} -> ${target ?? '?'}, the pipe the sender made (its fd ${sent} there; the receiver's own number is ${got}).`,
        `read(${got}) 返回 ${r}：${shown}。/proc/${receiver}/fd/${got} -> ${target ?? '?'}，正是发送方创建的管道（在发送方那里是 fd ${sent}；接收方自己的编号是 ${got}）。`,
        `read(${got}) 回傳 ${r}：${shown}。/proc/${receiver}/fd/${got} -> ${target ?? '?'}，正是發送方建立的管道（在發送方那裡是 fd ${sent}；接收方自己的編號是 ${got}）。`,
      ),
    };
  },
};

export const relatedOnlyClaim: LessonClaim = {
  id: 'pipe-needs-related-processes',
  claim: text(
    'The course says a pipe only works between related processes, such as a parent and its child.',
    '课程说管道只能在有亲缘关系的进程之间使用，比如父进程和它的子进程。',
    '課程說管道只能在有親緣關係的行程之間使用，例如父行程和它的子行程。',
  ),
  after: 'read-pipe',
  measure(settled) {
    const [s, r] = [settled.pidOf('sender'), settled.pidOf('receiver')];
    const [sp, rp] = [ppidOf(s), ppidOf(r)];
    const got = Number(settled.vars.pfd);
    const bytes = settled.reply?.result ?? -1;
    const target = fdTarget(r, got);
    const unrelated = s !== undefined && r !== undefined && sp !== r && rp !== s;
    const read = bytes > 0 && target === `pipe:[${settled.vars.pipeInode}]`;
    return {
      holds: unrelated && read ? 'differs' : 'holds',
      measured: {
        sender: s ?? 0,
        'sender PPid': sp ?? 0,
        receiver: r ?? 0,
        'receiver PPid': rp ?? 0,
        "sender's fd": Number(settled.vars.p0),
        "receiver's fd": got,
        [`/proc/${r}/fd/${got}`]: target ?? '?',
        'bytes read': bytes,
      },
      text: text(
        `Inheritance is only the usual way to get an anonymous pipe, not the only one. Here sender ${s} (parent ${sp}) and receiver ${r} (parent ${rp}) are ${sp === rp ? 'siblings' : 'unrelated'}, neither the other's ancestor; the receiver got the pipe's read end over a Unix socket as its fd ${got} (${target}) and read ${bytes} bytes from it.`,
        `继承只是得到匿名管道的常见方式，而不是唯一方式。这里发送方 ${s}（父进程 ${sp}）和接收方 ${r}（父进程 ${rp}）是${sp === rp ? '兄弟' : '无关的进程'}，互不为祖先；接收方经 Unix 套接字得到管道的读端，编号为 fd ${got}（${target}），并从中读到 ${bytes} 字节。`,
        `繼承只是取得匿名管道的常見方式，而不是唯一方式。這裡發送方 ${s}（父行程 ${sp}）和接收方 ${r}（父行程 ${rp}）是${sp === rp ? '兄弟' : '無關的行程'}，互不為祖先；接收方經 Unix 通訊端得到管道的讀端，編號為 fd ${got}（${target}），並從中讀到 ${bytes} 位元組。`,
      ),
    };
  },
};
