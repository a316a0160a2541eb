/**
 * UI strings of the mapped-file and file-lock pictures (mapped-file-glyph.tsx,
 * lock-glyph.tsx), in the three languages. Spread into the tables of
 * strings.ts, which check them like every other key.
 */
export const mmapEn = {
  mmapFile: 'inode {inode} · {size} B',
  mmapFileNoSize: 'inode {inode} · size unknown',
  mmapPages: 'page cache: {pages} × 4096 B',
  mmapMappedBy: 'mapped by',
  mmapRange: 'pid {pid} at {start} · {length} B {perms}',
  mmapNobody: 'no process maps it now',
  mmapEmpty: '(all zero)',
  lockTitle: 'lock on {file}',
  lockHeldBy: '{type} {mode} held by pid {pid}',
  lockHeldNoPid: '{type} {mode} held by an open file (no pid)',
  lockRange: 'bytes {start}–{end}',
  lockWaitingTitle: 'waiting for it',
  lockWaiter: 'pid {pid} asleep',
  lockNoWaiter: 'nobody waits',
  lockAdvisory: 'advisory: stops only those who ask',
};

export const mmapZhHans: Record<keyof typeof mmapEn, string> = {
  mmapFile: 'inode {inode} · {size} 字节',
  mmapFileNoSize: 'inode {inode} · 大小未知',
  mmapPages: '页缓存：{pages} × 4096 字节',
  mmapMappedBy: '映射者',
  mmapRange: '进程 {pid} 在 {start} · {length} 字节 {perms}',
  mmapNobody: '现在没有进程映射它',
  mmapEmpty: '（全是零）',
  lockTitle: '{file} 上的锁',
  lockHeldBy: '{type} {mode}，由进程 {pid} 持有',
  lockHeldNoPid: '{type} {mode}，由一个打开的文件持有（没有 pid）',
  lockRange: '字节 {start}–{end}',
  lockWaitingTitle: '在等这把锁',
  lockWaiter: '进程 {pid} 在睡眠',
  lockNoWaiter: '没有人在等',
  lockAdvisory: '建议性锁：只拦住申请锁的进程',
};

export const mmapZhHant: Record<keyof typeof mmapEn, string> = {
  mmapFile: 'inode {inode} · {size} 位元組',
  mmapFileNoSize: 'inode {inode} · 大小未知',
  mmapPages: '頁快取：{pages} × 4096 位元組',
  mmapMappedBy: '映射者',
  mmapRange: '行程 {pid} 在 {start} · {length} 位元組 {perms}',
  mmapNobody: '現在沒有行程映射它',
  mmapEmpty: '（全是零）',
  lockTitle: '{file} 上的鎖',
  lockHeldBy: '{type} {mode}，由行程 {pid} 持有',
  lockHeldNoPid: '{type} {mode}，由一個開啟的檔案持有（沒有 pid）',
  lockRange: '位元組 {start}–{end}',
  lockWaitingTitle: '在等這把鎖',
  lockWaiter: '行程 {pid} 在睡眠',
  lockNoWaiter: '沒有人在等',
  lockAdvisory: '建議性鎖：只攔住申請鎖的行程',
};
