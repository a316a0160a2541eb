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
  objectAge: 'Read',
  objectAgeOld: '{age} s ago; read again when a process that can change it runs, at least every {every} s',
  objectAgeNow: 'at this frame; read again when a process that can change it runs, at least every {every} s',
  objectAgeWhy:
    'Read again as soon as a process that can change it runs. Some changes come with no listed process running (the network, for a socket; an end held where this view cannot see, for a pipe), so it is also read at least this often; until then the numbers shown are the last ones the kernel gave.',
} as const;

export const cadenceZhHans: Record<keyof typeof cadenceEn, string> = {
  stateAge: '状态读取',
  stateAgeOld: '{age} 秒前；空闲时每 {every} 秒复查一次',
  stateAgeNow: '本帧；空闲时每 {every} 秒复查一次',
  stateAgeWhy: '空闲：已至少 {idle} 秒未占用 CPU。下次复查之前，显示的是内核最后一次确认的状态。',
  objectAge: '读取',
  objectAgeOld: '{age} 秒前；能改变它的进程运行时重读，至少每 {every} 秒一次',
  objectAgeNow: '本帧；能改变它的进程运行时重读，至少每 {every} 秒一次',
  objectAgeWhy: '能改变它的进程一运行就会重读。有些变化发生时没有列出的进程在运行（套接字可被网络改变；管道的某一端可能在本视图看不到的地方），所以也至少按此间隔重读；在此之前，显示的是内核最后给出的数字。',
};

export const cadenceZhHant: Record<keyof typeof cadenceEn, string> = {
  stateAge: '狀態讀取',
  stateAgeOld: '{age} 秒前；閒置時每 {every} 秒複查一次',
  stateAgeNow: '本幀；閒置時每 {every} 秒複查一次',
  stateAgeWhy: '閒置：已至少 {idle} 秒未佔用 CPU。下次複查之前，顯示的是核心最後一次確認的狀態。',
  objectAge: '讀取',
  objectAgeOld: '{age} 秒前；能改變它的行程執行時重讀，至少每 {every} 秒一次',
  objectAgeNow: '本幀；能改變它的行程執行時重讀，至少每 {every} 秒一次',
  objectAgeWhy: '能改變它的行程一執行就會重讀。有些變化發生時沒有列出的行程在執行（通訊端可被網路改變；管道的某一端可能在本視圖看不到的地方），所以也至少按此間隔重讀；在此之前，顯示的是核心最後給出的數字。',
};
