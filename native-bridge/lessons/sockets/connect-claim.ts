/**
 * The seed's client flow says a client "connects with accept()". Both socket
 * lessons (unix-stream-server, echo-logger) measure it the same way: after
 * the second client's connect(), how many finished connections wait in the
 * listener's queue, against its backlog, before any accept().
 */
import type { LocalizedText } from '../../model/frame-types';
import type { LessonClaim, LessonVars, SettledStep, Verdict } from '../lesson-types';
import { text } from '../step-kit';

export interface ConnectClaimSpec {
  id: string;
  /** The listener's queue as the kernel reports it (the lesson's own reader: ss -xl or ss -tl numbers). */
  queue(vars: LessonVars): { pending: number; backlog: number } | null;
  /** Why, in this lesson's words, with the measured numbers. */
  explain(pending: number, backlog: number): LocalizedText;
}

export function connectNotAcceptClaim({ id, queue, explain }: ConnectClaimSpec): LessonClaim {
  return {
    id,
    claim: text(
      'The course\'s client flow says the client connects to the server with accept().',
      '课程的客户端流程说客户端用 accept() 连接服务器。',
      '課程的用戶端流程說用戶端用 accept() 連線伺服器。',
    ),
    after: 'connect2',
    measure(settled) {
      const q = queue(settled.vars);
      const pending = q?.pending ?? -1;
      const backlog = q?.backlog ?? -1;
      return {
        holds: 'differs',
        measured: { 'connect() result': settled.reply?.result ?? -1, 'pending (Recv-Q)': pending, 'backlog (Send-Q)': backlog },
        text: explain(pending, backlog),
      };
    },
  };
}

/** The listener's queue in words, in the three languages (each lesson says it with its own ss command). */
export interface QueueWords {
  en: string;
  hans: string;
  hant: string;
}

/**
 * Judges "what does connect() do before any accept()?" from the kernel: the
 * client asleep in connect (blocks), connect() returned 0 (returns: `returned`
 * says why in this lesson's words), or it failed (refused, with its errno).
 */
export function judgeConnect(settled: SettledStep, q: QueueWords, returned: LocalizedText): Verdict {
  if (settled.status === 'blocked') {
    const wchan = settled.wait('client1')?.wchan ?? '?';
    return {
      correct: 'blocks',
      evidence: text(`The client sleeps in connect (wchan ${wchan}); ${q.en}.`, `客户端睡在 connect 中（wchan ${wchan}）；${q.hans}。`, `用戶端睡在 connect 中（wchan ${wchan}）；${q.hant}。`),
    };
  }
  if ((settled.reply?.result ?? -1) === 0) return { correct: 'returns', evidence: returned };
  const errno = settled.reply?.errno ?? '?';
  return { correct: 'refused', evidence: text(`connect() failed: ${errno}.`, `connect() 失败：${errno}。`, `connect() 失敗：${errno}。`) };
}
