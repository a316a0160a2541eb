/**
 * "Shared memory, server and client" (seed 003, IpcShmSer / IpcShmCli): two
 * processes the engine starts separately find one System V segment through
 * ftok's key. The server creates it with IPC_CREAT|IPC_EXCL, the client's own
 * IPC_EXCL gets EEXIST, both attach (nattch 0 -> 1 -> 2), the server's bytes
 * reach the client with no syscall, both detach (-> 1 -> 0), and the segment
 * outlives its creator until the client's IPC_RMID. The segment's id is
 * recorded in the lesson's directory, so a lesson stopped half-way or an
 * engine killed still removes it (session/lesson-shm-record.ts).
 */
import { forgetShm, recordShm } from '../../session/lesson-shm-record';
import type { Lesson, LessonStep, LessonVars } from '../lesson-types';
import { numberVar, stringVar } from '../lesson-types';
import { shmClientC, shmServerC } from '../programs/shm-server-client/shm-programs';
import { exclQuestion, ftokEightBits, ftokQuestion, nattchQuestion, notFreedWithProcess, pageRounded, SHM_REQUESTED, survivesQuestion } from './shm-claims';
import { SHM_SIZE_MAX, shmgetLimitNote } from './shm-limits';
import { exitWith, text } from '../step-kit';
import { freshKeyArgs, ftokPath, keyTakenNote, saveFreshKey, withCollisionNote } from '../sysv-fresh-key';

export { mappedLength, shmRow, SHM_REQUESTED } from './shm-claims';

const server = (needle: string, nth = 1) => ({ program: shmServerC.file, line: shmServerC.line(needle, nth) });
const client = (needle: string, nth = 1) => ({ program: shmClientC.file, line: shmClientC.line(needle, nth) });

export const SHM_MESSAGE = 'hello from the server';
const PROJ_ID = 0x41;
/* 0x141 & 0xff == 0x41: glibc's ftok keeps only the low 8 bits of proj_id */
const PROJ_ID_HIGH = 0x141;

/* the client's ftok follows the directory the server's create ended up with (sysv-fresh-key.ts) */
const ftokArgs = (projId: number) => (v: LessonVars) => ({ path: ftokPath(v), projId });
const saveKey = (name: string) => (reply: { result: number }, vars: LessonVars) => {
  if (reply.result !== -1) vars[name] = reply.result;
};
const shmgetArgs = (keyVar: string, excl: boolean, size: number) => (v: LessonVars) =>
  excl ? { key: numberVar(v, keyVar), size, excl: true, perms: 0o666 } : { key: numberVar(v, keyVar), size, create: false, perms: 0 };
const saveAddress = (name: string) => (reply: { data?: Record<string, unknown> }, vars: LessonVars) => {
  if (typeof reply.data?.address === 'string') vars[name] = reply.data.address;
};

/** The steps for a segment of `size` bytes (the `size` parameter; 4000 by default). */
function build(size: number): LessonStep[] {
  return [
  {
    id: 'ftok',
    role: 'server',
    op: 'ftok',
    args: ftokArgs(PROJ_ID),
    save: saveKey('key'),
    code: 'key = ftok(path, 0x41);',
    ...server('ftok(path, 0x41)'),
    explain: text(
      'The server turns a path (the lesson\'s own directory) and a proj_id into a key: a number both programs can compute without talking.',
      '服务器把一个路径（本课自己的目录）和一个 proj_id 变成一个键值：两个程序无需通信就能各自算出同一个数。',
      '伺服器把一個路徑（本課自己的目錄）和一個 proj_id 變成一個鍵值：兩個程式無需通訊就能各自算出同一個數。',
    ),
  },
  {
    id: 'ftok-high',
    role: 'server',
    op: 'ftok',
    args: ftokArgs(PROJ_ID_HIGH),
    save: saveKey('keyHigh'),
    code: 'same = ftok(path, 0x141);',
    ...server('ftok(path, 0x141)'),
    question: ftokQuestion,
    explain: text(
      'The same path with proj_id 0x141: the key has one byte for proj_id, so 0x141 and 0x41 give the same key.',
      '同一路径，proj_id 用 0x141：键值里只有一个字节留给 proj_id，所以 0x141 和 0x41 得到同一个键值。',
      '同一路徑，proj_id 用 0x141：鍵值裡只有一個位元組留給 proj_id，所以 0x141 和 0x41 得到同一個鍵值。',
    ),
  },
  {
    id: 'create',
    role: 'server',
    op: 'shmget',
    args: (v) => ({ ...shmgetArgs('key', true, size)(v), ...freshKeyArgs(v, PROJ_ID) }),
    save: (reply, vars) => {
      if (reply.result < 0) return;
      vars.shmid = reply.result;
      saveFreshKey(reply, vars, 'key');
      /* removed with the lesson's directory if the lesson stops before its IPC_RMID */
      recordShm(stringVar(vars, 'dir'), reply.result);
    },
    code: 'shmid = shmget(key, size, IPC_CREAT | IPC_EXCL | 0666);',
    ...server('shmget('),
    /* a size the kernel refuses (below SHMMIN, beyond shmmax, past shmall) is named with the limit's value */
    failureNote: (reply) => shmgetLimitNote(size, reply.errno) ?? keyTakenNote('shm', reply),
    explain: withCollisionNote(text(
      `The server creates a segment of ${size} bytes. ipcs -m now lists it: its key, its shmid, nattch 0.`,
      `服务器创建一个 ${size} 字节的共享内存段。ipcs -m 现在列出了它：键值、shmid、nattch 为 0。`,
      `伺服器建立一個 ${size} 位元組的共享記憶體區段。ipcs -m 現在列出了它：鍵值、shmid、nattch 為 0。`,
    )),
  },
  {
    role: 'client',
    op: 'ftok',
    args: ftokArgs(PROJ_ID),
    save: saveKey('clientKey'),
    code: 'key = ftok(path, 0x41);',
    ...client('ftok(path, 0x41)'),
    explain: text(
      'The client, a separate program, computes the key from the same path and proj_id: the same number.',
      '客户端是另一个程序，它用同一路径和 proj_id 算出键值：同一个数。',
      '用戶端是另一個程式，它用同一路徑和 proj_id 算出鍵值：同一個數。',
    ),
  },
  {
    role: 'client',
    op: 'shmget',
    args: shmgetArgs('clientKey', true, size),
    code: 'shmid = shmget(key, size, IPC_CREAT | IPC_EXCL | 0666);',
    ...client('shmget(key, size, IPC_CREAT'),
    expectFailure: true,
    question: exclQuestion,
    explain: text(
      'The client tries to create it too, with IPC_EXCL: the key exists, so shmget fails with EEXIST. That is how a program learns someone else made it.',
      '客户端也用 IPC_EXCL 尝试创建：键值已存在，所以 shmget 以 EEXIST 失败。程序就是这样知道已有别人创建了它。',
      '用戶端也用 IPC_EXCL 嘗試建立：鍵值已存在，所以 shmget 以 EEXIST 失敗。程式就是這樣知道已有別人建立了它。',
    ),
  },
  {
    role: 'client',
    op: 'shmget',
    args: shmgetArgs('clientKey', false, size),
    save: (reply, vars) => {
      if (reply.result >= 0) vars.clientShmid = reply.result;
    },
    code: 'shmid = shmget(key, size, 0);',
    ...client('shmget(key, size, 0)'),
    explain: text(
      'Without IPC_CREAT, shmget only looks the key up: the client gets the server\'s shmid.',
      '不带 IPC_CREAT 时，shmget 只按键值查找：客户端得到服务器的 shmid。',
      '不帶 IPC_CREAT 時，shmget 只按鍵值查找：用戶端得到伺服器的 shmid。',
    ),
  },
  {
    id: 'server-attach',
    role: 'server',
    op: 'shmat',
    args: (v) => ({ shmid: numberVar(v, 'shmid') }),
    save: saveAddress('serverAddress'),
    code: 'mem = shmat(shmid, NULL, 0);',
    ...server('shmat('),
    explain: text(
      'The server attaches the segment: it appears in its address space, and nattch goes from 0 to 1.',
      '服务器挂接这个段：它出现在服务器的地址空间里，nattch 从 0 变为 1。',
      '伺服器掛接這個區段：它出現在伺服器的位址空間裡，nattch 從 0 變為 1。',
    ),
  },
  {
    role: 'client',
    op: 'shmat',
    args: (v) => ({ shmid: numberVar(v, 'clientShmid') }),
    save: saveAddress('clientAddress'),
    code: 'mem = shmat(shmid, NULL, 0);',
    ...client('shmat('),
    question: nattchQuestion,
    explain: text(
      'The client attaches the same segment, at an address of its own: nattch is 2. The same physical pages now appear in both processes.',
      '客户端挂接同一个段，地址是它自己的：nattch 为 2。同样的物理页现在出现在两个进程里。',
      '用戶端掛接同一個區段，位址是它自己的：nattch 為 2。同樣的實體頁現在出現在兩個行程裡。',
    ),
  },
  {
    role: 'server',
    op: 'write-memory',
    syscall: 'strcpy',
    args: (v) => ({ address: stringVar(v, 'serverAddress'), data: Buffer.from(`${SHM_MESSAGE}\0`).toString('base64') }),
    code: 'strcpy(mem, "hello from the server");',
    ...server('strcpy('),
    explain: text(
      'The server stores a string into the segment: ordinary memory stores, no system call.',
      '服务器把一个字符串存进这个段：普通的内存写入，没有系统调用。',
      '伺服器把一個字串存進這個區段：普通的記憶體寫入，沒有系統呼叫。',
    ),
  },
  {
    id: 'client-read',
    role: 'client',
    op: 'read-memory',
    syscall: 'memcpy',
    args: (v) => ({ address: stringVar(v, 'clientAddress'), count: SHM_MESSAGE.length + 1 }),
    code: 'memcpy(seen, mem, sizeof seen);',
    ...client('memcpy('),
    explain: text(
      'The client reads the server\'s bytes from its own address: no read(), no copy through the kernel. That is why shared memory is the fastest IPC, and why it needs a lock when both write.',
      '客户端从它自己的地址读到服务器的字节：没有 read()，没有经过内核的拷贝。这就是共享内存最快的原因，也是双方都写时需要加锁的原因。',
      '用戶端從它自己的位址讀到伺服器的位元組：沒有 read()，沒有經過核心的複製。這就是共享記憶體最快的原因，也是雙方都寫時需要加鎖的原因。',
    ),
  },
  {
    role: 'server',
    op: 'shmdt',
    args: (v) => ({ address: stringVar(v, 'serverAddress') }),
    code: 'shmdt(mem);',
    ...server('shmdt('),
    explain: text(
      'The server detaches: nattch goes back to 1. Detaching does not delete the segment.',
      '服务器脱离：nattch 回到 1。脱离并不会删除这个段。',
      '伺服器脫離：nattch 回到 1。脫離並不會刪除這個區段。',
    ),
  },
  {
    id: 'server-exit',
    role: 'server',
    op: 'exit',
    args: exitWith(0),
    code: 'exit(0);',
    ...server('exit(0)'),
    explain: text(
      'The server, which created the segment, exits without IPC_RMID. The segment stays, with its creator\'s pid.',
      '创建这个段的服务器退出了，没有调用 IPC_RMID。段仍然存在，记录着创建者的 pid。',
      '建立這個區段的伺服器結束了，沒有呼叫 IPC_RMID。區段仍然存在，記錄著建立者的 pid。',
    ),
  },
  {
    role: 'client',
    op: 'shmdt',
    args: (v) => ({ address: stringVar(v, 'clientAddress') }),
    code: 'shmdt(mem);',
    ...client('shmdt('),
    question: survivesQuestion,
    explain: text(
      'The client detaches: nattch is 0, and no process that ever used the segment needs it. It is still there.',
      '客户端脱离：nattch 为 0，用过这个段的进程都不再需要它。它仍然存在。',
      '用戶端脫離：nattch 為 0，用過這個區段的行程都不再需要它。它仍然存在。',
    ),
  },
  {
    role: 'client',
    op: 'shmctl',
    args: (v) => ({ shmid: numberVar(v, 'clientShmid'), cmd: 'IPC_RMID' }),
    save: (reply, vars) => {
      if (reply.result === 0) forgetShm(stringVar(vars, 'dir'), numberVar(vars, 'clientShmid'));
    },
    code: 'shmctl(shmid, IPC_RMID, NULL);',
    ...client('shmctl('),
    explain: text(
      'IPC_RMID removes it: with nobody attached, the kernel frees it at once and ipcs -m no longer lists it. (Attached processes would keep it, marked for deletion, until the last detach.)',
      'IPC_RMID 删除它：没有进程挂接，内核立即释放，ipcs -m 不再列出它。（若仍有进程挂接，它会被标记为待删除，直到最后一个脱离。）',
      'IPC_RMID 刪除它：沒有行程掛接，核心立即釋放，ipcs -m 不再列出它。（若仍有行程掛接，它會被標記為待刪除，直到最後一個脫離。）',
    ),
  },
  {
    role: 'client',
    op: 'exit',
    args: exitWith(0),
    code: "exit(seen[0] == 'h' ? 0 : 1);",
    ...client('exit('),
    explain: text('The client exits. Nothing of the segment is left.', '客户端退出。共享内存段什么都没留下。', '用戶端結束。共享記憶體區段什麼都沒留下。'),
  },
  ];
}

export const shmServerClient: Lesson = {
  id: 'shm-server-client',
  firstRole: 'server',
  alsoStarts: ['client'],
  tempDir: true,
  mechanism: 'shm',
  programs: [shmServerC, shmClientC],
  title: text('Shared memory, server and client', '共享内存：服务器与客户端', '共享記憶體：伺服器與用戶端'),
  summary: text(
    'Two separate programs find one System V segment through an ftok key: IPC_EXCL and EEXIST, nattch 0, 1, 2, 1, 0 as ipcs -m shows it, a 4000-byte request in whole pages, bytes passed with no syscall, and a segment that outlives its creator until IPC_RMID.',
    '两个独立的程序通过 ftok 键值找到同一个 System V 共享内存段：IPC_EXCL 与 EEXIST，ipcs -m 显示的 nattch 0、1、2、1、0，4000 字节的申请按整页分配，不经系统调用传递字节，以及一个比创建者活得久、直到 IPC_RMID 才消失的段。',
    '兩個獨立的程式透過 ftok 鍵值找到同一個 System V 共享記憶體區段：IPC_EXCL 與 EEXIST，ipcs -m 顯示的 nattch 0、1、2、1、0，4000 位元組的申請按整頁配置，不經系統呼叫傳遞位元組，以及一個比建立者活得久、直到 IPC_RMID 才消失的區段。',
  ),
  claims: [ftokEightBits, pageRounded, notFreedWithProcess],
  params: [
    {
      name: 'size',
      kind: 'int',
      label: text('Segment size (bytes)', '共享内存段大小（字节）', '共享記憶體區段大小（位元組）'),
      /* wide enough to meet the kernel's own limits: 0 is below SHMMIN, and shmmax may be set lower than this */
      min: 0,
      max: SHM_SIZE_MAX,
      default: SHM_REQUESTED,
    },
  ],
  steps: build(SHM_REQUESTED),
  stepsFor: (params) => build(typeof params.size === 'number' ? params.size : SHM_REQUESTED),
};
