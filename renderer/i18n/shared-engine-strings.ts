/**
 * UI strings of the shared-engine banner (renderer/controls/shared-engine-banner.tsx):
 * browser windows connected to one `ipcscope web` share its one lesson or
 * observation. Spread into the tables of strings.ts.
 */
export const sharedEngineEn = {
  sharedEngine: '{count} windows are connected to this engine; they share one lesson or observation. This is window {you}.',
  peerStartedLesson: 'Window {n} started the lesson “{lesson}”.',
  peerStoppedLesson: 'Window {n} stopped the lesson.',
  peerRestartedLesson: 'Window {n} restarted the lesson.',
  peerStepped: 'Window {n} ran the next step.',
  peerSteppedBack: 'Window {n} went back to step {step}.',
  peerPlayed: 'Window {n} pressed play.',
  peerPaused: 'Window {n} paused the lesson.',
  peerObservedPids: 'Window {n} started observing PID {pids}.',
  peerObservedTree: 'Window {n} started observing PID {pids} and every descendant.',
  peerObservedAll: 'Window {n} started observing the whole machine.',
  peerStoppedObserving: 'Window {n} stopped observing.',
  peerChanged: 'Window {n} changed a shared setting ({command}).',
};

export const sharedEngineZhHans: Record<keyof typeof sharedEngineEn, string> = {
  sharedEngine: '有 {count} 个窗口连接着这个引擎，它们共用同一个课程或观察。这是窗口 {you}。',
  peerStartedLesson: '窗口 {n} 开始了课程“{lesson}”。',
  peerStoppedLesson: '窗口 {n} 停止了课程。',
  peerRestartedLesson: '窗口 {n} 重新开始了课程。',
  peerStepped: '窗口 {n} 执行了下一步。',
  peerSteppedBack: '窗口 {n} 退回到了第 {step} 步。',
  peerPlayed: '窗口 {n} 按下了播放。',
  peerPaused: '窗口 {n} 暂停了课程。',
  peerObservedPids: '窗口 {n} 开始观察 PID {pids}。',
  peerObservedTree: '窗口 {n} 开始观察 PID {pids} 及其所有后代。',
  peerObservedAll: '窗口 {n} 开始观察整台机器。',
  peerStoppedObserving: '窗口 {n} 停止了观察。',
  peerChanged: '窗口 {n} 更改了共用的设置（{command}）。',
};

export const sharedEngineZhHant: Record<keyof typeof sharedEngineEn, string> = {
  sharedEngine: '有 {count} 個視窗連接著這個引擎，它們共用同一個課程或觀察。這是視窗 {you}。',
  peerStartedLesson: '視窗 {n} 開始了課程「{lesson}」。',
  peerStoppedLesson: '視窗 {n} 停止了課程。',
  peerRestartedLesson: '視窗 {n} 重新開始了課程。',
  peerStepped: '視窗 {n} 執行了下一步。',
  peerSteppedBack: '視窗 {n} 退回到了第 {step} 步。',
  peerPlayed: '視窗 {n} 按下了播放。',
  peerPaused: '視窗 {n} 暫停了課程。',
  peerObservedPids: '視窗 {n} 開始觀察 PID {pids}。',
  peerObservedTree: '視窗 {n} 開始觀察 PID {pids} 及其所有後代。',
  peerObservedAll: '視窗 {n} 開始觀察整台機器。',
  peerStoppedObserving: '視窗 {n} 停止了觀察。',
  peerChanged: '視窗 {n} 變更了共用的設定（{command}）。',
};
