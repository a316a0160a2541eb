/**
 * What the semaphore lesson asks and claims, judged from the kernel: the
 * counter as the segment holds it (read through /proc/PID/mem at the address
 * main's shmat returned: no attach, so nattch is not touched), the semaphores'
 * values and waiter counts (semctl GETVAL / GETNCNT, what `ipcs -s -i ID`
 * prints) and the waiter's /proc/PID/{wchan,syscall}.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { GETNCNT, GETVAL, SYS_SEMOP, SYS_SEMTIMEDOP, sysv } from '../../libc/sysv';
import { parseSysvTable, type SysvRow } from '../../probe/kinds/sysv/sysvipc-table';
import { readFileSync } from 'node:fs';
import type { LessonClaim, LessonQuestion, SettledStep } from '../lesson-types';
import { numberVar, stringVar } from '../lesson-types';
import { SEM_TIMES } from '../programs/sem-counter/sem-programs';
import { text } from '../step-kit';

export { SEM_TIMES };
/* the semaphore numbers of the lesson's set, as the programs #define them */
export const GATE = 0;
export const MUTEX = 1;
export const DONE = 2;
export const SLOTS = 3;
export const EXPECTED = 2 * SEM_TIMES;

/** The set's row of /proc/sysvipc/sem (what `ipcs -s` prints), or null once it is gone. */
export function semRow(semid: number): SysvRow | null {
  return parseSysvTable(readFileSync('/proc/sysvipc/sem', 'utf8')).find((row) => row.semid === semid) ?? null;
}

/** semval and semncnt of one semaphore, as the kernel has them now. */
export function semState(semid: number, num: number): { value: number; waitingForIncrease: number } {
  return { value: sysv.semctlInt(semid, num, GETVAL, 0), waitingForIncrease: sysv.semctlInt(semid, num, GETNCNT, 0) };
}

/** The int at `address` in process `pid`'s memory, as the kernel has it (/proc/PID/mem): the segment itself, without attaching it. */
export function counterIn(pid: number, address: string): number {
  const fd = openSync(`/proc/${pid}/mem`, 'r');
  try {
    const buf = Buffer.alloc(4);
    readSync(fd, buf, 0, 4, BigInt(address));
    return buf.readInt32LE(0);
  } finally {
    closeSync(fd);
  }
}

function counterNow(settled: SettledStep): number {
  const pid = settled.pidOf('main');
  if (pid === undefined) throw new Error('no main process');
  return counterIn(pid, stringVar(settled.vars, 'counterAddress'));
}

const counterChoices = [
  { id: 'exact', text: text(`Exactly ${EXPECTED}`, `正好 ${EXPECTED}`, `正好 ${EXPECTED}`) },
  { id: 'short', text: text(`Less than ${EXPECTED}`, `少于 ${EXPECTED}`, `少於 ${EXPECTED}`) },
  { id: 'more', text: text(`More than ${EXPECTED}`, `多于 ${EXPECTED}`, `多於 ${EXPECTED}`) },
];

function judgeCounter(settled: SettledStep) {
  const value = counterNow(settled);
  return {
    correct: value === EXPECTED ? 'exact' : value < EXPECTED ? 'short' : 'more',
    evidence: text(
      `The segment holds ${value} (read from main's memory at its shmat address): ${EXPECTED - value} of the ${EXPECTED} increments were lost.`,
      `共享内存段里是 ${value}（从 main 的内存、其 shmat 地址处读取）：${EXPECTED} 次加法中丢失了 ${EXPECTED - value} 次。`,
      `共享記憶體區段裡是 ${value}（從 main 的記憶體、其 shmat 位址處讀取）：${EXPECTED} 次加法中遺失了 ${EXPECTED - value} 次。`,
    ),
  };
}

export const freshValuesQuestion: LessonQuestion = {
  prompt: text(
    'main creates a set of four semaphores without giving them values. What values does the kernel give them?',
    'main 创建一组四个信号量，没有给它们赋值。内核给它们什么值？',
    'main 建立一組四個號誌，沒有給它們賦值。核心給它們什麼值？',
  ),
  choices: [
    { id: 'zero', text: text('All 0', '全是 0', '全是 0') },
    { id: 'one', text: text('All 1', '全是 1', '全是 1') },
    { id: 'garbage', text: text('Whatever was in that memory', '那块内存里原有的任意值', '那塊記憶體裡原有的任意值') },
  ],
  judge(settled) {
    const semid = numberVar(settled.vars, 'semid');
    const values = [GATE, MUTEX, DONE, SLOTS].map((num) => semState(semid, num).value);
    return {
      correct: values.every((v) => v === 0) ? 'zero' : values.every((v) => v === 1) ? 'one' : 'garbage',
      evidence: text(
        `semctl(GETVAL) reads ${values.join(', ')}. Linux zeroes a new set; POSIX leaves the values unspecified, which is why programs set them with SETVAL before use.`,
        `semctl(GETVAL) 读到 ${values.join('、')}。Linux 把新信号量集清零；POSIX 并未规定初值，所以程序在使用前要用 SETVAL 设定。`,
        `semctl(GETVAL) 讀到 ${values.join('、')}。Linux 把新號誌集清零；POSIX 並未規定初值，所以程式在使用前要用 SETVAL 設定。`,
      ),
    };
  },
};

export const unlockedQuestion: LessonQuestion = {
  prompt: text(
    `Two processes each added 1 to the shared counter ${SEM_TIMES} times, at the same time, with no semaphore. What does main read?`,
    `两个进程同时各给共享计数器加 1 共 ${SEM_TIMES} 次，没有用信号量。main 读到多少？`,
    `兩個行程同時各給共享計數器加 1 共 ${SEM_TIMES} 次，沒有用號誌。main 讀到多少？`,
  ),
  choices: counterChoices,
  judge: judgeCounter,
};

export const lockedQuestion: LessonQuestion = {
  prompt: text(
    `The same race, but each increment sits between P and V on the mutex. What does main read now?`,
    '同样的竞争，但每次加法都夹在互斥量的 P 和 V 之间。main 这次读到多少？',
    '同樣的競爭，但每次加法都夾在互斥量的 P 和 V 之間。main 這次讀到多少？',
  ),
  choices: counterChoices,
  judge: judgeCounter,
};

/** Whether the role's process sleeps in semop on the set: /proc/PID/syscall 220 (or 65) with arg0 = semid. */
function asleepInSemop(settled: SettledStep, role: string): { asleep: boolean; wchan: string } {
  const wait = settled.wait(role);
  const semid = numberVar(settled.vars, 'semid');
  const asleep = !!wait && wait.state === 'S' && [SYS_SEMTIMEDOP, SYS_SEMOP].includes(wait.syscallNr) && wait.arg0 === semid;
  return { asleep, wchan: wait?.wchan ?? '' };
}

function waiterQuestion(num: number, what: ReturnType<typeof text>): LessonQuestion {
  return {
    prompt: what,
    choices: [
      { id: 'gets', text: text('It gets the semaphore and goes on', '它拿到信号量，继续执行', '它拿到號誌，繼續執行') },
      { id: 'sleeps', text: text('It sleeps in semop until the value goes up', '它在 semop 中睡眠，直到值增加', '它在 semop 中睡眠，直到值增加') },
      { id: 'fails', text: text('semop fails with EAGAIN', 'semop 以 EAGAIN 失败', 'semop 以 EAGAIN 失敗') },
    ],
    judge(settled) {
      const { asleep, wchan } = asleepInSemop(settled, 'waiter');
      const { value, waitingForIncrease } = semState(numberVar(settled.vars, 'semid'), num);
      const correct = asleep ? 'sleeps' : settled.reply && settled.reply.result !== null && settled.reply.result < 0 ? 'fails' : 'gets';
      return {
        correct,
        evidence: text(
          `Semaphore ${num} is ${value}, semncnt ${waitingForIncrease}; the waiter's /proc/PID/wchan says "${wchan || 'running'}".`,
          `信号量 ${num} 的值为 ${value}，semncnt 为 ${waitingForIncrease}；等待者的 /proc/PID/wchan 显示 "${wchan || 'running'}"。`,
          `號誌 ${num} 的值為 ${value}，semncnt 為 ${waitingForIncrease}；等待者的 /proc/PID/wchan 顯示 "${wchan || 'running'}"。`,
        ),
      };
    },
  };
}

export const mutexWaiterQuestion = waiterQuestion(
  MUTEX,
  text(
    'main has taken the mutex (it is 0). The waiter asks for it with semop -1. What happens?',
    'main 已取得互斥量（值为 0）。等待者用 semop -1 申请它。会发生什么？',
    'main 已取得互斥量（值為 0）。等待者用 semop -1 申請它。會發生什麼？',
  ),
);

export const slotWaiterQuestion = waiterQuestion(
  SLOTS,
  text(
    'The counting semaphore had 2 places and both adders took one. The waiter asks for a third. What happens?',
    '计数信号量有 2 个空位，两个加法进程各占了一个。等待者申请第三个。会发生什么？',
    '計數號誌有 2 個空位，兩個加法行程各佔了一個。等待者申請第三個。會發生什麼？',
  ),
);

export const lostUpdateClaim: LessonClaim = {
  id: 'sem-lost-update',
  claim: text(
    'The course says processes sharing a resource need a semaphore to control access to it: without one, two processes updating the same counter get it wrong.',
    '课程说共享资源的进程需要信号量来控制访问：没有它，两个进程更新同一个计数器会出错。',
    '課程說共享資源的行程需要號誌來控制存取：沒有它，兩個行程更新同一個計數器會出錯。',
  ),
  after: 'count-unlocked',
  measure(settled) {
    const value = counterNow(settled);
    const lost = EXPECTED - value;
    return {
      holds: lost > 0 ? 'holds' : 'partly',
      measured: { expected: EXPECTED, counter: value, lost },
      text:
        lost > 0
          ? text(
              `The counter in the segment is ${value}, not ${EXPECTED}: ${lost} increments were lost. Each adder read the value, and before it wrote value + 1 the other had stored its own; one of the two stores overwrote the other.`,
              `段里的计数器是 ${value}，不是 ${EXPECTED}：丢失了 ${lost} 次加法。每个加法进程读到值，在它写回值 + 1 之前，另一个已写入自己的结果；两次写入有一次被覆盖。`,
              `區段裡的計數器是 ${value}，不是 ${EXPECTED}：遺失了 ${lost} 次加法。每個加法行程讀到值，在它寫回值 + 1 之前，另一個已寫入自己的結果；兩次寫入有一次被覆蓋。`,
            )
          : text(
              `This run lost nothing: the counter is exactly ${EXPECTED}. The two loops did not overlap in time (the machine may have run one after the other); the race is still there, and another run may lose increments.`,
              `这次运行没有丢失：计数器正好是 ${EXPECTED}。两个循环在时间上没有重叠（机器可能先后运行了它们）；竞争依然存在，再运行一次可能就会丢失。`,
              `這次執行沒有遺失：計數器正好是 ${EXPECTED}。兩個迴圈在時間上沒有重疊（機器可能先後執行了它們）；競爭依然存在，再執行一次可能就會遺失。`,
            ),
    };
  },
};

export const binaryMutexClaim: LessonClaim = {
  id: 'sem-binary-mutex',
  claim: text(
    'The course says a binary semaphore, whose value is only 0 or 1, works like a mutex.',
    '课程说二值信号量的值只能是 0 或 1，作用类似互斥锁。',
    '課程說二值號誌的值只能是 0 或 1，作用類似互斥鎖。',
  ),
  after: 'count-locked',
  measure(settled) {
    const value = counterNow(settled);
    return {
      holds: value === EXPECTED ? 'holds' : 'differs',
      measured: { expected: EXPECTED, counter: value, 'semop calls per adder': 2 * SEM_TIMES },
      text: text(
        `With P (-1) before and V (+1) after each increment, the segment holds ${value} of ${EXPECTED}. Only one adder at a time was between P and V; the other slept in semop. The price: ${2 * SEM_TIMES} semop calls per adder.`,
        `每次加法前 P（-1）、后 V（+1），段里是 ${value}（预期 ${EXPECTED}）。同一时刻只有一个加法进程位于 P 和 V 之间，另一个在 semop 中睡眠。代价：每个加法进程 ${2 * SEM_TIMES} 次 semop 调用。`,
        `每次加法前 P（-1）、後 V（+1），區段裡是 ${value}（預期 ${EXPECTED}）。同一時刻只有一個加法行程位於 P 和 V 之間，另一個在 semop 中睡眠。代價：每個加法行程 ${2 * SEM_TIMES} 次 semop 呼叫。`,
      ),
    };
  },
};

export const countingClaim: LessonClaim = {
  id: 'sem-counting',
  claim: text(
    'The course says a counting semaphore may hold any non-negative value: with N places, N processes pass and the next one waits.',
    '课程说计数信号量可以取任意非负值：有 N 个空位时，N 个进程通过，下一个等待。',
    '課程說計數號誌可以取任意非負值：有 N 個空位時，N 個行程通過，下一個等待。',
  ),
  after: 'waiter-slot',
  measure(settled) {
    const { value, waitingForIncrease } = semState(numberVar(settled.vars, 'semid'), SLOTS);
    const { asleep, wchan } = asleepInSemop(settled, 'waiter');
    return {
      holds: value === 0 && waitingForIncrease === 1 && asleep ? 'holds' : 'differs',
      measured: { semval: value, semncnt: waitingForIncrease, 'waiter wchan': wchan || 'running' },
      text: text(
        `Set to 2, the semaphore let both adders pass and is now ${value}; the third taker sleeps (wchan ${wchan || 'running'}) and the kernel counts ${waitingForIncrease} waiting for it to increase.`,
        `设为 2 后，信号量让两个加法进程通过，现在为 ${value}；第三个申请者在睡眠（wchan ${wchan || 'running'}），内核记录有 ${waitingForIncrease} 个进程在等它增加。`,
        `設為 2 後，號誌讓兩個加法行程通過，現在為 ${value}；第三個申請者在睡眠（wchan ${wchan || 'running'}），核心記錄有 ${waitingForIncrease} 個行程在等它增加。`,
      ),
    };
  },
};
