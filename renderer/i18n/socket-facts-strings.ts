/**
 * UI strings of the inspector's rows for a Unix, TCP or UDP socket
 * (panels/socket-facts.tsx): the fields sock_diag gives, with the names `ss`
 * prints (ESTAB, LISTEN, Send-Q), in the three languages.
 * Spread into the tables of strings.ts.
 */
export const socketFactsEn = {
  sockType: 'Type',
  sockState: 'State',
  sockPath: 'Bound to',
  sockPeer: 'Peer',
  sockPeerNone: 'none',
  sockPeerSelect: 'Select the other end',
  sockPending: 'Waiting for accept()',
  sockPendingValue: '{pending} · backlog {backlog}',
  sockAcceptQueue: 'Queued connections',
  sockAcceptQueueWhy: 'Connected by the kernel, not yet taken by accept(): the server side of each is held by no process.',
  sockPeerQueued: 'waits in the accept queue of {listener}: no process holds the other end yet',
  sockInFlight: 'In flight (SCM_RIGHTS)',
  sockInFlightValue: '{n} {n:descriptor|descriptors} not yet received (fdinfo scm_fds)',
  sockFamily: 'Family',
  sockLocal: 'Local',
  sockRemote: 'Remote',
  sockSendQ: 'Send-Q',
  sockSendQWhy: 'Bytes sent but not yet acknowledged by the other end (TCP) or not yet sent out (UDP).',
};

export const socketFactsZhHans: Record<keyof typeof socketFactsEn, string> = {
  sockType: '类型',
  sockState: '状态',
  sockPath: '绑定地址',
  sockPeer: '对端',
  sockPeerNone: '无',
  sockPeerSelect: '选中另一端',
  sockPending: '等待 accept()',
  sockPendingValue: '{pending} 个 · backlog {backlog}',
  sockAcceptQueue: '排队中的连接',
  sockAcceptQueueWhy: '内核已经完成连接，但还没有被 accept() 取走：每个连接的服务器端都不归任何进程持有。',
  sockPeerQueued: '在 {listener} 的 accept 队列中等待：另一端还没有任何进程持有',
  sockInFlight: '在途（SCM_RIGHTS）',
  sockInFlightValue: '{n} 个描述符尚未被接收（fdinfo scm_fds）',
  sockFamily: '地址族',
  sockLocal: '本地地址',
  sockRemote: '远端地址',
  sockSendQ: 'Send-Q',
  sockSendQWhy: '已发送但对端尚未确认（TCP）或尚未发出（UDP）的字节。',
};

export const socketFactsZhHant: Record<keyof typeof socketFactsEn, string> = {
  sockType: '類型',
  sockState: '狀態',
  sockPath: '綁定位址',
  sockPeer: '對端',
  sockPeerNone: '無',
  sockPeerSelect: '選取另一端',
  sockPending: '等待 accept()',
  sockPendingValue: '{pending} 個 · backlog {backlog}',
  sockAcceptQueue: '排隊中的連線',
  sockAcceptQueueWhy: '核心已經完成連線，但還沒有被 accept() 取走：每個連線的伺服器端都不歸任何行程持有。',
  sockPeerQueued: '在 {listener} 的 accept 佇列中等待：另一端還沒有任何行程持有',
  sockInFlight: '在途（SCM_RIGHTS）',
  sockInFlightValue: '{n} 個描述符尚未被接收（fdinfo scm_fds）',
  sockFamily: '位址族',
  sockLocal: '本機位址',
  sockRemote: '遠端位址',
  sockSendQ: 'Send-Q',
  sockSendQWhy: '已送出但對端尚未確認（TCP）或尚未送出（UDP）的位元組。',
};
