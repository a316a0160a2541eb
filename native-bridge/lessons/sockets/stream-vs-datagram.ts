/**
 * "Stream vs datagram" (issue 13, lesson 2): two socketpairs between a parent
 * and a child, SOCK_STREAM and SOCK_DGRAM; the same three sends on each; one
 * large receive on each. The stream recv returns every queued byte at once,
 * the datagram recv one message (boundaries kept). Then a recv on the empty
 * stream sleeps until the parent closes its end (EOF). Every step is one real
 * syscall of one real process.
 */
import type { Lesson, LessonStep } from '../lesson-types';
import { numberVar } from '../lesson-types';
import { streamVsDatagramC as prog } from '../programs/stream-vs-datagram/stream-vs-datagram-c';
import { exitWith, onFd, printVar, saveFds, text, waitFor } from '../step-kit';
import { boundariesClaim, emptyRecvQuestion, howManyQuestion, recvQueueClaim } from './stream-vs-datagram-claims';

const at = (needle: string, nth = 1) => ({ program: prog.file, line: prog.line(needle, nth) });

export const MESSAGES = ['one', 'two', 'three'] as const;
/* char buf[256] in the program: room for everything queued */
const BUF = 256;

const recv = (fdVar: string) => (v: Parameters<typeof numberVar>[0]) => ({ fd: numberVar(v, fdVar), count: BUF });

function sends(end: 's' | 'd'): LessonStep[] {
  const sock = end === 's' ? 's[0]' : 'd[0]';
  return MESSAGES.map((message, i) => ({
    ...(end === 'd' && i === MESSAGES.length - 1 ? { id: 'sent' } : {}),
    role: 'parent',
    op: 'send',
    args: (v) => ({ fd: numberVar(v, `${end}0`), text: message }),
    code: `send(${sock}, "${message}", ${message.length}, 0);`,
    ...at(`send(${sock}, "${message}"`),
    explain:
      end === 's'
        ? text(
            `The parent sends "${message}" (${message.length} bytes) on the stream socket. The kernel appends the bytes to the child's receive queue; nothing records where one send ended.`,
            `父进程在流套接字上发送“${message}”（${message.length} 字节）。内核把这些字节追加到子进程的接收队列末尾，不记录一次发送在哪里结束。`,
            `父行程在串流通訊端上傳送「${message}」（${message.length} 位元組）。核心把這些位元組接到子行程接收佇列的尾端，不記錄一次傳送在哪裡結束。`,
          )
        : text(
            `The parent sends "${message}" on the datagram socket. The kernel queues it as its own packet (one sk_buff per datagram) at the child's end.`,
            `父进程在数据报套接字上发送“${message}”。内核把它作为一个独立的包（每个数据报一个 sk_buff）排到子进程那一端。`,
            `父行程在資料報通訊端上傳送「${message}」。核心把它當成一個獨立的封包（每個資料報一個 sk_buff）排到子行程那一端。`,
          ),
  }));
}

function close(role: 'parent' | 'child', fdVar: string, needle: string, nth: number, explain: ReturnType<typeof text>): LessonStep {
  const name = `${fdVar[0]}[${fdVar[1]}]`;
  return { role, op: 'close', args: onFd(fdVar), code: `close(${name});`, ...at(needle, nth), explain };
}

const keepOther = (role: string, other: string) =>
  text(
    `The ${role} closes the end it will not use; ${other} keeps the other one.`,
    `${role === 'parent' ? '父进程' : '子进程'}关闭自己不用的那一端；另一端由${other === 'the child' ? '子进程' : '父进程'}保留。`,
    `${role === 'parent' ? '父行程' : '子行程'}關閉自己不用的那一端；另一端由${other === 'the child' ? '子行程' : '父行程'}保留。`,
  );

function print(name: string, nth: number, explain: ReturnType<typeof text>): LessonStep {
  return { role: 'child', op: 'write', args: printVar(name), code: 'write(STDOUT_FILENO, buf, n);', ...at('write(STDOUT_FILENO', nth), explain };
}

export const streamVsDatagramSteps: LessonStep[] = [
  {
    role: 'parent',
    op: 'socketpair',
    args: () => ({ type: 'stream' }),
    save: saveFds('s0', 's1'),
    code: 'socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s);',
    ...at('SOCK_STREAM'),
    explain: text(
      'The kernel creates two Unix stream sockets already connected to each other, with no file and no name: s[0] and s[1]. What one end sends, the other receives, as a flow of bytes.',
      '内核创建两个已经互相连接的 Unix 流套接字，没有文件也没有名字：s[0] 和 s[1]。一端发送的内容由另一端接收，是一串字节流。',
      '核心建立兩個已經互相連接的 Unix 串流通訊端，沒有檔案也沒有名字：s[0] 和 s[1]。一端傳送的內容由另一端接收，是一串位元組流。',
    ),
  },
  {
    role: 'parent',
    op: 'socketpair',
    args: () => ({ type: 'dgram' }),
    save: saveFds('d0', 'd1'),
    code: 'socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, d);',
    ...at('SOCK_DGRAM'),
    explain: text(
      'A second pair, of datagram sockets: d[0] and d[1]. Each send becomes one message that the receiver gets whole or not at all.',
      '第二对是数据报套接字：d[0] 和 d[1]。每次发送成为一条消息，接收方要么整条拿到，要么拿不到。',
      '第二對是資料報通訊端：d[0] 和 d[1]。每次傳送成為一則訊息，接收方要嘛整則拿到，要嘛拿不到。',
    ),
  },
  {
    role: 'parent',
    op: 'spawn-child',
    spawns: 'child',
    save: (reply, vars) => {
      vars.child = reply.result;
    },
    code: 'pid = fork();',
    ...at('fork('),
    explain: text(
      'The parent starts a child, which inherits all four socket descriptors at the same numbers. (ipcscope uses posix_spawn and hands the child these descriptors: the result is what fork gives.)',
      '父进程创建子进程，子进程以相同编号继承全部四个套接字描述符。（ipcscope 用 posix_spawn 并把这些描述符交给子进程，结果与 fork 相同。）',
      '父行程建立子行程，子行程以相同編號繼承全部四個通訊端描述符。（ipcscope 用 posix_spawn 並把這些描述符交給子行程，結果與 fork 相同。）',
    ),
  },
  close('parent', 's1', 'close(s[1])', 1, keepOther('parent', 'the child')),
  close('parent', 'd1', 'close(d[1])', 1, keepOther('parent', 'the child')),
  close('child', 's0', 'close(s[0])', 1, keepOther('child', 'the parent')),
  close('child', 'd0', 'close(d[0])', 1, keepOther('child', 'the parent')),
  ...sends('s'),
  ...sends('d'),
  {
    id: 'stream-recv',
    role: 'child',
    op: 'recv',
    syscall: 'recvfrom',
    args: recv('s1'),
    save: (reply, vars) => {
      vars.streamGot = reply.result;
      if (typeof reply.data?.bytes === 'string') vars.streamBytes = reply.data.bytes;
    },
    code: 'n = recv(s[1], buf, sizeof buf, 0);',
    ...at('recv(s[1]', 1),
    question: howManyQuestion('stream'),
    explain: text(
      'One recv with room for 256 bytes on the stream socket. A stream has no message boundaries: the kernel copies every queued byte that fits, so the three sends arrive glued together as "onetwothree".',
      '在流套接字上做一次能容纳 256 字节的 recv。流没有消息边界：内核把放得下的所有排队字节都复制过来，三次发送粘在一起成了“onetwothree”。',
      '在串流通訊端上做一次能容納 256 位元組的 recv。串流沒有訊息邊界：核心把放得下的所有排隊位元組都複製過來，三次傳送黏在一起成了「onetwothree」。',
    ),
  },
  print(
    'streamBytes',
    1,
    text(
      'The child prints what that one recv returned: all three words run together. Nothing in the bytes says where "one" ended and "two" began.',
      '子进程打印这一次 recv 得到的内容：三个词连在一起。字节里没有任何东西说明“one”在哪里结束、“two”从哪里开始。',
      '子行程印出這一次 recv 得到的內容：三個詞連在一起。位元組裡沒有任何東西說明「one」在哪裡結束、「two」從哪裡開始。',
    ),
  ),
  {
    id: 'dgram-recv',
    role: 'child',
    op: 'recv',
    syscall: 'recvfrom',
    args: recv('d1'),
    save: (reply, vars) => {
      vars.dgramGot = reply.result;
      if (typeof reply.data?.bytes === 'string') vars.dgramBytes = reply.data.bytes;
    },
    code: 'n = recv(d[1], buf, sizeof buf, 0);',
    ...at('recv(d[1]', 1),
    question: howManyQuestion('dgram'),
    explain: text(
      'The same recv on the datagram socket returns one message only, "one": each recv takes exactly one datagram, however large the buffer. The other two wait, whole, in the queue.',
      '在数据报套接字上做同样的 recv，只返回一条消息“one”：无论缓冲区多大，每次 recv 正好取走一个数据报。另外两个仍完整地留在队列中。',
      '在資料報通訊端上做同樣的 recv，只回傳一則訊息「one」：無論緩衝區多大，每次 recv 正好取走一個資料報。另外兩則仍完整地留在佇列中。',
    ),
  },
  print(
    'dgramBytes',
    2,
    text('The child prints the one datagram it got: "one".', '子进程打印它拿到的那一个数据报：“one”。', '子行程印出它拿到的那一個資料報：「one」。'),
  ),
  {
    role: 'child',
    op: 'recv',
    syscall: 'recvfrom',
    args: recv('d1'),
    code: 'n = recv(d[1], buf, sizeof buf, 0);',
    ...at('recv(d[1]', 2),
    explain: text('The next recv returns the next datagram: "two", 3 bytes.', '下一次 recv 返回下一个数据报：“two”，3 字节。', '下一次 recv 回傳下一個資料報：「two」，3 位元組。'),
  },
  {
    role: 'child',
    op: 'recv',
    syscall: 'recvfrom',
    args: recv('d1'),
    code: 'n = recv(d[1], buf, sizeof buf, 0);',
    ...at('recv(d[1]', 3),
    explain: text(
      'And the last one: "three", 5 bytes. Three sends, three receives: the boundaries were kept.',
      '最后一个：“three”，5 字节。三次发送，三次接收：边界被保留了。',
      '最後一個：「three」，5 位元組。三次傳送，三次接收：邊界被保留了。',
    ),
  },
  {
    role: 'child',
    op: 'recv',
    syscall: 'recvfrom',
    args: recv('s1'),
    code: 'n = recv(s[1], buf, sizeof buf, 0);',
    ...at('recv(s[1]', 2),
    question: emptyRecvQuestion,
    explain: text(
      'The stream socket is empty, but its peer s[0] is still open in the parent, so more bytes may come: the kernel puts the child to sleep in recv (wchan unix_stream_read_generic).',
      '流套接字是空的，但它的对端 s[0] 仍在父进程中打开，之后可能还有数据：内核让子进程在 recv 中睡眠（wchan 为 unix_stream_read_generic）。',
      '串流通訊端是空的，但它的對端 s[0] 仍在父行程中開著，之後可能還有資料：核心讓子行程在 recv 中睡眠（wchan 為 unix_stream_read_generic）。',
    ),
  },
  close(
    'parent',
    's0',
    'close(s[0])',
    2,
    text(
      'The parent closes s[0], the only other end. The kernel marks the child\'s socket as shut down for reading and wakes it: recv returns 0, end-of-file.',
      '父进程关闭 s[0]，即唯一的对端。内核把子进程的套接字标记为读方向已关闭并唤醒它：recv 返回 0，即文件结束。',
      '父行程關閉 s[0]，即唯一的對端。核心把子行程的通訊端標記為讀方向已關閉並喚醒它：recv 回傳 0，即檔案結尾。',
    ),
  ),
  {
    role: 'child',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(n == 0 ? 0 : 1);',
    ...at('exit(n == 0'),
    explain: text('The child saw EOF and exits; the kernel closes its sockets.', '子进程读到 EOF 后退出；内核关闭它的套接字。', '子行程讀到 EOF 後結束；核心關閉它的通訊端。'),
  },
  {
    role: 'parent',
    op: 'waitpid',
    args: waitFor('child'),
    code: 'waitpid(pid, &status, 0);',
    ...at('waitpid('),
    explain: text('The parent collects the child\'s exit status.', '父进程取走子进程的退出状态。', '父行程取走子行程的結束狀態。'),
  },
  close(
    'parent',
    'd0',
    'close(d[0])',
    2,
    text(
      'The parent closes d[0]; with no holder left, the datagram pair is freed.',
      '父进程关闭 d[0]；不再有持有者，这对数据报套接字被释放。',
      '父行程關閉 d[0]；不再有持有者，這對資料報通訊端被釋放。',
    ),
  ),
  {
    role: 'parent',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(0);',
    ...at('exit(0)'),
    explain: text('The parent exits. Nothing of this lesson is left.', '父进程退出。本课的一切都已不复存在。', '父行程結束。本課的一切都已不復存在。'),
  },
];

export const streamVsDatagram: Lesson = {
  id: 'stream-vs-datagram',
  firstRole: 'parent',
  mechanism: 'socket',
  programs: [prog],
  claims: [recvQueueClaim, boundariesClaim],
  title: text('Stream vs datagram', '流与数据报', '串流與資料報'),
  summary: text(
    'Two socketpairs between a parent and a child, one SOCK_STREAM and one SOCK_DGRAM, get the same three sends. One large recv on the stream returns all the bytes at once; on the datagram socket each recv returns one message. Then a recv on the empty stream sleeps until EOF.',
    '父子进程之间有两对 socketpair，一对 SOCK_STREAM，一对 SOCK_DGRAM，各收到同样的三次发送。在流上一次大的 recv 一下拿到全部字节；在数据报套接字上每次 recv 只拿到一条消息。最后在空的流上 recv 会睡眠直到 EOF。',
    '父子行程之間有兩對 socketpair，一對 SOCK_STREAM，一對 SOCK_DGRAM，各收到同樣的三次傳送。在串流上一次大的 recv 一下拿到全部位元組；在資料報通訊端上每次 recv 只拿到一則訊息。最後在空的串流上 recv 會睡眠直到 EOF。',
  ),
  steps: streamVsDatagramSteps,
};
