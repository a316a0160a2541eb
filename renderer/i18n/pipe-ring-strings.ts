/**
 * UI strings of a pipe's ring (pipe-ring.tsx) whose queued bytes were not
 * copied (an observation does not peek: peekBytes 0), and of its ends when
 * the kernel has one open that no listed holder has (format/pipe-ends-text.ts),
 * in the three languages.
 * Spread into the tables of strings.ts.
 */
export const pipeRingEn = {
  pipeNotRead: '(contents not read)',
  pipeNotReadWhy: '{queued} {queued:byte|bytes} queued. {queued:Its|Their} contents were not copied: while it observes your own programs, ipcscope only counts them.',
  pipeReaders: '{readers} {readers:reader|readers}',
  pipeWriters: '{writers} {writers:writer|writers}',
  pipeReadersHidden: 'a read end open, not shown',
  pipeWritersHidden: 'a write end open, not shown',
  pipeReadersUnknown: 'readers unknown',
  pipeWritersUnknown: 'writers unknown',
  pipeEnds: '{readers} · {writers}',
};

export const pipeRingZhHans: Record<keyof typeof pipeRingEn, string> = {
  pipeNotRead: '（内容未读取）',
  pipeNotReadWhy: '队列中有 {queued} 字节。内容没有被复制：观察你自己的程序时，ipcscope 只计数。',
  pipeReaders: '{readers} 个读端',
  pipeWriters: '{writers} 个写端',
  pipeReadersHidden: '有打开的读端，未显示',
  pipeWritersHidden: '有打开的写端，未显示',
  pipeReadersUnknown: '读端数未知',
  pipeWritersUnknown: '写端数未知',
  pipeEnds: '{readers} · {writers}',
};

export const pipeRingZhHant: Record<keyof typeof pipeRingEn, string> = {
  pipeNotRead: '（內容未讀取）',
  pipeNotReadWhy: '佇列中有 {queued} 位元組。內容沒有被複製：觀察你自己的程式時，ipcscope 只計數。',
  pipeReaders: '{readers} 個讀端',
  pipeWriters: '{writers} 個寫端',
  pipeReadersHidden: '有開啟的讀端，未顯示',
  pipeWritersHidden: '有開啟的寫端，未顯示',
  pipeReadersUnknown: '讀端數未知',
  pipeWritersUnknown: '寫端數未知',
  pipeEnds: '{readers} · {writers}',
};
