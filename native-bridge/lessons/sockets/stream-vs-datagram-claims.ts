/**
 * The stream-vs-datagram lesson's questions and claims. Everything is judged
 * from the kernel: recv's return values, and SIOCINQ (FIONREAD) read through a
 * descriptor of the child's, borrowed for microseconds (ss -x shows the same
 * number as Recv-Q: both come from unix_inq_len).
 */
import type { LessonClaim, LessonQuestion, SettledStep } from '../lesson-types';
import { numberVar } from '../lesson-types';
import { text } from '../step-kit';

/** Bytes the child's socket `fdVar` has queued, as SIOCINQ reports them. */
export function queuedOn(settled: SettledStep, fdVar: string): number | null {
  return settled.pipeFill('child', numberVar(settled.vars, fdVar))?.queued ?? null;
}

function received(settled: SettledStep): { n: number; got: string } {
  const n = settled.reply?.result ?? -1;
  const bytes = settled.reply?.data?.bytes;
  return { n, got: typeof bytes === 'string' ? Buffer.from(bytes, 'base64').toString() : '' };
}

/** "recv(fd, buf, 256)" after three sends of 3, 3 and 5 bytes: 3, 11 or 256? */
export function howManyQuestion(kind: 'stream' | 'dgram'): LessonQuestion {
  return {
    prompt:
      kind === 'stream'
        ? text(
            'Three sends of 3, 3 and 5 bytes are queued on the stream socket. What does one recv of up to 256 bytes return?',
            '流套接字上排着三次发送：3、3、5 字节。一次最多 256 字节的 recv 返回多少？',
            '串流通訊端上排著三次傳送：3、3、5 位元組。一次最多 256 位元組的 recv 回傳多少？',
          )
        : text(
            'The same three sends are queued on the datagram socket. What does one recv of up to 256 bytes return?',
            '同样的三次发送排在数据报套接字上。一次最多 256 字节的 recv 返回多少？',
            '同樣的三次傳送排在資料報通訊端上。一次最多 256 位元組的 recv 回傳多少？',
          ),
    choices: [
      { id: '3', text: text('3: the first message only', '3：只有第一条消息', '3：只有第一則訊息') },
      { id: '11', text: text('11: everything queued', '11：排队的全部字节', '11：排隊的全部位元組') },
      { id: '256', text: text('256: the whole buffer', '256：整个缓冲区', '256：整個緩衝區') },
    ],
    judge(settled) {
      const { n, got } = received(settled);
      return {
        correct: String(n),
        evidence: text(
          `recv returned ${n}: "${got}".`,
          `recv 返回 ${n}：“${got}”。`,
          `recv 回傳 ${n}：「${got}」。`,
        ),
      };
    },
  };
}

/** recv on the empty stream socket: does it sleep, return 0 or fail with EAGAIN? */
export const emptyRecvQuestion: LessonQuestion = {
  prompt: text(
    'The stream socket is empty now, and the parent still holds the other end. What does the child\'s recv do?',
    '流套接字现在是空的，父进程仍持有另一端。子进程的 recv 会怎样？',
    '串流通訊端現在是空的，父行程仍持有另一端。子行程的 recv 會怎樣？',
  ),
  choices: [
    { id: 'sleeps', text: text('It sleeps until data or EOF', '睡眠，直到有数据或 EOF', '睡眠，直到有資料或 EOF') },
    { id: 'zero', text: text('It returns 0 at once', '立即返回 0', '立即回傳 0') },
    { id: 'eagain', text: text('It fails with EAGAIN', '以 EAGAIN 失败', '以 EAGAIN 失敗') },
  ],
  judge(settled) {
    const wait = settled.wait('child');
    if (settled.status === 'blocked') {
      const wchan = wait?.wchan ?? '?';
      return {
        correct: 'sleeps',
        evidence: text(
          `The child is asleep in recvfrom (wchan ${wchan}), using no CPU.`,
          `子进程在 recvfrom 中睡眠（wchan 为 ${wchan}），不占用 CPU。`,
          `子行程在 recvfrom 中睡眠（wchan 為 ${wchan}），不佔用 CPU。`,
        ),
      };
    }
    const n = settled.reply?.result ?? -1;
    const errno = settled.reply?.errno ?? null;
    return {
      correct: n === 0 ? 'zero' : 'eagain',
      evidence: text(`recv returned ${n}${errno ? ` (${errno})` : ''}.`, `recv 返回 ${n}${errno ? `（${errno}）` : ''}。`, `recv 回傳 ${n}${errno ? `（${errno}）` : ''}。`),
    };
  },
};

/** "Datagrams keep their boundaries; a stream does not", from the two first receives. */
export const boundariesClaim: LessonClaim = {
  id: 'dgram-boundaries',
  claim: text(
    'A datagram socket keeps each message separate; a stream socket is one flow of bytes with no message boundaries.',
    '数据报套接字让每条消息各自独立；流套接字只是一串字节流，没有消息边界。',
    '資料報通訊端讓每則訊息各自獨立；串流通訊端只是一串位元組流，沒有訊息邊界。',
  ),
  after: 'dgram-recv',
  measure(settled) {
    const stream = numberVar(settled.vars, 'streamGot');
    const dgram = numberVar(settled.vars, 'dgramGot');
    const holds = stream === 11 && dgram === 3 ? 'holds' : 'differs';
    return {
      holds,
      measured: { 'recv(s[1])': stream, 'recv(d[1])': dgram },
      text: text(
        `Same three sends, same 256-byte buffer: the stream recv returned ${stream} bytes (all of them, glued together), the datagram recv ${dgram} (the first message only). The other two datagrams stay queued, each whole.`,
        `同样的三次发送、同样 256 字节的缓冲区：流的 recv 返回 ${stream} 字节（全部粘在一起），数据报的 recv 返回 ${dgram}（只有第一条消息）。另外两个数据报仍完整地排在队列里。`,
        `同樣的三次傳送、同樣 256 位元組的緩衝區：串流的 recv 回傳 ${stream} 位元組（全部黏在一起），資料報的 recv 回傳 ${dgram}（只有第一則訊息）。另外兩個資料報仍完整地排在佇列裡。`,
      ),
    };
  },
};

/** "Recv-Q is the bytes waiting": true for the stream, only the first datagram for SOCK_DGRAM. */
export const recvQueueClaim: LessonClaim = {
  id: 'recv-q-bytes',
  claim: text(
    'A socket\'s receive queue length (ss Recv-Q, FIONREAD) is the number of bytes waiting to be read.',
    '套接字的接收队列长度（ss 的 Recv-Q、FIONREAD）就是等待读取的字节数。',
    '通訊端的接收佇列長度（ss 的 Recv-Q、FIONREAD）就是等待讀取的位元組數。',
  ),
  after: 'sent',
  measure(settled) {
    const stream = queuedOn(settled, 's1');
    const dgram = queuedOn(settled, 'd1');
    if (stream === null || dgram === null) throw new Error('SIOCINQ could not be read on the lesson sockets');
    const holds = stream === 11 && dgram === 11 ? 'holds' : 'partly';
    return {
      holds,
      measured: { 'SIOCINQ s[1]': stream, 'SIOCINQ d[1]': dgram, sent: 11 },
      text: text(
        `11 bytes wait on each socket. The stream socket reports ${stream}; the datagram socket reports ${dgram}: for SOCK_DGRAM the kernel gives the size of the next datagram only (what one recv would return), not the whole queue.`,
        `每个套接字上都有 11 字节在等待。流套接字报告 ${stream}；数据报套接字报告 ${dgram}：对 SOCK_DGRAM，内核只给出下一个数据报的大小（一次 recv 能拿到的量），而不是整个队列。`,
        `每個通訊端上都有 11 位元組在等待。串流通訊端回報 ${stream}；資料報通訊端回報 ${dgram}：對 SOCK_DGRAM，核心只給出下一個資料報的大小（一次 recv 能拿到的量），而不是整個佇列。`,
      ),
    };
  },
};
