/**
 * mmap_writer.c and mmap_reader.c: two unrelated programs that map one file
 * MAP_SHARED (seed 002: "several processes can map the same memory area") and
 * take turns through a file lock ("... or lock a shared file to synchronise").
 * argv[2] "fcntl" picks POSIX record locks instead of flock.
 */
import { cProgram } from '../../program-source';
import { text } from '../../step-kit';

const includes = [
  '#define _GNU_SOURCE',
  '#include <fcntl.h>',
  '#include <stdlib.h>',
  '#include <string.h>',
  '#include <sys/file.h>',
  '#include <sys/mman.h>',
  '#include <unistd.h>',
  '',
  ['#define SIZE 4096', text('one page', '一页', '一頁')],
  '',
  'int main(int argc, char **argv)',
  '{',
  ['    const char *path = argv[1];', text('a file in the lesson\'s directory', '本课目录中的一个文件', '本課目錄中的一個檔案')],
  '    int use_fcntl = argc > 2 && strcmp(argv[2], "fcntl") == 0;',
  ['    struct flock wr = { .l_type = F_WRLCK, .l_whence = SEEK_SET };', text('l_start 0, l_len 0: the whole file', 'l_start 0、l_len 0：整个文件', 'l_start 0、l_len 0：整個檔案')],
  '    struct flock un = { .l_type = F_UNLCK, .l_whence = SEEK_SET };',
] as const;

export const mmapWriterC = cProgram('mmap_writer.c', ['writer'], [
  ...includes,
  ['    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);', text('an ordinary file', '一个普通文件', '一個普通檔案')],
  '    if (fd < 0)',
  '        return 1;',
  ['    if (ftruncate(fd, SIZE) < 0)', text('a new file is empty: give it one page', '新文件是空的：给它一页的长度', '新檔案是空的：給它一頁的長度')],
  '        return 1;',
  ['    char *mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);', text('MAP_SHARED: stores reach the file\'s pages', 'MAP_SHARED：写入落在文件的页上', 'MAP_SHARED：寫入落在檔案的頁上')],
  '    if (mem == MAP_FAILED)',
  '        return 1;',
  ['    strcpy(mem, "hello through the file");', text('a plain store: no syscall', '普通的内存写入：没有系统调用', '普通的記憶體寫入：沒有系統呼叫')],
  '    if (use_fcntl)',
  ['        fcntl(fd, F_SETLKW, &wr);', text('a POSIX write lock on the whole file', '对整个文件加 POSIX 写锁', '對整個檔案加 POSIX 寫鎖')],
  '    else',
  ['        flock(fd, LOCK_EX);', text('an exclusive lock on the open file', '对打开的文件加排他锁', '對開啟的檔案加排他鎖')],
  ['    strcpy(mem, "version 2");', text('changed while holding the lock', '持有锁时修改', '持有鎖時修改')],
  '    if (use_fcntl)',
  ['        fcntl(fd, F_SETLKW, &un);', text('release: a waiter gets the lock', '释放：等待者得到锁', '釋放：等待者得到鎖')],
  '    else',
  ['        flock(fd, LOCK_UN);', text('release: a waiter gets the lock', '释放：等待者得到锁', '釋放：等待者得到鎖')],
  '    munmap(mem, SIZE);',
  '    close(fd);',
  '    exit(0);',
  '}',
]);

export const mmapReaderC = cProgram('mmap_reader.c', ['reader'], [
  ...includes,
  '    char seen[32];',
  ['    int fd = open(path, O_RDWR | O_CLOEXEC);', text('the same file, opened on its own', '同一个文件，自己打开', '同一個檔案，自己開啟')],
  '    if (fd < 0)',
  '        return 1;',
  ['    char *mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);', text('the same pages, at an address of its own', '同样的页，在它自己的地址上', '同樣的頁，在它自己的位址上')],
  '    if (mem == MAP_FAILED)',
  '        return 1;',
  ['    memcpy(seen, mem, sizeof seen);', text('plain loads: the writer\'s bytes, no read()', '普通的内存读取：写者的字节，没有 read()', '普通的記憶體讀取：寫者的位元組，沒有 read()')],
  '    if (use_fcntl)',
  ['        fcntl(fd, F_SETLKW, &wr);', text('sleeps while the writer holds the lock', '写者持有锁时在此睡眠', '寫者持有鎖時在此睡眠')],
  '    else',
  ['        flock(fd, LOCK_EX);', text('sleeps while the writer holds the lock', '写者持有锁时在此睡眠', '寫者持有鎖時在此睡眠')],
  ['    memcpy(seen, mem, sizeof seen);', text('what the writer left when it let go', '写者放手时留下的内容', '寫者放手時留下的內容')],
  '    if (use_fcntl)',
  '        fcntl(fd, F_SETLKW, &un);',
  '    else',
  '        flock(fd, LOCK_UN);',
  '    munmap(mem, SIZE);',
  '    close(fd);',
  ['    unlink(path);', text('the last user removes the file', '最后的使用者删除文件', '最後的使用者刪除檔案')],
  "    exit(seen[0] == 'v' ? 0 : 1);",
  '}',
]);
