/**
 * UI strings of the shared-memory segment picture (shm-glyph.tsx), in the
 * three languages. Spread into the tables of strings.ts, which check them
 * like every other key.
 */
export const shmEn = {
  shmKey: 'key {key}',
  shmKeyPrivate: 'key 0 (IPC_PRIVATE or removed)',
  shmSize: '{size} B asked · {pages} × 4096 B pages',
  shmNattch: 'nattch {n}',
  shmPids: 'created by {cpid} · last used by {lpid}',
  shmPidsUnused: 'created by {cpid} · never attached yet',
  shmMarked: 'marked for deletion (IPC_RMID)',
  shmMarkedWhen: 'freed at the last shmdt',
  shmAttached: 'pid {pid} attached',
  shmAttachedAt: 'pid {pid} maps it at {address}',
  shmEmpty: '(all zero)',
  shmGone: '{object} is gone: removed (IPC_RMID or ipcrm) with nobody attached',
};

export const shmZhHans: Record<keyof typeof shmEn, string> = {
  shmKey: '键值 {key}',
  shmKeyPrivate: '键值 0（IPC_PRIVATE 或已删除）',
  shmSize: '申请 {size} 字节 · {pages} 个 4096 字节的页',
  shmNattch: 'nattch {n}',
  shmPids: '创建者 {cpid} · 最后使用者 {lpid}',
  shmPidsUnused: '创建者 {cpid} · 还没有被挂接过',
  shmMarked: '已标记删除（IPC_RMID）',
  shmMarkedWhen: '最后一次 shmdt 时释放',
  shmAttached: '进程 {pid} 已挂接',
  shmAttachedAt: '进程 {pid} 映射于 {address}',
  shmEmpty: '（全为零）',
  shmGone: '{object} 已不存在：在无人挂接时被删除（IPC_RMID 或 ipcrm）',
};

export const shmZhHant: Record<keyof typeof shmEn, string> = {
  shmKey: '鍵值 {key}',
  shmKeyPrivate: '鍵值 0（IPC_PRIVATE 或已刪除）',
  shmSize: '申請 {size} 位元組 · {pages} 個 4096 位元組的頁',
  shmNattch: 'nattch {n}',
  shmPids: '建立者 {cpid} · 最後使用者 {lpid}',
  shmPidsUnused: '建立者 {cpid} · 還沒有被掛接過',
  shmMarked: '已標記刪除（IPC_RMID）',
  shmMarkedWhen: '最後一次 shmdt 時釋放',
  shmAttached: '行程 {pid} 已掛接',
  shmAttachedAt: '行程 {pid} 映射於 {address}',
  shmEmpty: '（全為零）',
  shmGone: '{object} 已不存在：在無人掛接時被刪除（IPC_RMID 或 ipcrm）',
};
