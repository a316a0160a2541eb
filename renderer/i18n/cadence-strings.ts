/**
 * Strings for how old a process's state is in a whole-machine frame: a
 * process that has not run for a while is re-checked on a slower cadence
 * (native-bridge/probe/cold-cadence.ts; ProcessInfo.checkedAt). Spread into
 * the tables of strings.ts.
 */
export const cadenceEn = {
  stateAge: 'Read',
  stateAgeOld: 'state read {age} s ago; re-checked every {every} s while idle (no CPU time for {idle} s or more)',
  stateAgeNow: 'state read at this frame; re-checked every {every} s while idle (no CPU time for {idle} s or more)',
} as const;

export const cadenceZhHans: Record<keyof typeof cadenceEn, string> = {
  stateAge: '读取',
  stateAgeOld: '状态读取于 {age} 秒前；空闲时每 {every} 秒复查一次（已至少 {idle} 秒未占用 CPU）',
  stateAgeNow: '状态在本帧读取；空闲时每 {every} 秒复查一次（已至少 {idle} 秒未占用 CPU）',
};

export const cadenceZhHant: Record<keyof typeof cadenceEn, string> = {
  stateAge: '讀取',
  stateAgeOld: '狀態讀取於 {age} 秒前；閒置時每 {every} 秒複查一次（已至少 {idle} 秒未佔用 CPU）',
  stateAgeNow: '狀態在本幀讀取；閒置時每 {every} 秒複查一次（已至少 {idle} 秒未佔用 CPU）',
};
