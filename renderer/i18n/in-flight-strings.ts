/**
 * UI strings of descriptors in flight in a socket's queue (in-flight-mark.tsx),
 * in the three languages. Spread into the tables of strings.ts.
 */
export const inFlightEn = {
  inFlightFds: '+ {n} {n:fd|fds} in flight',
  inFlightWhich: 'fdinfo scm_fds: {n}; which file, the kernel does not say',
  inFlightTag: 'fd ×{n}',
  pipeNoPeek: '(no read end to peek)',
};

export const inFlightZhHans: Record<keyof typeof inFlightEn, string> = {
  inFlightFds: '另有 {n} 个 fd 在途',
  inFlightWhich: 'fdinfo scm_fds: {n}；是哪个文件，内核不说',
  inFlightTag: 'fd ×{n}',
  pipeNoPeek: '（无读端可窥视）',
};

export const inFlightZhHant: Record<keyof typeof inFlightEn, string> = {
  inFlightFds: '另有 {n} 個 fd 在途',
  inFlightWhich: 'fdinfo scm_fds: {n}；是哪個檔案，核心不說',
  inFlightTag: 'fd ×{n}',
  pipeNoPeek: '（無讀端可窺視）',
};
