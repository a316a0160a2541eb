/**
 * UI strings of the connected socket pair picture (socket-pair-glyph.tsx), in
 * the three languages. Spread into the tables of strings.ts, which check them
 * like every other key.
 */
export const socketPairEn = {
  pairStream: 'stream pair (SOCK_STREAM)',
  pairDgram: 'datagram pair (SOCK_DGRAM)',
  pairOther: '{type} pair',
  pairBytes: '{n} B queued, no boundaries',
  pairEmpty: 'receive queue empty',
  pairNext: 'next datagram: {n} B',
  pairNextOnly: 'the kernel reports the next one only',
  pairHolder: '{who} fd {fd}',
  pairNoHolder: 'no holder',
  pairQueuedTitle: '{type} socket: connected, not accepted yet',
  pairPeerEnd: 'the other end',
  pairQueuedPeer: "none yet: waits in\n{name}'s queue\nuntil accept()",
};

export const socketPairZhHans: Record<keyof typeof socketPairEn, string> = {
  pairStream: '流套接字对（SOCK_STREAM）',
  pairDgram: '数据报套接字对（SOCK_DGRAM）',
  pairOther: '{type} 套接字对',
  pairBytes: '排队 {n} 字节，没有边界',
  pairEmpty: '接收队列为空',
  pairNext: '下一个数据报：{n} 字节',
  pairNextOnly: '内核只报告下一个',
  pairHolder: '{who} 的 fd {fd}',
  pairNoHolder: '无人持有',
  pairQueuedTitle: '{type} 套接字：已连接，尚未被 accept',
  pairPeerEnd: '另一端',
  pairQueuedPeer: '还没有：在 {name}\n的队列里等待\naccept()',
};

export const socketPairZhHant: Record<keyof typeof socketPairEn, string> = {
  pairStream: '串流通訊端對（SOCK_STREAM）',
  pairDgram: '資料報通訊端對（SOCK_DGRAM）',
  pairOther: '{type} 通訊端對',
  pairBytes: '排隊 {n} 位元組，沒有邊界',
  pairEmpty: '接收佇列為空',
  pairNext: '下一個資料報：{n} 位元組',
  pairNextOnly: '核心只回報下一個',
  pairHolder: '{who} 的 fd {fd}',
  pairNoHolder: '無人持有',
  pairQueuedTitle: '{type} 通訊端：已連線，尚未被 accept',
  pairPeerEnd: '另一端',
  pairQueuedPeer: '還沒有：在 {name}\n的佇列裡等待\naccept()',
};
