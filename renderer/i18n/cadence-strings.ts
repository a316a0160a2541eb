/**
 * Strings for how old a process's state is in a whole-machine frame: a
 * process that has not run for a while is re-checked on a slower cadence
 * (native-bridge/probe/cold-cadence.ts; ProcessInfo.checkedAt). Spread into
 * the tables of strings.ts. The line is short (the inspector beside the map
 * is narrow); its title says what "idle" means.
 */
export const cadenceEn = {
  stateAge: 'State read',
  stateAgeOld: '{age} s ago; re-checked every {every} s while idle',
  stateAgeNow: 'at this frame; re-checked every {every} s while idle',
  stateAgeWhy: 'Idle: no CPU time for {idle} s or more. Until the next check the state shown is the last one the kernel confirmed.',
} as const;

export const cadenceZhHans: Record<keyof typeof cadenceEn, string> = {
  stateAge: '状态读取',
  stateAgeOld: '{age} 秒前；空闲时每 {every} 秒复查一次',
  stateAgeNow: '本帧；空闲时每 {every} 秒复查一次',
  stateAgeWhy: '空闲：已至少 {idle} 秒未占用 CPU。下次复查之前，显示的是内核最后一次确认的状态。',
};

export const cadenceZhHant: Record<keyof typeof cadenceEn, string> = {
  stateAge: '狀態讀取',
  stateAgeOld: '{age} 秒前；閒置時每 {every} 秒複查一次',
  stateAgeNow: '本幀；閒置時每 {every} 秒複查一次',
  stateAgeWhy: '閒置：已至少 {idle} 秒未佔用 CPU。下次複查之前，顯示的是核心最後一次確認的狀態。',
};
