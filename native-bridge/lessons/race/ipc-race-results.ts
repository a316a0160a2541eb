/**
 * The IPC race's numbers (lessons/race/ipc-race.ts): what each race step's two
 * processes returned is saved in the lesson's vars as JSON, and turned into
 * the RaceResult the frame carries; the claim card for "shared memory is the
 * fastest IPC" is judged from this run's numbers at this message size.
 */
import type { RaceEntry, RaceMechanismId, RaceResult } from '../../model/race-types';
import type { ActorReply } from '../../actor/actor-protocol';
import type { LessonParams, LocalizedText } from '../../model/frame-types';
import type { ClaimMeasure, LessonClaim, LessonVars } from '../lesson-types';
import { text } from '../step-kit';
import { exitWords } from '../death-words';

export const RACE_ORDER: RaceMechanismId[] = ['pipe', 'fifo', 'unix', 'tcp', 'msgq', 'shm', 'mq'];
export const RACE_SIZE_CHOICES = [64, 4096, 65536] as const;
/* 1 MiB a mechanism and at most 5000 messages: a race step stays within seconds even on a loaded 2-core machine, where each
   sleep and wake-up of the two processes may wait milliseconds for a core */
export const RACE_DEFAULT_KIB = 1024;
export const RACE_MAX_MESSAGES = 5000;

export function raceSizeOf(params: LessonParams): number {
  const size = Number(params.size ?? 4096);
  return (RACE_SIZE_CHOICES as readonly number[]).includes(size) ? size : 4096;
}

/** Messages per pass: `kib` KiB of payload, at least 4 and at most RACE_MAX_MESSAGES, so a run takes seconds. */
export function raceMessagesOf(params: LessonParams): number {
  const kib = Number(params.kib ?? RACE_DEFAULT_KIB);
  return Math.max(4, Math.min(RACE_MAX_MESSAGES, Math.floor((kib * 1024) / raceSizeOf(params))));
}

export function raceRoundsOf(params: LessonParams): number {
  return Math.max(50, Math.min(200, raceMessagesOf(params)));
}

const key = (mech: RaceMechanismId, side: 'send' | 'echo'): string => `race.${mech}.${side}`;

/** A race step's save: its reply's numbers, as JSON in vars (vars hold numbers and strings only). */
export function saveRace(mech: RaceMechanismId, side: 'send' | 'echo'): (reply: ActorReply, vars: LessonVars) => void {
  return (reply, vars) => {
    if (reply.data) vars[key(mech, side)] = JSON.stringify(reply.data);
  };
}

type Saved = Record<string, unknown>;

function savedOf(vars: LessonVars, mech: RaceMechanismId, side: 'send' | 'echo'): Saved | null {
  const raw = vars[key(mech, side)];
  return typeof raw === 'string' ? (JSON.parse(raw) as Saved) : null;
}

const num = (saved: Saved, name: string): number => (typeof saved[name] === 'number' ? (saved[name] as number) : 0);
const str = (saved: Saved, name: string): string => (typeof saved[name] === 'string' ? (saved[name] as string) : '');

function entryOf(mech: RaceMechanismId, send: Saved, echo: Saved): RaceEntry {
  const skippedBy = str(send, 'skipped') || str(echo, 'skipped');
  const shm = mech === 'shm';
  return {
    mechanism: mech,
    skipped: skippedBy
      ? { limit: skippedBy, value: num(send, 'limit') || num(echo, 'limit'), refusedWith: str(send, 'refusedWith') || str(echo, 'refusedWith') || null }
      : null,
    bytesSent: num(send, 'bytes'),
    bytesReceived: num(echo, 'bytes'),
    checksumSent: str(send, 'checksum'),
    checksumReceived: str(echo, 'checksum'),
    bytesPerSecond: num(send, 'bytesPerSecond'),
    seconds: num(send, 'seconds'),
    rttMedianUs: num(send, 'rttMedianUs'),
    rttP95Us: num(send, 'rttP95Us'),
    syscallsPerMessage: num(send, 'callsPerMessage') + num(echo, 'callsPerMessage'),
    sleepsPerMessage: num(send, 'switchesPerMessage') + num(echo, 'switchesPerMessage'),
    /* write/send/msgsnd/mq_send copy the payload into the kernel, read/recv/msgrcv/mq_receive copy it out; the segment is
       written with one memcpy and read where it is */
    kernelCopies: shm ? 0 : 2,
    userCopies: shm ? 1 : 0,
    inOrder: send.echoedInOrder === true && echo.inOrder === true,
  };
}

/**
 * The race so far: one entry per mechanism whose two processes have both returned
 * (`senderOnly`: once the sender has, for the claim, judged before the last echo's return is told).
 */
export function raceResult(vars: LessonVars, params: LessonParams, senderOnly = false): RaceResult {
  const entries: RaceEntry[] = [];
  for (const mech of RACE_ORDER) {
    const send = savedOf(vars, mech, 'send');
    const echo = savedOf(vars, mech, 'echo');
    if (send && (echo || senderOnly)) entries.push(entryOf(mech, send, echo ?? {}));
  }
  return { size: raceSizeOf(params), messages: raceMessagesOf(params), rounds: raceRoundsOf(params), entries };
}

const mbps = (e: RaceEntry): string => `${(e.bytesPerSecond / 1e6).toFixed(1)} MB/s`;
const us = (v: number): string => `${v.toFixed(1)} µs`;

/** Seeds 002/003: "shared memory is the fastest IPC". Judged from this run's throughput and median round trip. */
export const shmFastestClaim: LessonClaim = {
  id: 'shm-fastest',
  claim: text(
    'Shared memory is the fastest way for processes to exchange data.',
    '共享内存是进程之间交换数据最快的方式。',
    '共享記憶體是行程之間交換資料最快的方式。',
  ),
  after: 'race-mq',
  measure(settled): ClaimMeasure {
    const result = raceResult(settled.vars, settled.params, true);
    const ran = result.entries.filter((e) => e.skipped === null && e.bytesPerSecond > 0);
    const shm = ran.find((e) => e.mechanism === 'shm');
    const others = ran.filter((e) => e.mechanism !== 'shm');
    if (!shm || others.length === 0) {
      return {
        holds: 'partly',
        text: text('The race did not finish, so this run cannot answer.', '比赛没有跑完，本次无法回答。', '比賽沒有跑完，本次無法回答。'),
        measured: {},
      };
    }
    const fastest = others.reduce((a, b) => (b.bytesPerSecond > a.bytesPerSecond ? b : a));
    const quickest = others.reduce((a, b) => (b.rttMedianUs < a.rttMedianUs ? b : a));
    const wins = (shm.bytesPerSecond > fastest.bytesPerSecond ? 1 : 0) + (shm.rttMedianUs < quickest.rttMedianUs ? 1 : 0);
    const holds = wins === 2 ? 'holds' : wins === 1 ? 'partly' : 'differs';
    const size = result.size;
    const numbers = `shm ${mbps(shm)}, ${us(shm.rttMedianUs)}; ${fastest.mechanism} ${mbps(fastest)}; ${quickest.mechanism} ${us(quickest.rttMedianUs)}`;
    return {
      holds,
      measured: {
        'message size': size,
        'shm throughput': mbps(shm),
        [`best other (${fastest.mechanism})`]: mbps(fastest),
        'shm round trip': us(shm.rttMedianUs),
        [`quickest other (${quickest.mechanism})`]: us(quickest.rttMedianUs),
      },
      text: text(
        `At ${size} bytes a message, in this run: ${numbers}. The bytes themselves cross shared memory with no copy through the kernel, but each message here still costs ${shm.syscallsPerMessage.toFixed(1)} semop calls and ${shm.sleepsPerMessage.toFixed(1)} sleeps (context switches, as the kernel counted them), which is ${holds === 'holds' ? 'still cheaper than the copies the others make at this size' : 'more than the copies it saves at this size'}. The bigger the message, the more the saved copies count.`,
        `每条消息 ${size} 字节，本次测得：${numbers}。字节本身经共享内存传递，不经内核复制，但这里每条消息仍要 ${shm.syscallsPerMessage.toFixed(1)} 次 semop 调用和 ${shm.sleepsPerMessage.toFixed(1)} 次睡眠（内核计数的上下文切换），${holds === 'holds' ? '在这个大小下仍比其他方式的复制便宜' : '在这个大小下比它省下的复制还贵'}。消息越大，省下的复制越划算。`,
        `每則訊息 ${size} 位元組，本次測得：${numbers}。位元組本身經共享記憶體傳遞，不經核心複製，但這裡每則訊息仍要 ${shm.syscallsPerMessage.toFixed(1)} 次 semop 呼叫和 ${shm.sleepsPerMessage.toFixed(1)} 次睡眠（核心計數的情境切換），${holds === 'holds' ? '在這個大小下仍比其他方式的複製便宜' : '在這個大小下比它省下的複製還貴'}。訊息越大，省下的複製越划算。`,
      ),
    };
  },
};

/* what each race's two processes wait on, as the failure names it */
const RACE_CHANNEL_WORDS: Record<RaceMechanismId, LocalizedText> = {
  pipe: { en: 'the two pipes', 'zh-Hans': '两条管道', 'zh-Hant': '兩條管道' },
  fifo: { en: 'the two FIFOs', 'zh-Hans': '两个 FIFO', 'zh-Hant': '兩個 FIFO' },
  unix: { en: 'the Unix socketpair', 'zh-Hans': 'Unix socketpair', 'zh-Hant': 'Unix socketpair' },
  tcp: { en: 'the TCP connection on 127.0.0.1', 'zh-Hans': '127.0.0.1 上的 TCP 连接', 'zh-Hant': '127.0.0.1 上的 TCP 連線' },
  msgq: { en: 'the System V message queue', 'zh-Hans': 'System V 消息队列', 'zh-Hant': 'System V 訊息佇列' },
  shm: { en: 'the System V segment and its semaphores', 'zh-Hans': 'System V 共享内存段及其信号量', 'zh-Hant': 'System V 共享記憶體區段及其號誌' },
  mq: { en: 'the POSIX message queues', 'zh-Hans': 'POSIX 消息队列', 'zh-Hant': 'POSIX 訊息佇列' },
};

/**
 * The racer's race failed: when its echo died, how (as waitid told the racer,
 * its parent) and in which call the racer was waiting, in each language; null otherwise.
 */
export function raceFailureNote(mech: RaceMechanismId, echoRole: string): (reply: ActorReply) => LocalizedText | null {
  return (reply) => {
    const data = reply.data ?? {};
    if (typeof data.peerPid !== 'number') return null;
    const pid = `${data.peerPid}`;
    const end = typeof data.peerSignal === 'number' ? { signal: data.peerSignal } : { exitCode: Number(data.peerExitCode) };
    const how = exitWords(end);
    const call = typeof data.call === 'string' ? data.call : null;
    const channel = RACE_CHANNEL_WORDS[mech];
    const died = end.signal !== undefined;
    return {
      en: `the ${echoRole} (PID ${pid}) ${died ? `was ${how.en}` : `exited with status ${String(end.exitCode)}`} while the racer was in ${call ?? 'its loop'} on ${channel.en}: waitid on its child says so, and no one is left to answer`,
      'zh-Hans': `${echoRole}（PID ${pid}）${died ? how['zh-Hans'] : `以${how['zh-Hans']}退出`}，当时 racer 正在${channel['zh-Hans']}上的 ${call ?? '循环'} 中等待：racer 对子进程的 waitid 如此报告，已没有进程能应答`,
      'zh-Hant': `${echoRole}（PID ${pid}）${died ? how['zh-Hant'] : `以${how['zh-Hant']}結束`}，當時 racer 正在${channel['zh-Hant']}上的 ${call ?? '迴圈'} 中等待：racer 對子行程的 waitid 如此回報，已沒有行程能應答`,
    };
  };
}
