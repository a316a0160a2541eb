/**
 * UI strings of the System V message-queue picture (msgq-glyph.tsx), in the
 * three languages. Spread into the tables of strings.ts, which check them
 * like every other key.
 */
export const msgqEn = {
  msgqKey: 'key {key}',
  msgqKeyPrivate: 'key 0 (IPC_PRIVATE)',
  msgqCount: 'messages: {messages} · {bytes} B queued',
  msgqCapacity: '{bytes} of {max} B (msg_qbytes)',
  msgqCapacityUnknown: '{bytes} B used · msg_qbytes unreadable',
  msgqEmpty: 'empty',
  msgqMore: '+{n} more',
  msgqType: 'type {type}',
  msgqIn: 'in: msgsnd',
  msgqOut: 'out: msgrcv',
  msgqPids: 'last msgsnd {lspid} · msgrcv {lrpid}',
  msgqNone: 'none',
  msgqSenderWaits: 'pid {pid} waits for room',
  msgqReceiverWaitsAny: 'pid {pid} waits for any message',
  msgqReceiverWaitsType: 'pid {pid} waits for type {type}',
  msgqReceiverWaitsLowest: 'pid {pid} waits for the lowest type ≤ {type}',
  msgqReceiverWaits: 'pid {pid} waits for a message',
  msgGone: '{object} is gone: removed (IPC_RMID or ipcrm -q) with its messages',
};

export const msgqZhHans: Record<keyof typeof msgqEn, string> = {
  msgqKey: '键值 {key}',
  msgqKeyPrivate: '键值 0（IPC_PRIVATE）',
  msgqCount: '消息 {messages} 条 · 已排队 {bytes} 字节',
  msgqCapacity: '{bytes} / {max} 字节（msg_qbytes）',
  msgqCapacityUnknown: '已用 {bytes} 字节 · 无法读取 msg_qbytes',
  msgqEmpty: '空',
  msgqMore: '还有 {n} 条',
  msgqType: '类型 {type}',
  msgqIn: '入口：msgsnd',
  msgqOut: '出口：msgrcv',
  msgqPids: '最后发送 {lspid} · 最后接收 {lrpid}',
  msgqNone: '无',
  msgqSenderWaits: '进程 {pid} 在等空间',
  msgqReceiverWaitsAny: '进程 {pid} 在等任意消息',
  msgqReceiverWaitsType: '进程 {pid} 在等类型 {type}',
  msgqReceiverWaitsLowest: '进程 {pid} 在等 ≤ {type} 的最小类型',
  msgqReceiverWaits: '进程 {pid} 在等消息',
  msgGone: '{object} 已不存在：连同其中的消息被删除（IPC_RMID 或 ipcrm -q）',
};

export const msgqZhHant: Record<keyof typeof msgqEn, string> = {
  msgqKey: '鍵值 {key}',
  msgqKeyPrivate: '鍵值 0（IPC_PRIVATE）',
  msgqCount: '訊息 {messages} 則 · 已排隊 {bytes} 位元組',
  msgqCapacity: '{bytes} / {max} 位元組（msg_qbytes）',
  msgqCapacityUnknown: '已用 {bytes} 位元組 · 無法讀取 msg_qbytes',
  msgqEmpty: '空',
  msgqMore: '還有 {n} 則',
  msgqType: '類型 {type}',
  msgqIn: '入口：msgsnd',
  msgqOut: '出口：msgrcv',
  msgqPids: '最後傳送 {lspid} · 最後接收 {lrpid}',
  msgqNone: '無',
  msgqSenderWaits: '行程 {pid} 在等空間',
  msgqReceiverWaitsAny: '行程 {pid} 在等任意訊息',
  msgqReceiverWaitsType: '行程 {pid} 在等類型 {type}',
  msgqReceiverWaitsLowest: '行程 {pid} 在等 ≤ {type} 的最小類型',
  msgqReceiverWaits: '行程 {pid} 在等訊息',
  msgGone: '{object} 已不存在：連同其中的訊息被刪除（IPC_RMID 或 ipcrm -q）',
};
