/**
 * UI strings of a pipe's ring (pipe-ring.tsx) whose queued bytes were not
 * copied (an observation does not peek: peekBytes 0), in the three languages.
 * Spread into the tables of strings.ts.
 */
export const pipeRingEn = {
  pipeNotRead: '(contents not read)',
  pipeNotReadWhy: '{queued} {queued:byte|bytes} queued. {queued:Its|Their} contents were not copied: while it observes your own programs, ipcscope only counts them.',
};

export const pipeRingZhHans: Record<keyof typeof pipeRingEn, string> = {
  pipeNotRead: '（内容未读取）',
  pipeNotReadWhy: '队列中有 {queued} 字节。内容没有被复制：观察你自己的程序时，ipcscope 只计数。',
};

export const pipeRingZhHant: Record<keyof typeof pipeRingEn, string> = {
  pipeNotRead: '（內容未讀取）',
  pipeNotReadWhy: '佇列中有 {queued} 位元組。內容沒有被複製：觀察你自己的程式時，ipcscope 只計數。',
};
