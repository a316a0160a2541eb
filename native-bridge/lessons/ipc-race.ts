/**
 * "The IPC race" (issue 13, lesson 5): the same messages through a pipe, a
 * FIFO, a Unix stream socketpair, TCP on 127.0.0.1, a System V message
 * queue, System V shared memory with a semaphore handshake and a POSIX
 * message queue, between two real processes (racer and echo), measured on
 * this machine in this run: throughput, round-trip latency (median, p95),
 * syscalls counted by the loops, copies per message. Every mechanism checks
 * what arrived (FNV-1a of every byte, both sides). The System V objects are
 * recorded in the lesson directory so a stop or a killed engine removes
 * them; the POSIX queues live in the racer's own IPC namespace (as in
 * msgq-posix) and a second echo born in it, so they die with those processes.
 */
import { forgetMsg, recordMsg } from '../session/lesson-msgq-record';
import { forgetSem, recordSem } from '../session/lesson-sem-record';
import { forgetShm, recordShm } from '../session/lesson-shm-record';
import type { RaceMechanismId } from '../model/race-types';
import type { LessonParams } from '../model/frame-types';
import type { Lesson, LessonStep, LessonVars } from './lesson-types';
import { numberVar, stringVar } from './lesson-types';
import { raceMessagesOf, raceResult, raceRoundsOf, raceSizeOf, RACE_DEFAULT_KIB, saveRace, shmFastestClaim } from './ipc-race-results';
import { raceC } from './programs/ipc-race/race-program';
import { saveFds, saveResult, text } from './step-kit';

const at = (needle: string, nth = 1) => ({ program: raceC.file, line: raceC.line(needle, nth) });
const mqName = (v: LessonVars, end: string): string => `/ipcscope-race-${end}-${stringVar(v, 'dir').slice(-6)}`;

function raceSteps(
  mech: RaceMechanismId,
  echoRole: 'echo' | 'mq-echo',
  code: { echo: string; echoLine: string; send: string; sendLine: string },
  args: (v: LessonVars, side: 'echo' | 'send') => Record<string, number | string>,
  explain: { echo: ReturnType<typeof text>; send: ReturnType<typeof text> },
  params: LessonParams,
): LessonStep[] {
  const plan = { mech, size: raceSizeOf(params), messages: raceMessagesOf(params), rounds: raceRoundsOf(params), seed: 0x1bc5 + mech.length };
  return [
    {
      role: echoRole,
      op: 'race-echo',
      syscall: `echo_${mech}`,
      args: (v) => ({ ...plan, ...args(v, 'echo') }),
      save: saveRace(mech, 'echo'),
      code: code.echo,
      ...at(code.echoLine),
      explain: explain.echo,
    },
    {
      id: `race-${mech}`,
      role: 'racer',
      op: 'race-send',
      syscall: `race_${mech}`,
      args: (v) => ({ ...plan, ...args(v, 'send') }),
      save: saveRace(mech, 'send'),
      code: code.send,
      ...at(code.sendLine),
      explain: explain.send,
    },
  ];
}

const echoWaits = (where: string, hans: string, hant: string) =>
  text(
    `The echo starts its loop and at once sleeps in ${where}: nothing has been sent yet. The picture shows it asleep, as the kernel reports it.`,
    `回声进程开始循环，立刻在 ${hans} 里睡眠：还什么都没发。图中按内核的报告显示它在睡眠。`,
    `回聲行程開始迴圈，立刻在 ${hant} 裡睡眠：還什麼都沒送。圖中按核心的回報顯示它在睡眠。`,
  );

function build(params: LessonParams): LessonStep[] {
  const size = raceSizeOf(params);
  const setup: LessonStep[] = [
    {
      role: 'racer',
      op: 'pipe2',
      save: saveFds('to0', 'to1'),
      code: 'pipe2(to, O_CLOEXEC);',
      ...at('pipe2(to'),
      explain: text(
        `The racer makes everything the race needs before the echo is born, so the echo inherits it. First a pipe for messages to the echo. This run sends ${raceMessagesOf(params)} messages of ${size} bytes through each mechanism, twice, and then ${raceRoundsOf(params)} single round trips.`,
        `赛跑进程在回声进程出生前准备好比赛所需的一切，让回声进程继承。先是一根发往回声进程的管道。本次每种机制发送 ${raceMessagesOf(params)} 条 ${size} 字节的消息，发两遍，然后做 ${raceRoundsOf(params)} 次单条往返。`,
        `賽跑行程在回聲行程出生前準備好比賽所需的一切，讓回聲行程繼承。先是一條發往回聲行程的管道。本次每種機制送出 ${raceMessagesOf(params)} 則 ${size} 位元組的訊息，送兩遍，然後做 ${raceRoundsOf(params)} 次單則往返。`,
      ),
    },
    {
      role: 'racer',
      op: 'pipe2',
      save: saveFds('back0', 'back1'),
      code: 'pipe2(back, O_CLOEXEC);',
      ...at('pipe2(back'),
      explain: text(
        'A second pipe for the way back: a pipe carries bytes one way only.',
        '第二根管道用于回程：一根管道只能单向传送字节。',
        '第二條管道用於回程：一條管道只能單向傳送位元組。',
      ),
    },
    {
      role: 'racer',
      op: 'socketpair',
      args: () => ({ type: 'stream' }),
      save: saveFds('sv0', 'sv1'),
      code: 'socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);',
      ...at('socketpair('),
      explain: text(
        'A connected pair of Unix stream sockets: one object, both directions.',
        '一对已连接的 Unix 流套接字：一个对象，双向都能走。',
        '一對已連線的 Unix 串流 socket：一個物件，雙向都能走。',
      ),
    },
    {
      role: 'racer',
      op: 'mkfifo',
      args: (v) => ({ path: `${stringVar(v, 'dir')}/race-to.fifo`, mode: 0o600 }),
      code: 'mkfifo("race-to.fifo", 0600);',
      ...at('mkfifo("race-to'),
      explain: text(
        'Two FIFOs in the lesson\'s directory: pipes with a name, one for each direction.',
        '在本课目录里建两个 FIFO：有名字的管道，每个方向一个。',
        '在本課目錄裡建兩個 FIFO：有名字的管道，每個方向一個。',
      ),
    },
    {
      role: 'racer',
      op: 'mkfifo',
      args: (v) => ({ path: `${stringVar(v, 'dir')}/race-back.fifo`, mode: 0o600 }),
      code: 'mkfifo("race-back.fifo", 0600);',
      ...at('mkfifo("race-back'),
      explain: text('The FIFO for the way back.', '回程用的 FIFO。', '回程用的 FIFO。'),
    },
    {
      role: 'racer',
      op: 'socket',
      args: () => ({ family: 'inet', type: 'stream' }),
      save: saveResult('lfd'),
      code: 'int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);',
      ...at('int lfd = socket('),
      explain: text('A TCP socket that will listen on the loopback address.', '一个将在回环地址上监听的 TCP 套接字。', '一個將在迴路位址上監聽的 TCP socket。'),
    },
    {
      role: 'racer',
      op: 'bind',
      args: (v) => ({ fd: numberVar(v, 'lfd'), host: '127.0.0.1', port: 0 }),
      save: (reply, vars) => {
        if (typeof reply.data?.port === 'number') vars.port = reply.data.port;
      },
      code: 'bind(lfd, (struct sockaddr *)&a, sizeof a);',
      ...at('bind('),
      explain: text(
        'Bound to 127.0.0.1 port 0: the kernel picks a free port, so no port the machine uses is taken.',
        '绑定到 127.0.0.1 的 0 号端口：由内核挑一个空闲端口，不会占用机器正在用的端口。',
        '綁定到 127.0.0.1 的 0 號連接埠：由核心挑一個空閒的，不會佔用機器正在用的連接埠。',
      ),
    },
    {
      role: 'racer',
      op: 'listen',
      args: (v) => ({ fd: numberVar(v, 'lfd'), backlog: 1 }),
      code: 'listen(lfd, 1);',
      ...at('listen('),
      explain: text('The listener is ready: the echo will accept, the racer will connect.', '监听套接字就绪：回声进程将 accept，赛跑进程将 connect。', '監聽 socket 就緒：回聲行程將 accept，賽跑行程將 connect。'),
    },
    {
      role: 'racer',
      op: 'msgget',
      args: () => ({ key: 0, perms: 0o600 }),
      save: (reply, vars) => {
        if (reply.result < 0) return;
        vars.msqid = reply.result;
        recordMsg(stringVar(vars, 'dir'), reply.result);
      },
      code: 'int msqid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);',
      ...at('msgget('),
      explain: text(
        'A System V message queue (ipcs -q). Type 1 messages go to the echo, type 2 come back.',
        '一个 System V 消息队列（ipcs -q）。类型 1 的消息发往回声进程，类型 2 返回。',
        '一個 System V 訊息佇列（ipcs -q）。類型 1 的訊息發往回聲行程，類型 2 返回。',
      ),
    },
    {
      role: 'racer',
      op: 'shmget',
      args: () => ({ key: 0, size, perms: 0o600 }),
      save: (reply, vars) => {
        if (reply.result < 0) return;
        vars.shmid = reply.result;
        recordShm(stringVar(vars, 'dir'), reply.result);
      },
      code: 'int shmid = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);',
      ...at('shmget('),
      explain: text(
        `A shared segment of ${size} bytes: one message fits, and both processes will map the same pages.`,
        `一个 ${size} 字节的共享段：正好放下一条消息，两个进程将映射同样的页。`,
        `一個 ${size} 位元組的共享區段：正好放下一則訊息，兩個行程將映射同樣的頁。`,
      ),
    },
    {
      role: 'racer',
      op: 'semget',
      args: () => ({ key: 0, nsems: 3, perms: 0o600 }),
      save: (reply, vars) => {
        if (reply.result < 0) return;
        vars.semid = reply.result;
        recordSem(stringVar(vars, 'dir'), reply.result);
      },
      code: 'int semid = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);',
      ...at('semget('),
      explain: text(
        'Shared memory has no "wait until a message is there" of its own: three semaphores do that (FULL, EMPTY, BACK).',
        '共享内存自身没有“等到有消息”的办法：由三个信号量来做（FULL、EMPTY、BACK）。',
        '共享記憶體本身沒有「等到有訊息」的辦法：由三個號誌來做（FULL、EMPTY、BACK）。',
      ),
    },
    {
      role: 'racer',
      op: 'semctl',
      args: (v) => ({ semid: numberVar(v, 'semid'), num: 1, cmd: 'SETVAL', value: 1 }),
      code: 'semctl(semid, EMPTY, SETVAL, 1);',
      ...at('SETVAL, 1)'),
      explain: text('EMPTY = 1: the buffer may be written.', 'EMPTY = 1：缓冲区可以写。', 'EMPTY = 1：緩衝區可以寫。'),
    },
    {
      role: 'racer',
      op: 'spawn-child',
      spawns: 'echo',
      code: 'fork();',
      ...at('fork(', 1),
      explain: text(
        'The echo is born holding the same pipes, sockets and listener (the System V ids need no inheriting: any process may use them).',
        '回声进程出生时持有同样的管道、套接字和监听套接字（System V 的 id 不需要继承：任何进程都能用）。',
        '回聲行程出生時持有同樣的管道、socket 和監聽 socket（System V 的 id 不需要繼承：任何行程都能用）。',
      ),
    },
  ];
  const sendExplain = (what: string, hans: string, hant: string) =>
    text(
      `The racer sends every message twice: once with both sides checksumming every byte, once against the clock, then ${raceRoundsOf(params)} ping-pongs. ${what}`,
      `赛跑进程把每条消息发两遍：一遍两边都对每个字节求校验和，一遍计时；然后做 ${raceRoundsOf(params)} 次乒乓往返。${hans}`,
      `賽跑行程把每則訊息送兩遍：一遍兩邊都對每個位元組求校驗和，一遍計時；然後做 ${raceRoundsOf(params)} 次乒乓往返。${hant}`,
    );
  const race: LessonStep[] = [
    ...raceSteps(
      'pipe',
      'echo',
      { echo: 'echo_fd(to[0], back[1]);', echoLine: 'echo_fd(to[0]', send: 'race_fd(to[1], back[0]);', sendLine: 'race_fd(to[1]' },
      (v, s) => (s === 'echo' ? { in: numberVar(v, 'to0'), out: numberVar(v, 'back1') } : { out: numberVar(v, 'to1'), in: numberVar(v, 'back0') }),
      {
        echo: echoWaits('read (anon_pipe_read)', 'read（anon_pipe_read）', 'read（anon_pipe_read）'),
        send: sendExplain(
          'Each message is two syscalls and two copies: write copies it into the pipe\'s pages, read copies it out.',
          '每条消息两次系统调用、两次复制：write 把它复制进管道的页，read 再复制出来。',
          '每則訊息兩次系統呼叫、兩次複製：write 把它複製進管道的頁，read 再複製出來。',
        ),
      },
      params,
    ),
    ...raceSteps(
      'fifo',
      'echo',
      { echo: 'echo_fifo("race-to.fifo", "race-back.fifo");', echoLine: 'echo_fifo("', send: 'race_fifo("race-to.fifo", "race-back.fifo");', sendLine: 'race_fifo("' },
      (v) => ({ to: `${stringVar(v, 'dir')}/race-to.fifo`, back: `${stringVar(v, 'dir')}/race-back.fifo` }),
      {
        echo: echoWaits('open (wait_for_partner)', 'open（wait_for_partner）', 'open（wait_for_partner）'),
        send: sendExplain(
          'Once both ends are open a FIFO is a pipe: expect the pipe\'s numbers.',
          '两端都打开后，FIFO 就是管道：数字应与管道相近。',
          '兩端都開啟後，FIFO 就是管道：數字應與管道相近。',
        ),
      },
      params,
    ),
    ...raceSteps(
      'unix',
      'echo',
      { echo: 'echo_fd(sv[1], sv[1]);', echoLine: 'echo_fd(sv[1]', send: 'race_fd(sv[0], sv[0]);', sendLine: 'race_fd(sv[0]' },
      (v, s) => ({ fd: numberVar(v, s === 'echo' ? 'sv1' : 'sv0') }),
      {
        echo: echoWaits('read (unix_stream_read_generic)', 'read（unix_stream_read_generic）', 'read（unix_stream_read_generic）'),
        send: sendExplain(
          'A Unix socket also copies twice, and each message becomes a socket buffer the kernel allocates and frees.',
          'Unix 套接字同样复制两次，而且每条消息都成为内核分配又释放的一个套接字缓冲区。',
          'Unix socket 同樣複製兩次，而且每則訊息都成為核心配置又釋放的一個 socket 緩衝區。',
        ),
      },
      params,
    ),
    ...raceSteps(
      'tcp',
      'echo',
      { echo: 'echo_tcp(lfd);', echoLine: 'echo_tcp(lfd', send: 'race_tcp(ntohs(a.sin_port));', sendLine: 'race_tcp(ntohs' },
      (v) => ({ listener: numberVar(v, 'lfd'), port: numberVar(v, 'port') }),
      {
        echo: echoWaits('accept', 'accept', 'accept'),
        send: sendExplain(
          'TCP on 127.0.0.1 never touches a wire, but every message still goes down and up the whole TCP/IP stack: headers, checksums, acknowledgements.',
          '127.0.0.1 上的 TCP 从不碰网线，但每条消息仍要走完整个 TCP/IP 协议栈：报头、校验和、确认。',
          '127.0.0.1 上的 TCP 從不碰網線，但每則訊息仍要走完整個 TCP/IP 協定堆疊：標頭、校驗和、確認。',
        ),
      },
      params,
    ),
    ...raceSteps(
      'msgq',
      'echo',
      { echo: 'echo_msgq(msqid);', echoLine: 'echo_msgq(msqid', send: 'race_msgq(msqid);', sendLine: 'race_msgq(msqid' },
      (v) => ({ msqid: numberVar(v, 'msqid') }),
      {
        echo: echoWaits('msgrcv (do_msgrcv)', 'msgrcv（do_msgrcv）', 'msgrcv（do_msgrcv）'),
        send: sendExplain(
          'msgsnd copies the message into the kernel, msgrcv out. Above msgmax (8192 bytes here) the kernel refuses the message: the chart then says so instead of a bar.',
          'msgsnd 把消息复制进内核，msgrcv 复制出来。超过 msgmax（这里是 8192 字节）内核拒收：图表此时写明原因，不画柱子。',
          'msgsnd 把訊息複製進核心，msgrcv 複製出來。超過 msgmax（這裡是 8192 位元組）核心拒收：圖表此時寫明原因，不畫長條。',
        ),
      },
      params,
    ),
    ...raceSteps(
      'shm',
      'echo',
      { echo: 'echo_shm(shmid, semid);', echoLine: 'echo_shm(shmid', send: 'race_shm(shmid, semid);', sendLine: 'race_shm(shmid' },
      (v) => ({ shmid: numberVar(v, 'shmid'), semid: numberVar(v, 'semid') }),
      {
        echo: echoWaits('semop (__do_semtimedop)', 'semop（__do_semtimedop）', 'semop（__do_semtimedop）'),
        send: sendExplain(
          'The bytes cross with one memcpy in user space and no kernel copy. But each message needs two semop calls on each side, and with one buffer the two processes take turns: a sleep and a wake-up (a context switch) per message.',
          '字节只在用户空间 memcpy 一次，内核不复制。但每条消息两边各要两次 semop，而且只有一个缓冲区，两个进程轮流：每条消息一次睡眠和唤醒（一次上下文切换）。',
          '位元組只在使用者空間 memcpy 一次，核心不複製。但每則訊息兩邊各要兩次 semop，而且只有一個緩衝區，兩個行程輪流：每則訊息一次睡眠和喚醒（一次情境切換）。',
        ),
      },
      params,
    ),
  ];
  const cleanup: LessonStep[] = [
    {
      role: 'racer',
      op: 'msgctl',
      args: (v) => ({ msqid: numberVar(v, 'msqid'), cmd: 'IPC_RMID' }),
      save: (_r, v) => forgetMsg(stringVar(v, 'dir'), numberVar(v, 'msqid')),
      code: 'msgctl(msqid, IPC_RMID, NULL);',
      ...at('msgctl('),
      explain: text('System V objects outlive their processes: the racer removes each one.', 'System V 对象比进程活得久：赛跑进程逐个删除。', 'System V 物件比行程活得久：賽跑行程逐個刪除。'),
    },
    {
      role: 'racer',
      op: 'shmctl',
      args: (v) => ({ shmid: numberVar(v, 'shmid'), cmd: 'IPC_RMID' }),
      save: (_r, v) => forgetShm(stringVar(v, 'dir'), numberVar(v, 'shmid')),
      code: 'shmctl(shmid, IPC_RMID, NULL);',
      ...at('shmctl('),
      explain: text('The segment goes (both processes have detached it).', '段被删除（两个进程都已分离）。', '區段被刪除（兩個行程都已分離）。'),
    },
    {
      role: 'racer',
      op: 'semctl',
      args: (v) => ({ semid: numberVar(v, 'semid'), cmd: 'IPC_RMID' }),
      save: (_r, v) => forgetSem(stringVar(v, 'dir'), numberVar(v, 'semid')),
      code: 'semctl(semid, 0, IPC_RMID);',
      ...at('IPC_RMID);'),
      explain: text('And the semaphore set: ipcs shows none of the three now.', '还有信号量集：ipcs 现在三者都不显示了。', '還有號誌集：ipcs 現在三者都不顯示了。'),
    },
    {
      role: 'racer',
      op: 'unshare-ipc-mounts',
      syscall: 'unshare',
      code: 'unshare(CLONE_NEWNS | CLONE_NEWIPC);',
      ...at('unshare('),
      expectFailure: true,
      explain: text(
        'For the POSIX queues the racer takes an IPC namespace and a mount table of its own (as in the POSIX queue lesson): its queues die with the last process in it, whatever happens.',
        '为了 POSIX 队列，赛跑进程取得自己的 IPC 命名空间和挂载表（同 POSIX 队列一课）：其中的队列随最后一个进程消失，不论发生什么。',
        '為了 POSIX 佇列，賽跑行程取得自己的 IPC 命名空間和掛載表（同 POSIX 佇列一課）：其中的佇列隨最後一個行程消失，不論發生什麼。',
      ),
    },
    {
      role: 'racer',
      op: 'mount-private',
      syscall: 'mount',
      code: 'mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);',
      ...at('MS_PRIVATE'),
      expectFailure: true,
      explain: text('Mounts made now stay in this mount table.', '现在做的挂载只留在这张挂载表里。', '現在做的掛載只留在這張掛載表裡。'),
    },
    {
      role: 'racer',
      op: 'mount-mqueue',
      syscall: 'mount',
      args: (v) => ({ path: `${stringVar(v, 'dir')}/mqueue` }),
      code: 'mount("mqueue", "mqueue", "mqueue", 0, NULL);',
      ...at('mount("mqueue"'),
      expectFailure: true,
      explain: text(
        'The mqueue filesystem, mounted in the lesson\'s directory, so the picture can read each queue\'s QSIZE.',
        'mqueue 文件系统挂载在本课目录里，图中因此能读到每个队列的 QSIZE。',
        'mqueue 檔案系統掛載在本課目錄裡，圖中因此能讀到每個佇列的 QSIZE。',
      ),
    },
    {
      role: 'racer',
      op: 'spawn-child',
      spawns: 'mq-echo',
      code: 'fork();',
      ...at('fork(', 2),
      explain: text(
        'A second echo, born inside the racer\'s new namespaces: the first echo is outside them and could not see these queues.',
        '第二个回声进程，出生在赛跑进程的新命名空间里：第一个回声进程在外面，看不到这些队列。',
        '第二個回聲行程，出生在賽跑行程的新命名空間裡：第一個回聲行程在外面，看不到這些佇列。',
      ),
    },
    ...raceSteps(
      'mq',
      'mq-echo',
      { echo: 'echo_mq("/race-to", "/race-back");', echoLine: 'echo_mq("', send: 'race_mq("/race-to", "/race-back");', sendLine: 'race_mq("' },
      (v) => ({ to: mqName(v, 'to'), back: mqName(v, 'back') }),
      {
        echo: echoWaits('mq_receive (wq_sleep)', 'mq_receive（wq_sleep）', 'mq_receive（wq_sleep）'),
        send: sendExplain(
          'mq_send copies into the kernel, mq_receive out, like a System V queue. Then the chart is complete.',
          'mq_send 复制进内核，mq_receive 复制出来，和 System V 队列一样。之后图表就完整了。',
          'mq_send 複製進核心，mq_receive 複製出來，和 System V 佇列一樣。之後圖表就完整了。',
        ),
      },
      params,
    ),
  ];
  return [...setup, ...race, ...cleanup];
}

export const ipcRace: Lesson = {
  id: 'ipc-race',
  title: text('The IPC race, measured here', 'IPC 赛跑：在本机实测', 'IPC 賽跑：在本機實測'),
  summary: text(
    'The same messages through a pipe, a FIFO, a Unix socket, TCP, two kinds of message queue and shared memory, between two real processes: throughput, round trips, syscalls and copies, measured in this run.',
    '同样的消息经过管道、FIFO、Unix 套接字、TCP、两种消息队列和共享内存，在两个真实进程之间传递：吞吐量、往返时间、系统调用和复制次数，都是本次实测。',
    '同樣的訊息經過管道、FIFO、Unix socket、TCP、兩種訊息佇列和共享記憶體，在兩個真實行程之間傳遞：吞吐量、往返時間、系統呼叫和複製次數，都是本次實測。',
  ),
  mechanism: 'socket',
  programs: [raceC],
  firstRole: 'racer',
  tempDir: true,
  params: [
    {
      name: 'size',
      kind: 'choice',
      label: text('Message size', '消息大小', '訊息大小'),
      default: '4096',
      choices: [
        { value: '64', label: text('64 B', '64 B', '64 B') },
        { value: '4096', label: text('4 KiB', '4 KiB', '4 KiB') },
        { value: '65536', label: text('64 KiB', '64 KiB', '64 KiB') },
      ],
    },
    { name: 'kib', kind: 'int', label: text('KiB per mechanism', '每种机制的 KiB', '每種機制的 KiB'), min: 16, max: 8192, default: RACE_DEFAULT_KIB },
  ],
  steps: build({ size: '4096', kib: RACE_DEFAULT_KIB }),
  stepsFor: build,
  claims: [shmFastestClaim],
  race: raceResult,
};
