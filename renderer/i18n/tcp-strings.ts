/**
 * UI strings of the TCP connection picture (picture/glyphs/tcp-glyph.tsx), in the
 * three languages. Spread into the tables of strings.ts.
 */
export const tcpEn = {
  tcpTitle: 'TCP connection on loopback',
  tcpTitleOneEnd: 'TCP socket',
  tcpRecvQ: 'Recv-Q {n} B (not yet read)',
  tcpRecvEmpty: 'Recv-Q empty',
  tcpRecvFin: 'Recv-Q 1: the FIN, no data',
  tcpSendQ: 'Send-Q {n} B not yet acked',
  tcpPeerEnd: 'the other end',
  tcpPeerQueued: 'waits in the listener\'s\nqueue until accept()',
  tcpPeerAway: 'not held by a process\nshown here',
  tcpPeerNone: 'none: not connected\n(no remote address)',
  tcpNoHolder: 'no descriptor holds it',
};

export const tcpZhHans: Record<keyof typeof tcpEn, string> = {
  tcpTitle: '回环上的 TCP 连接',
  tcpTitleOneEnd: 'TCP 套接字',
  tcpRecvQ: 'Recv-Q {n} 字节（尚未读取）',
  tcpRecvEmpty: 'Recv-Q 为空',
  tcpRecvFin: 'Recv-Q 1：对端的 FIN，没有数据',
  tcpSendQ: 'Send-Q {n} 字节（尚未确认）',
  tcpPeerEnd: '另一端',
  tcpPeerQueued: '在监听队列里\n等待 accept()',
  tcpPeerAway: '不在这里所示的\n进程手中',
  tcpPeerNone: '没有：尚未连接\n（没有对端地址）',
  tcpNoHolder: '没有描述符持有它',
};

export const tcpZhHant: Record<keyof typeof tcpEn, string> = {
  tcpTitle: '迴環上的 TCP 連線',
  tcpTitleOneEnd: 'TCP 通訊端',
  tcpRecvQ: 'Recv-Q {n} 位元組（尚未讀取）',
  tcpRecvEmpty: 'Recv-Q 為空',
  tcpRecvFin: 'Recv-Q 1：對端的 FIN，沒有資料',
  tcpSendQ: 'Send-Q {n} 位元組（尚未確認）',
  tcpPeerEnd: '另一端',
  tcpPeerQueued: '在監聽佇列裡\n等待 accept()',
  tcpPeerAway: '不在這裡所示的\n行程手中',
  tcpPeerNone: '沒有：尚未連線\n（沒有對端位址）',
  tcpNoHolder: '沒有描述符持有它',
};
