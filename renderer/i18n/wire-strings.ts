/**
 * Strings for what a view says about the lists a wire frame cut
 * (native-bridge/model/wire-frame.ts): the descriptors and holders left out,
 * counted. Spread into the tables of strings.ts.
 */
export const wireEn = {
  wireMore: '+{count} more: {list}',
  wireFdCount: '{count} {kind} {access}',
  wireHolderCount: '{count} × {comm} (children of {ppid}) holding {access}',
  wireAccessR: 'read {count:end|ends}',
  wireAccessW: 'write {count:end|ends}',
  wireAccessRw: 'read-write {count:end|ends}',
  wireFanQueuedAtLeast: 'at least {count} holding queued bytes',
} as const;

export const wireZhHans: Record<keyof typeof wireEn, string> = {
  wireMore: '另有 {count} 个未列出：{list}',
  wireFdCount: '{count} 个 {kind} {access}',
  wireHolderCount: '{count} 个 {comm}（{ppid} 的子进程）持有{access}',
  wireAccessR: '读端',
  wireAccessW: '写端',
  wireAccessRw: '读写端',
  wireFanQueuedAtLeast: '至少 {count} 个持有排队中的字节',
};

export const wireZhHant: Record<keyof typeof wireEn, string> = {
  wireMore: '另有 {count} 個未列出：{list}',
  wireFdCount: '{count} 個 {kind} {access}',
  wireHolderCount: '{count} 個 {comm}（{ppid} 的子行程）持有{access}',
  wireAccessR: '讀端',
  wireAccessW: '寫端',
  wireAccessRw: '讀寫端',
  wireFanQueuedAtLeast: '至少 {count} 個持有排隊中的位元組',
};
