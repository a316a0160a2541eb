/**
 * "A shared file: mmap and a file lock" (seed 002's list of ways processes
 * exchange data): two processes the engine starts separately map one file in
 * the lesson's directory MAP_SHARED and see each other's stores with no
 * syscall; then the writer locks the file (flock, or fcntl F_SETLKW with the
 * `lock` parameter), the reader's request sleeps (wchan locks_lock_inode_wait
 * for flock, fcntl_setlk for fcntl) until the writer lets go. munmap, close
 * and unlink at the end; the file lives in the lesson's directory, which a
 * watchdog removes if the engine is killed.
 */
import type { LessonParams } from '../../model/frame-types';
import type { Lesson, LessonStep, LessonVars } from '../lesson-types';
import { numberVar, stringVar } from '../lesson-types';
import { FIRST_MESSAGE, MMAP_SIZE, SECOND_MESSAGE, filePath, lockQuestion, lockSynchronises, sameMemory, seesQuestion } from './mmap-lock-claims';
import { mmapReaderC, mmapWriterC } from '../programs/mmap-lock/mmap-lock-programs';
import { exitWith, onFd, text } from '../step-kit';

export { FIRST_MESSAGE, SECOND_MESSAGE, MMAP_SIZE, fileBytes, fileMappings, locksOn, cString } from './mmap-lock-claims';

type LockKind = 'flock' | 'fcntl';

const writer = (needle: string, nth = 1) => ({ program: mmapWriterC.file, line: mmapWriterC.line(needle, nth) });
const reader = (needle: string, nth = 1) => ({ program: mmapReaderC.file, line: mmapReaderC.line(needle, nth) });

const saveFd = (name: string) => (reply: { result: number; data?: Record<string, unknown> }, vars: LessonVars) => {
  if (reply.result < 0) return;
  vars[name] = reply.result;
  /* "fe:00:2148058": the inode is what /proc/PID/maps and /proc/locks name the file by */
  if (typeof reply.data?.file === 'string') vars.inode = Number(reply.data.file.split(':')[2]);
};
const saveAddress = (name: string) => (reply: { data?: Record<string, unknown> }, vars: LessonVars) => {
  if (typeof reply.data?.address === 'string') vars[name] = reply.data.address;
};
const mmapArgs = (fd: string) => (v: LessonVars) => ({ fd: numberVar(v, fd), size: MMAP_SIZE });
const store = (address: string, message: string) => (v: LessonVars) => ({ address: stringVar(v, address), data: Buffer.from(`${message}\0`).toString('base64') });
const load = (address: string) => (v: LessonVars) => ({ address: stringVar(v, address), count: 32 });

/** The lock and unlock steps' call, as the chosen kind of lock makes it. */
function lockCall(kind: LockKind, lock: boolean, fd: string) {
  if (kind === 'fcntl') {
    return {
      op: 'fcntl-lock',
      syscall: 'fcntl',
      args: (v: LessonVars) => ({ fd: numberVar(v, fd), type: lock ? 'F_WRLCK' : 'F_UNLCK' }),
      code: lock ? 'fcntl(fd, F_SETLKW, &wr);' : 'fcntl(fd, F_SETLKW, &un);',
    };
  }
  return {
    op: 'flock',
    args: (v: LessonVars) => ({ fd: numberVar(v, fd), operation: lock ? 'LOCK_EX' : 'LOCK_UN' }),
    code: lock ? 'flock(fd, LOCK_EX);' : 'flock(fd, LOCK_UN);',
  };
}

function build(kind: LockKind): LessonStep[] {
  const wchan = kind === 'flock' ? 'locks_lock_inode_wait' : 'fcntl_setlk';
  return [
    {
      role: 'writer',
      op: 'open-file',
      syscall: 'open',
      args: (v) => ({ path: filePath(v), create: true }),
      save: saveFd('fd'),
      code: 'int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);',
      ...writer('open('),
      explain: text(
        'The writer creates an ordinary file in the lesson\'s directory. Nothing about it is special: it is a file on the disk.',
        '写者在本课的目录里创建一个普通文件。它没什么特别：就是磁盘上的一个文件。',
        '寫者在本課的目錄裡建立一個普通檔案。它沒什麼特別：就是磁碟上的一個檔案。',
      ),
    },
    {
      role: 'writer',
      op: 'ftruncate',
      args: (v) => ({ fd: numberVar(v, 'fd'), size: MMAP_SIZE }),
      code: 'ftruncate(fd, SIZE)',
      ...writer('ftruncate('),
      explain: text(
        'A new file is 0 bytes long, and a mapping past the end of a file cannot be used (SIGBUS). ftruncate makes it one page long, all zeros.',
        '新文件长度为 0，而超出文件末尾的映射无法使用（SIGBUS）。ftruncate 把它变成一页长，全是零。',
        '新檔案長度為 0，而超出檔案結尾的映射無法使用（SIGBUS）。ftruncate 把它變成一頁長，全是零。',
      ),
    },
    {
      id: 'writer-map',
      role: 'writer',
      op: 'mmap-file',
      syscall: 'mmap',
      args: mmapArgs('fd'),
      save: saveAddress('writerAddress'),
      code: 'char *mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);',
      ...writer('mmap('),
      explain: text(
        'The writer maps the file MAP_SHARED: the file\'s pages in the kernel\'s page cache now appear in its address space. /proc/PID/maps shows the range, with the file\'s inode.',
        '写者以 MAP_SHARED 映射这个文件：内核页缓存中这个文件的页现在出现在它的地址空间里。/proc/PID/maps 列出这段地址和文件的 inode。',
        '寫者以 MAP_SHARED 映射這個檔案：核心頁快取中這個檔案的頁現在出現在它的位址空間裡。/proc/PID/maps 列出這段位址和檔案的 inode。',
      ),
    },
    {
      role: 'reader',
      op: 'open-file',
      syscall: 'open',
      args: (v) => ({ path: filePath(v) }),
      save: saveFd('readerFd'),
      code: 'int fd = open(path, O_RDWR | O_CLOEXEC);',
      ...reader('open('),
      explain: text(
        'The reader, a separate program, opens the same file by its name: a descriptor of its own, on the same inode.',
        '读者是另一个程序，它按名字打开同一个文件：它自己的描述符，指向同一个 inode。',
        '讀者是另一個程式，它按名字開啟同一個檔案：它自己的描述符，指向同一個 inode。',
      ),
    },
    {
      role: 'reader',
      op: 'mmap-file',
      syscall: 'mmap',
      args: mmapArgs('readerFd'),
      save: saveAddress('readerAddress'),
      code: 'char *mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);',
      ...reader('mmap('),
      explain: text(
        'The reader maps it too, at an address of its own. Two address ranges, one set of physical pages.',
        '读者也映射它，地址是它自己的。两段地址，同一组物理页。',
        '讀者也映射它，位址是它自己的。兩段位址，同一組實體頁。',
      ),
    },
    {
      role: 'writer',
      op: 'write-memory',
      syscall: 'strcpy',
      args: store('writerAddress', FIRST_MESSAGE),
      code: 'strcpy(mem, "hello through the file");',
      ...writer('strcpy(mem, "hello'),
      explain: text(
        'The writer stores a string into its mapping: ordinary memory stores, no system call, no write().',
        '写者把一个字符串存进它的映射：普通的内存写入，没有系统调用，没有 write()。',
        '寫者把一個字串存進它的映射：普通的記憶體寫入，沒有系統呼叫，沒有 write()。',
      ),
    },
    {
      id: 'reader-sees',
      role: 'reader',
      op: 'read-memory',
      syscall: 'memcpy',
      args: load('readerAddress'),
      code: 'memcpy(seen, mem, sizeof seen);',
      ...reader('memcpy('),
      question: seesQuestion,
      explain: text(
        'The reader loads from its own address and finds the writer\'s string. The file itself holds it too: the mapping is the file\'s page cache, which the kernel writes back to the disk later.',
        '读者从自己的地址读取，看到了写者的字符串。文件本身也有这些字节：映射就是文件的页缓存，内核稍后把它写回磁盘。',
        '讀者從自己的位址讀取，看到了寫者的字串。檔案本身也有這些位元組：映射就是檔案的頁快取，核心稍後把它寫回磁碟。',
      ),
    },
    {
      id: 'writer-locks',
      role: 'writer',
      ...lockCall(kind, true, 'fd'),
      ...writer(kind === 'flock' ? 'flock(fd, LOCK_EX)' : 'fcntl(fd, F_SETLKW, &wr)'),
      explain:
        kind === 'flock'
          ? text(
              'Two processes storing into the same bytes need to take turns. The writer takes an exclusive flock on the file: /proc/locks lists a FLOCK WRITE lock with its pid.',
              '两个进程往同一批字节里写，需要轮流来。写者对文件加 flock 排他锁：/proc/locks 列出一把 FLOCK WRITE 锁和它的 pid。',
              '兩個行程往同一批位元組裡寫，需要輪流來。寫者對檔案加 flock 排他鎖：/proc/locks 列出一把 FLOCK WRITE 鎖和它的 pid。',
            )
          : text(
              'Two processes storing into the same bytes need to take turns. The writer takes a POSIX write lock on the whole file with fcntl: /proc/locks lists a POSIX WRITE lock from byte 0 to EOF.',
              '两个进程往同一批字节里写，需要轮流来。写者用 fcntl 对整个文件加 POSIX 写锁：/proc/locks 列出一把从第 0 字节到 EOF 的 POSIX WRITE 锁。',
              '兩個行程往同一批位元組裡寫，需要輪流來。寫者用 fcntl 對整個檔案加 POSIX 寫鎖：/proc/locks 列出一把從第 0 位元組到 EOF 的 POSIX WRITE 鎖。',
            ),
    },
    {
      id: 'reader-waits',
      role: 'reader',
      ...lockCall(kind, true, 'readerFd'),
      ...reader(kind === 'flock' ? 'flock(fd, LOCK_EX)' : 'fcntl(fd, F_SETLKW, &wr)'),
      question: lockQuestion,
      explain: text(
        `The reader asks for the same lock and the kernel puts it to sleep (wchan ${wchan}). /proc/locks shows its request on a "->" line under the writer's lock.`,
        `读者申请同一把锁，内核让它睡眠（wchan ${wchan}）。/proc/locks 在写者的锁下面用 "->" 行列出它的请求。`,
        `讀者申請同一把鎖，核心讓它睡眠（wchan ${wchan}）。/proc/locks 在寫者的鎖下面用 "->" 行列出它的請求。`,
      ),
    },
    {
      role: 'writer',
      op: 'write-memory',
      syscall: 'strcpy',
      args: store('writerAddress', SECOND_MESSAGE),
      code: 'strcpy(mem, "version 2");',
      ...writer('strcpy(mem, "version 2")'),
      explain: text(
        'While it holds the lock the writer changes the bytes; the reader, asleep, cannot look at a half-written value.',
        '持有锁期间写者修改这些字节；读者在睡眠，看不到写了一半的值。',
        '持有鎖期間寫者修改這些位元組；讀者在睡眠，看不到寫了一半的值。',
      ),
    },
    {
      role: 'writer',
      ...lockCall(kind, false, 'fd'),
      ...writer(kind === 'flock' ? 'flock(fd, LOCK_UN)' : 'fcntl(fd, F_SETLKW, &un)'),
      explain: text(
        'The writer lets go. The kernel hands the lock to the waiting reader and wakes it: its call returns 0.',
        '写者放手。内核把锁交给等待的读者并唤醒它：它的调用返回 0。',
        '寫者放手。核心把鎖交給等待的讀者並喚醒它：它的呼叫回傳 0。',
      ),
    },
    {
      role: 'reader',
      op: 'read-memory',
      syscall: 'memcpy',
      args: load('readerAddress'),
      code: 'memcpy(seen, mem, sizeof seen);',
      ...reader('memcpy(', 2),
      explain: text(
        'Holding the lock now, the reader sees "version 2": the whole value the writer left.',
        '读者现在持有锁，看到 "version 2"：写者留下的完整的值。',
        '讀者現在持有鎖，看到 "version 2"：寫者留下的完整的值。',
      ),
    },
    {
      role: 'reader',
      ...lockCall(kind, false, 'readerFd'),
      ...reader(kind === 'flock' ? 'flock(fd, LOCK_UN)' : 'fcntl(fd, F_SETLKW, &un)'),
      explain: text('The reader lets go too: /proc/locks has no line for the file any more.', '读者也放手：/proc/locks 里不再有这个文件的行。', '讀者也放手：/proc/locks 裡不再有這個檔案的行。'),
    },
    {
      role: 'writer',
      op: 'munmap',
      args: (v) => ({ address: stringVar(v, 'writerAddress') }),
      code: 'munmap(mem, SIZE);',
      ...writer('munmap('),
      explain: text(
        'The writer unmaps its range: it is gone from its /proc/PID/maps. The file and the reader\'s mapping stay.',
        '写者解除映射：这段地址从它的 /proc/PID/maps 中消失。文件和读者的映射都还在。',
        '寫者解除映射：這段位址從它的 /proc/PID/maps 中消失。檔案和讀者的映射都還在。',
      ),
    },
    {
      role: 'writer',
      op: 'close',
      args: onFd('fd'),
      code: 'close(fd);',
      ...writer('close('),
      explain: text('The writer closes its descriptor.', '写者关闭它的描述符。', '寫者關閉它的描述符。'),
    },
    {
      role: 'writer',
      op: 'exit',
      args: exitWith(0),
      code: 'exit(0);',
      ...writer('exit(0);'),
      explain: text('The writer exits.', '写者退出。', '寫者結束。'),
    },
    {
      role: 'reader',
      op: 'munmap',
      args: (v) => ({ address: stringVar(v, 'readerAddress') }),
      code: 'munmap(mem, SIZE);',
      ...reader('munmap('),
      explain: text('The reader unmaps its range: no process maps the file now.', '读者解除映射：现在没有进程映射这个文件。', '讀者解除映射：現在沒有行程映射這個檔案。'),
    },
    {
      role: 'reader',
      op: 'close',
      args: onFd('readerFd'),
      code: 'close(fd);',
      ...reader('close('),
      explain: text('The reader closes its descriptor.', '读者关闭它的描述符。', '讀者關閉它的描述符。'),
    },
    {
      role: 'reader',
      op: 'unlink',
      args: (v) => ({ path: filePath(v) }),
      code: 'unlink(path);',
      ...reader('unlink('),
      explain: text(
        'The reader removes the file\'s name. With no name, no descriptor and no mapping left, the kernel frees the file.',
        '读者删除文件的名字。没有名字、没有描述符、也没有映射之后，内核释放这个文件。',
        '讀者刪除檔案的名字。沒有名字、沒有描述符、也沒有映射之後，核心釋放這個檔案。',
      ),
    },
    {
      role: 'reader',
      op: 'exit',
      args: exitWith(0),
      code: "exit(seen[0] == 'v' ? 0 : 1);",
      ...reader('exit('),
      explain: text('The reader exits. Nothing of the lesson is left.', '读者退出。本课什么都没留下。', '讀者結束。本課什麼都沒留下。'),
    },
  ];
}

const kindOf = (params: LessonParams): LockKind => (params.lock === 'fcntl' ? 'fcntl' : 'flock');

export const mmapLock: Lesson = {
  id: 'mmap-lock',
  firstRole: 'writer',
  alsoStarts: ['reader'],
  tempDir: true,
  mechanism: 'mmap',
  programs: [mmapWriterC, mmapReaderC],
  title: text('A shared file: mmap and a file lock', '共享文件：mmap 与文件锁', '共享檔案：mmap 與檔案鎖'),
  summary: text(
    'Two separate programs map one file MAP_SHARED and see each other\'s stores with no system call; then they take turns through a file lock (flock or fcntl), the second asleep in the kernel until the first lets go.',
    '两个独立的程序以 MAP_SHARED 映射同一个文件，不经系统调用就能看到对方写入的内容；然后它们通过文件锁（flock 或 fcntl）轮流访问，后来者在内核里睡眠，直到前者放手。',
    '兩個獨立的程式以 MAP_SHARED 映射同一個檔案，不經系統呼叫就能看到對方寫入的內容；然後它們透過檔案鎖（flock 或 fcntl）輪流存取，後來者在核心裡睡眠，直到前者放手。',
  ),
  params: [
    {
      name: 'lock',
      kind: 'choice',
      label: text('Lock', '锁', '鎖'),
      default: 'flock',
      choices: [
        { value: 'flock', label: text('flock', 'flock', 'flock') },
        { value: 'fcntl', label: text('fcntl F_SETLKW', 'fcntl F_SETLKW', 'fcntl F_SETLKW') },
      ],
    },
  ],
  steps: build('flock'),
  stepsFor: (params) => build(kindOf(params)),
  claims: [sameMemory, lockSynchronises],
};
