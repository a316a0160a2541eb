/**
 * UI strings of the signal picture (signal-marks.tsx, signal-flight.tsx), in
 * the three languages. Spread into the tables of strings.ts, which check them
 * like every other key.
 */
export const signalEn = {
  sigPendingThread: 'pending (thread)',
  sigPendingProcess: 'pending (process)',
  sigBlocked: 'blocked',
  sigCaught: 'caught',
  sigNone: '—',
  sigMore: '+{n}',
  sigHandled: 'handler ran',
  sigHeld: 'held: pending',
  sigKilled: 'default action',
};

export const signalZhHans: Record<keyof typeof signalEn, string> = {
  sigPendingThread: '未决（线程）',
  sigPendingProcess: '未决（进程）',
  sigBlocked: '已阻塞',
  sigCaught: '已捕获',
  sigNone: '—',
  sigMore: '+{n}',
  sigHandled: '处理函数已运行',
  sigHeld: '被挡住：未决',
  sigKilled: '默认动作',
};

export const signalZhHant: Record<keyof typeof signalEn, string> = {
  sigPendingThread: '擱置（執行緒）',
  sigPendingProcess: '擱置（行程）',
  sigBlocked: '已阻擋',
  sigCaught: '已捕捉',
  sigNone: '—',
  sigMore: '+{n}',
  sigHandled: '處理函式已執行',
  sigHeld: '被擋住：擱置',
  sigKilled: '預設動作',
};
