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
import type { RaceMechanismId } from '../../model/race-types';
import type { LessonParams } from '../../model/frame-types';
import type { Lesson, LessonStep, LessonVars } from '../lesson-types';
import { numberVar, stringVar } from '../lesson-types';
import { raceFailureNote, raceMessagesOf, raceResult, raceRoundsOf, raceSizeOf, RACE_DEFAULT_KIB, saveRace, shmFastestClaim } from './ipc-race-results';
import { raceCleanupSteps, raceMqName, raceSetupSteps } from './ipc-race-setup';
import { raceC } from '../programs/ipc-race/race-program';
import { exitWith, text } from '../step-kit';

const at = (needle: string, nth = 1) => ({ program: raceC.file, line: raceC.line(needle, nth) });

function raceSteps(
  mech: RaceMechanismId,
  echoRole: 'echo' | 'mq-echo',
  code: { echo: string; echoLine: string; send: string; sendLine: string },
  args: (v: LessonVars, side: 'echo' | 'send') => Record<string, number | string>,
  explain: { echo: ReturnType<typeof text>; send: ReturnType<typeof text> },
  params: LessonParams,
): LessonStep[] {
  const plan = { mech, size: raceSizeOf(params), messages: raceMessagesOf(params), rounds: raceRoundsOf(params) };
  /* the payload's seed differs per run (the lesson directory's random name) and per mechanism */
  const seed = (v: LessonVars): number => [...`${stringVar(v, 'dir')}/${mech}`].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5);
  return [
    {
      role: echoRole,
      op: 'race-echo',
      syscall: `echo_${mech}`,
      args: (v) => ({ ...plan, seed: seed(v), ...args(v, 'echo'), calls: `${code.echo.replace(';', '')}: ${plan.messages} × ${plan.size} B twice, ${plan.rounds} echoes` }),
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
      /* peer: the echo is the racer's child; should it die, the racer's wait ends and waitid says how (actor/ops/race-peer.ts) */
      args: (v) => ({
        ...plan,
        seed: seed(v),
        ...args(v, 'send'),
        peer: numberVar(v, `${echoRole}Pid`),
        calls: `${code.send.replace(';', '')}: ${plan.messages} × ${plan.size} B twice, ${plan.rounds} round trips`,
      }),
      save: saveRace(mech, 'send'),
      failureNote: raceFailureNote(mech, echoRole),
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
          'Each message is two syscalls and two copies: write copies it into the pipe\'s pages, read copies it out. For small messages the calls cost more than the bytes: every syscall enters and leaves the kernel, and here each one is also called from JavaScript through koffi (about half a microsecond more).',
          '每条消息两次系统调用、两次复制：write 把它复制进管道的页，read 再复制出来。消息小的时候，调用本身比字节更费时：每次系统调用都要进出内核，而这里每次调用还要从 JavaScript 经 koffi 发出（多约半微秒）。',
          '每則訊息兩次系統呼叫、兩次複製：write 把它複製進管道的頁，read 再複製出來。訊息小的時候，呼叫本身比位元組更費時：每次系統呼叫都要進出核心，而這裡每次呼叫還要從 JavaScript 經 koffi 發出（多約半微秒）。',
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
    ...raceCleanupSteps,
    ...raceSteps(
      'mq',
      'mq-echo',
      { echo: 'echo_mq("/race-to", "/race-back");', echoLine: 'echo_mq("', send: 'race_mq("/race-to", "/race-back");', sendLine: 'race_mq("' },
      (v) => ({ to: raceMqName(v, 'to'), back: raceMqName(v, 'back') }),
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
  const end: LessonStep = {
    role: 'mq-echo',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(0);',
    ...at('exit(0)'),
    explain: text(
      'The second echo exits once it has sent its last reply. The chart now has every mechanism: the numbers are this run\'s, measured while the sampler watched, on a machine other programs share.',
      '第二个回声进程发完最后一个回复后退出。图表现在有了每种机制：这些数字是本次的，测量时采样器在观察，机器也被其他程序共用。',
      '第二個回聲行程送完最後一個回覆後結束。圖表現在有了每種機制：這些數字是本次的，測量時取樣器在觀察，機器也被其他程式共用。',
    ),
  };
  return [...raceSetupSteps(params), ...race, ...cleanup, end];
}

export const ipcRace: Lesson = {
  id: 'ipc-race',
  title: text('The IPC race', 'IPC 赛跑', 'IPC 賽跑'),
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
      label: text('Size', '大小', '大小'),
      default: '4096',
      choices: [
        { value: '64', label: text('64 B', '64 B', '64 B') },
        { value: '4096', label: text('4 KiB', '4 KiB', '4 KiB') },
        { value: '65536', label: text('64 KiB', '64 KiB', '64 KiB') },
      ],
    },
    { name: 'kib', kind: 'int', label: text('KiB each', '每种 KiB', '每種 KiB'), min: 16, max: 4096, default: RACE_DEFAULT_KIB },
  ],
  steps: build({ size: '4096', kib: RACE_DEFAULT_KIB }),
  stepsFor: build,
  claims: [shmFastestClaim],
  race: raceResult,
};
