/**
 * "Semaphores guarding shared memory" (seed 004): main makes a segment with
 * one int and a set of four semaphores. Two adders, started by the engine as
 * separate processes, wait at a start gate (semop wait-for-zero) and then
 * increment the counter SEM_TIMES times each, for real (a load and a store on
 * the attached address): without a semaphore increments are lost, counted
 * from the segment itself; with P/V on a binary semaphore the count is exact.
 * A third process sleeps in semop on the mutex main holds, and on a counting
 * semaphore whose two places are taken. main removes both objects with
 * IPC_RMID; both ids are recorded in the lesson's directory, so a lesson
 * stopped half-way or an engine killed still removes them
 * (session/lesson-sem-record.ts, lesson-shm-record.ts).
 */
import { forgetSem, recordSem } from '../../session/lesson-sem-record';
import { forgetShm, recordShm } from '../../session/lesson-shm-record';
import type { LocalizedText } from '../../model/frame-types';
import type { Lesson, LessonStep, LessonVars } from '../lesson-types';
import { numberVar, stringVar } from '../lesson-types';
import { semAdderC, semMainC, semWaiterC } from '../programs/sem-counter/sem-programs';
import {
  binaryMutexClaim,
  countingClaim,
  DONE,
  freshValuesQuestion,
  GATE,
  lockedQuestion,
  lostUpdateClaim,
  MUTEX,
  mutexWaiterQuestion,
  SEM_TIMES,
  SLOTS,
  slotWaiterQuestion,
  unlockedQuestion,
} from './sem-claims';
import { exitWith, text } from '../step-kit';

export { counterIn, EXPECTED, semRow, semState, SEM_TIMES } from './sem-claims';

const main = (needle: string, nth = 1) => ({ program: semMainC.file, line: semMainC.line(needle, nth) });
const adder = (needle: string, nth = 1) => ({ program: semAdderC.file, line: semAdderC.line(needle, nth) });
const waiter = (needle: string, nth = 1) => ({ program: semWaiterC.file, line: semWaiterC.line(needle, nth) });

const semid = (v: LessonVars) => numberVar(v, 'semid');
const saveAddress = (name: string) => (reply: { data?: Record<string, unknown> }, vars: LessonVars) => {
  if (typeof reply.data?.address === 'string') vars[name] = reply.data.address;
};

type Role = 'main' | 'adder1' | 'adder2' | 'waiter';
/** Where `needle` stands in the program `role` runs (the adders share one). */
const lineIn = (role: Role, needle: string, nth = 1) => (role === 'main' ? main : role === 'waiter' ? waiter : adder)(needle, nth);

/** semop(semid, &<sembuf>, 1) on semaphore `num`: the C program's struct sembuf of that name has sem_op `op` (-1 takes, +1 gives). */
function semopStep(role: Role, sembuf: string, num: number, op: number, explain: LocalizedText, more: Partial<LessonStep> = {}, nth = 1): LessonStep {
  const call = `semop(semid, &${sembuf}, 1)`;
  return { ...more, role, op: 'semop', args: (v) => ({ semid: semid(v), num, op }), code: `${call};`, ...lineIn(role, call, nth), explain };
}

const SEMAPHORE = { GATE, MUTEX, SLOTS };
/** main's semctl(semid, <name>, SETVAL, value). */
function setvalStep(name: keyof typeof SEMAPHORE, value: number, explain: LocalizedText, nth = 1): LessonStep {
  const call = `semctl(semid, ${name}, SETVAL, ${value})`;
  return { role: 'main', op: 'semctl', args: (v) => ({ semid: semid(v), num: SEMAPHORE[name], cmd: 'SETVAL', value }), code: `${call};`, ...main(call, nth), explain };
}

function exitStep(role: Role, explain: LocalizedText): LessonStep {
  return { role, op: 'exit', args: exitWith(0), code: 'exit(0);', ...lineIn(role, 'exit(0)'), explain };
}

function attach(role: 'adder1' | 'adder2'): LessonStep {
  return {
    role,
    op: 'shmat',
    args: (v) => ({ shmid: numberVar(v, 'shmid') }),
    save: saveAddress(`${role}Address`),
    code: 'volatile int *counter = shmat(shmid, NULL, 0);',
    ...adder('shmat('),
    explain: text(
      `${role} attaches main's segment (its id came on the command line): the counter is now in its address space too.`,
      `${role} 挂接 main 的段（id 来自命令行）：计数器现在也在它的地址空间里。`,
      `${role} 掛接 main 的區段（id 來自命令列）：計數器現在也在它的位址空間裡。`,
    ),
  };
}

function add(role: 'adder1' | 'adder2', locked: boolean): LessonStep {
  const round = locked ? 2 : 1;
  return {
    role,
    op: 'add-counter',
    syscall: 'add',
    args: (v) => ({ address: stringVar(v, `${role}Address`), semid: semid(v), times: SEM_TIMES, locked, gate: GATE, mutex: MUTEX, done: DONE }),
    code: `add(counter, TIMES, semid, ${locked ? 1 : 0});`,
    ...adder(`add(counter, TIMES, semid, ${locked ? 1 : 0})`),
    explain:
      role === 'adder1'
        ? text(
            `Round ${round}: adder1 calls add(), which first waits for the gate to reach 0 (a semop with sem_op 0). The gate is 1, so it sleeps in semop: semzcnt of the gate counts it.`,
            `第 ${round} 轮：adder1 调用 add()，它先等起跑门变为 0（sem_op 为 0 的 semop）。门是 1，所以它在 semop 中睡眠：起跑门的 semzcnt 把它计入。`,
            `第 ${round} 輪：adder1 呼叫 add()，它先等起跑門變為 0（sem_op 為 0 的 semop）。門是 1，所以它在 semop 中睡眠：起跑門的 semzcnt 把它計入。`,
          )
        : text(
            `adder2 waits at the gate too: two processes wait for zero (semzcnt 2), ${locked ? 'this time each increment between P and V on the mutex' : 'and neither will use a semaphore around its increments'}.`,
            `adder2 也在起跑门等待：两个进程在等值变为零（semzcnt 为 2），${locked ? '这次每次加法都夹在互斥量的 P 和 V 之间' : '而且两者加法时都不用信号量'}。`,
            `adder2 也在起跑門等待：兩個行程在等值變為零（semzcnt 為 2），${locked ? '這次每次加法都夾在互斥量的 P 和 V 之間' : '而且兩者加法時都不用號誌'}。`,
          ),
  };
}

function round(locked: boolean): LessonStep[] {
  const nth = locked ? 2 : 1;
  return [
    setvalStep('GATE', 1, text('main closes the start gate: semaphore 0 is set to 1.', 'main 关上起跑门：信号量 0 设为 1。', 'main 關上起跑門：號誌 0 設為 1。'), nth),
    add('adder1', locked),
    add('adder2', locked),
    semopStep(
      'main',
      'open_gate',
      GATE,
      -1,
      text(
        'main takes the gate from 1 to 0: the kernel wakes both adders at once, and they run on the two cores at the same time.',
        'main 把起跑门从 1 减到 0：内核同时唤醒两个加法进程，它们在两个 CPU 核心上同时运行。',
        'main 把起跑門從 1 減到 0：核心同時喚醒兩個加法行程，它們在兩個 CPU 核心上同時執行。',
      ),
      {},
      nth,
    ),
    semopStep(
      'main',
      'both_done',
      DONE,
      -2,
      text(
        'main asks to take 2 from DONE, which each adder raises by 1 when its loop ends: it sleeps in semop until both are finished.',
        'main 申请从 DONE 减去 2，而每个加法进程循环结束时给 DONE 加 1：它在 semop 中睡眠，直到两个都完成。',
        'main 申請從 DONE 減去 2，而每個加法行程迴圈結束時給 DONE 加 1：它在 semop 中睡眠，直到兩個都完成。',
      ),
      {},
      nth,
    ),
    {
      id: locked ? 'count-locked' : 'count-unlocked',
      role: 'main',
      op: 'print-counter',
      syscall: 'printf',
      args: (v) => ({ address: stringVar(v, 'counterAddress') }),
      code: 'printf("%d\\n", *counter);',
      ...main('printf(', nth),
      question: locked ? lockedQuestion : unlockedQuestion,
      explain: locked
        ? text(
            'main reads the counter after the locked round: only one adder at a time could be between its read and its write.',
            'main 在加锁的一轮之后读取计数器：同一时刻只有一个加法进程能处在读和写之间。',
            'main 在加鎖的一輪之後讀取計數器：同一時刻只有一個加法行程能處在讀和寫之間。',
          )
        : text(
            'main reads the counter from the segment. When both adders read the same value, both write value + 1, and one increment is gone.',
            'main 从段里读取计数器。两个加法进程读到同一个值时，都写回值 + 1，于是少了一次加法。',
            'main 從區段裡讀取計數器。兩個加法行程讀到同一個值時，都寫回值 + 1，於是少了一次加法。',
          ),
    },
  ];
}

const steps: LessonStep[] = [
  {
    role: 'main',
    op: 'shmget',
    args: () => ({ key: 0, size: 4096, perms: 0o600 }),
    save: (reply, vars) => {
      if (reply.result < 0) return;
      vars.shmid = reply.result;
      recordShm(stringVar(vars, 'dir'), reply.result);
    },
    code: 'int shmid = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);',
    ...main('shmget('),
    explain: text(
      'main creates a one-page segment for the counter. A fresh segment is all zero: the counter starts at 0.',
      'main 为计数器创建一页大小的共享内存段。新段全为零：计数器从 0 开始。',
      'main 為計數器建立一頁大小的共享記憶體區段。新區段全為零：計數器從 0 開始。',
    ),
  },
  {
    role: 'main',
    op: 'semget',
    args: () => ({ key: 0, nsems: 4, perms: 0o600 }),
    save: (reply, vars) => {
      if (reply.result < 0) return;
      vars.semid = reply.result;
      recordSem(stringVar(vars, 'dir'), reply.result);
    },
    code: 'int semid = semget(IPC_PRIVATE, 4, IPC_CREAT | 0600);',
    ...main('semget('),
    question: freshValuesQuestion,
    explain: text(
      'main creates a set of four semaphores (ipcs -s lists it with nsems 4): a start gate, a mutex, a "done" count and a counting semaphore. Linux starts them at 0.',
      'main 创建一组四个信号量（ipcs -s 列出它，nsems 为 4）：起跑门、互斥量、"完成"计数和一个计数信号量。Linux 把它们初始化为 0。',
      'main 建立一組四個號誌（ipcs -s 列出它，nsems 為 4）：起跑門、互斥量、「完成」計數和一個計數號誌。Linux 把它們初始化為 0。',
    ),
  },
  {
    role: 'main',
    op: 'shmat',
    args: (v) => ({ shmid: numberVar(v, 'shmid') }),
    save: saveAddress('counterAddress'),
    code: 'int *counter = shmat(shmid, NULL, 0);',
    ...main('shmat('),
    explain: text('main attaches the segment to read the counter later.', 'main 挂接该段，稍后读取计数器。', 'main 掛接該區段，稍後讀取計數器。'),
  },
  setvalStep('MUTEX', 1, text('The mutex starts at 1: free.', '互斥量初值为 1：空闲。', '互斥量初值為 1：空閒。')),
  attach('adder1'),
  attach('adder2'),
  ...round(false),
  {
    role: 'main',
    op: 'write-memory',
    syscall: 'memset',
    args: (v) => ({ address: stringVar(v, 'counterAddress'), data: Buffer.alloc(4).toString('base64') }),
    code: 'memset(counter, 0, sizeof *counter);',
    ...main('memset('),
    explain: text('main sets the counter back to 0 for the second round.', 'main 为第二轮把计数器清零。', 'main 為第二輪把計數器歸零。'),
  },
  ...round(true),
  semopStep('main', 'take', MUTEX, -1, text('P: main takes the mutex, 1 -> 0.', 'P：main 取得互斥量，1 -> 0。', 'P：main 取得互斥量，1 -> 0。')),
  semopStep(
    'waiter',
    'take',
    MUTEX,
    -1,
    text(
      'A third process asks for the mutex. The value cannot go below 0, so the kernel puts it to sleep in semop (wchan __do_semtimedop) and counts it in semncnt: it is in the semaphore\'s queue.',
      '第三个进程申请互斥量。值不能低于 0，于是内核让它在 semop 中睡眠（wchan __do_semtimedop），并计入 semncnt：它在这个信号量的等待队列里。',
      '第三個行程申請互斥量。值不能低於 0，於是核心讓它在 semop 中睡眠（wchan __do_semtimedop），並計入 semncnt：它在這個號誌的等待佇列裡。',
    ),
    { id: 'waiter-mutex', question: mutexWaiterQuestion },
  ),
  semopStep(
    'main',
    'give',
    MUTEX,
    1,
    text(
      'V: main gives the mutex back. The kernel hands the 1 straight to the waiter, whose semop returns; the value is 0 again.',
      'V：main 归还互斥量。内核把这个 1 直接交给等待者，它的 semop 返回；值又是 0。',
      'V：main 歸還互斥量。核心把這個 1 直接交給等待者，它的 semop 返回；值又是 0。',
    ),
  ),
  semopStep('waiter', 'give', MUTEX, 1, text('The waiter gives it back: the mutex is free (1).', '等待者归还它：互斥量空闲（1）。', '等待者歸還它：互斥量空閒（1）。')),
  setvalStep('SLOTS', 2, text('A counting semaphore: semaphore 3 is set to 2, two free places.', '计数信号量：信号量 3 设为 2，两个空位。', '計數號誌：號誌 3 設為 2，兩個空位。')),
  semopStep('adder1', 'take_slot', SLOTS, -1, text('adder1 takes a place: 2 -> 1.', 'adder1 占一个空位：2 -> 1。', 'adder1 佔一個空位：2 -> 1。')),
  semopStep('adder2', 'take_slot', SLOTS, -1, text('adder2 takes the other: 1 -> 0.', 'adder2 占另一个：1 -> 0。', 'adder2 佔另一個：1 -> 0。')),
  semopStep(
    'waiter',
    'take_slot',
    SLOTS,
    -1,
    text(
      'The third taker finds 0 places: it sleeps in semop, semncnt 1, until someone gives one back.',
      '第三个申请者发现没有空位：它在 semop 中睡眠，semncnt 为 1，直到有人归还一个。',
      '第三個申請者發現沒有空位：它在 semop 中睡眠，semncnt 為 1，直到有人歸還一個。',
    ),
    { id: 'waiter-slot', question: slotWaiterQuestion },
  ),
  semopStep(
    'adder1',
    'give_slot',
    SLOTS,
    1,
    text(
      'adder1 gives its place back: the waiter takes it at once and its semop returns.',
      'adder1 归还它的空位：等待者立即拿到，它的 semop 返回。',
      'adder1 歸還它的空位：等待者立即拿到，它的 semop 返回。',
    ),
  ),
  {
    role: 'main',
    op: 'semctl',
    args: (v) => ({ semid: semid(v), cmd: 'IPC_RMID' }),
    save: (reply, vars) => {
      if (reply.result === 0) forgetSem(stringVar(vars, 'dir'), semid(vars));
    },
    code: 'semctl(semid, 0, IPC_RMID);',
    ...main('IPC_RMID);'),
    explain: text(
      'main removes the set: ipcs -s no longer lists it. Like a segment, a set is not freed when its processes exit.',
      'main 删除这组信号量：ipcs -s 不再列出它。和共享内存段一样，信号量集不会随进程退出而释放。',
      'main 刪除這組號誌：ipcs -s 不再列出它。和共享記憶體區段一樣，號誌集不會隨行程結束而釋放。',
    ),
  },
  {
    role: 'main',
    op: 'shmctl',
    args: (v) => ({ shmid: numberVar(v, 'shmid'), cmd: 'IPC_RMID' }),
    save: (reply, vars) => {
      if (reply.result === 0) forgetShm(stringVar(vars, 'dir'), numberVar(vars, 'shmid'));
    },
    code: 'shmctl(shmid, IPC_RMID, NULL);',
    ...main('shmctl('),
    explain: text(
      'main removes the segment. Three processes still have it attached, so the kernel marks it for deletion (key 0) and frees it at the last detach.',
      'main 删除这个段。仍有三个进程挂接着它，所以内核把它标记为待删除（键值 0），在最后一次脱离时释放。',
      'main 刪除這個區段。仍有三個行程掛接著它，所以核心把它標記為待刪除（鍵值 0），在最後一次脫離時釋放。',
    ),
  },
  ...(['adder1', 'adder2'] as const).map((role) => exitStep(role, text(`${role} exits: its attachment goes with it.`, `${role} 退出：它的挂接随之消失。`, `${role} 結束：它的掛接隨之消失。`))),
  exitStep('waiter', text('The waiter exits.', '等待者退出。', '等待者結束。')),
  exitStep(
    'main',
    text(
      'main exits, the last to have the segment attached: the kernel frees it. Nothing of the lesson is left in ipcs.',
      'main 退出，它是最后一个挂接该段的进程：内核释放它。ipcs 里没有留下本课的任何东西。',
      'main 結束，它是最後一個掛接該區段的行程：核心釋放它。ipcs 裡沒有留下本課的任何東西。',
    ),
  ),
];

export const semCounter: Lesson = {
  id: 'sem-counter',
  firstRole: 'main',
  alsoStarts: ['adder1', 'adder2', 'waiter'],
  tempDir: true,
  mechanism: 'sem',
  programs: [semMainC, semAdderC, semWaiterC],
  title: text('Semaphores guarding shared memory', '用信号量保护共享内存', '用號誌保護共享記憶體'),
  summary: text(
    `Two processes add 1 to a counter in a shared segment ${SEM_TIMES} times each: without a semaphore increments are lost, with P and V on a binary semaphore the count is exact. A third process waits in the semaphore's queue, and a counting semaphore lets two pass.`,
    `两个进程各给共享内存段里的计数器加 1 共 ${SEM_TIMES} 次：没有信号量时会丢失加法，用二值信号量做 P 和 V 时计数准确。第三个进程在信号量的等待队列里等待，计数信号量只放行两个。`,
    `兩個行程各給共享記憶體區段裡的計數器加 1 共 ${SEM_TIMES} 次：沒有號誌時會遺失加法，用二值號誌做 P 和 V 時計數準確。第三個行程在號誌的等待佇列裡等待，計數號誌只放行兩個。`,
  ),
  claims: [lostUpdateClaim, binaryMutexClaim, countingClaim],
  steps,
};
