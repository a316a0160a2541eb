/**
 * UI strings of the listening-socket picture (listener-glyph.tsx), in the
 * three languages. Spread into the tables of strings.ts, which check them
 * like every other key.
 */
export const socketServerEn = {
  listenerTitle: 'listener · {kind}',
  listenerCount: '{pending} waiting · backlog {backlog}',
  listenerSs: 'as ss -l shows it: Recv-Q {pending} (waiting to be accepted) · Send-Q {backlog} (backlog)',
  listenerMore: '+{n} more {n:place|places}',
  listenerWaiting: 'waiting: {who}',
  listenerNoneWaiting: 'nobody waiting: accept() would sleep',
  listenerUnbound: '(no name)',
};

export const socketServerZhHans: Record<keyof typeof socketServerEn, string> = {
  listenerTitle: '监听套接字 · {kind}',
  listenerCount: '{pending} 个等待 · backlog {backlog}',
  listenerSs: 'ss -l 显示：Recv-Q {pending}（等待 accept 的连接）· Send-Q {backlog}（backlog）',
  listenerMore: '还有 {n} 个位置',
  listenerWaiting: '等待中：{who}',
  listenerNoneWaiting: '无人等待：accept() 会睡眠',
  listenerUnbound: '（没有名字）',
};

export const socketServerZhHant: Record<keyof typeof socketServerEn, string> = {
  listenerTitle: '監聽通訊端 · {kind}',
  listenerCount: '{pending} 個等待 · backlog {backlog}',
  listenerSs: 'ss -l 顯示：Recv-Q {pending}（等待 accept 的連線）· Send-Q {backlog}（backlog）',
  listenerMore: '還有 {n} 個位置',
  listenerWaiting: '等待中：{who}',
  listenerNoneWaiting: '無人等待：accept() 會睡眠',
  listenerUnbound: '（沒有名字）',
};
