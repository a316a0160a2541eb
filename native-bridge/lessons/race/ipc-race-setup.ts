/**
 * The IPC race's steps around the race itself (lessons/race/ipc-race.ts): the
 * racer makes every object before the echo is born (two pipes, a socketpair,
 * two FIFOs, a TCP listener on 127.0.0.1 port 0, a System V queue, segment
 * and semaphore set, each id recorded in the lesson directory), and after the
 * System V races removes them and takes namespaces of its own for the POSIX
 * queues.
 */
import { forgetMsg, recordMq, recordMsg } from '../../session/lesson-msgq-record';
import { forgetSem, recordSem } from '../../session/lesson-sem-record';
import { forgetShm, recordShm } from '../../session/lesson-shm-record';
import type { LessonParams } from '../../model/frame-types';
import type { LessonStep, LessonVars } from '../lesson-types';
import { numberVar, stringVar } from '../lesson-types';
import { raceMessagesOf, raceRoundsOf, raceSizeOf } from './ipc-race-results';
import { raceC } from '../programs/ipc-race/race-program';
import { saveFds, savePid, saveResult, text } from '../step-kit';

const at = (needle: string, nth = 1) => ({ program: raceC.file, line: raceC.line(needle, nth) });

/** The POSIX queues' names: one pair per run (the lesson directory's random suffix). */
export const raceMqName = (v: LessonVars, end: 'to' | 'back'): string => `/ipcscope-race-${end}-${stringVar(v, 'dir').slice(-6)}`;

export function raceSetupSteps(params: LessonParams): LessonStep[] {
  const size = raceSizeOf(params);
  return [
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
      save: savePid('echoPid'),
      code: 'fork();',
      ...at('fork(', 1),
      explain: text(
        'The echo is born holding the same pipes, sockets and listener (the System V ids need no inheriting: any process may use them).',
        '回声进程出生时持有同样的管道、套接字和监听套接字（System V 的 id 不需要继承：任何进程都能用）。',
        '回聲行程出生時持有同樣的管道、socket 和監聽 socket（System V 的 id 不需要繼承：任何行程都能用）。',
      ),
    },
  ];
}

/** The System V objects removed, then the racer's own namespaces and the second echo for the POSIX queues. */
export const raceCleanupSteps: LessonStep[] = [
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
      /* unlinked with the lesson's directory if the lesson stops before the racer unlinks them and the queues are the machine's */
      save: (r, v) => {
        v['mq-echoPid'] = r.result;
        for (const end of ['to', 'back'] as const) recordMq(stringVar(v, 'dir'), raceMqName(v, end));
      },
      code: 'fork();',
      ...at('fork(', 2),
      explain: text(
        'A second echo, born inside the racer\'s new namespaces: the first echo is outside them and could not see these queues.',
        '第二个回声进程，出生在赛跑进程的新命名空间里：第一个回声进程在外面，看不到这些队列。',
        '第二個回聲行程，出生在賽跑行程的新命名空間裡：第一個回聲行程在外面，看不到這些佇列。',
      ),
    },
];
