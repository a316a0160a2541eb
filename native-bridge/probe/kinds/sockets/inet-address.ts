/**
 * IPv4/IPv6 socket addresses as `ss -n` prints them: "127.0.0.1:5000",
 * "[::1]:5000", port 0 as "*", IPv6 compressed like glibc's inet_ntop
 * (longest run of zero words as "::", "::ffff:a.b.c.d" for v4-mapped).
 */

function formatIpv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

export function formatIpv6(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  /* inet_ntop writes the last 32 bits as IPv4 for ::a.b.c.d and ::ffff:a.b.c.d */
  const embedsV4 = bestStart === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff));
  const hex = (from: number, to: number): string[] => words.slice(from, to).map((w) => w.toString(16));
  if (embedsV4) {
    const prefix = bestLen === 5 ? '::ffff:' : '::';
    return prefix + formatIpv4(bytes.subarray(12, 16));
  }
  if (bestStart < 0) return hex(0, 8).join(':');
  return `${hex(0, bestStart).join(':')}::${hex(bestStart + bestLen, 8).join(':')}`;
}

/** "addr:port" (IPv6 in brackets); port 0 (not bound / not connected) as "*". */
export function formatEndpoint(family: 'inet' | 'inet6', addr: Uint8Array, port: number): string {
  const host = family === 'inet' ? formatIpv4(addr) : `[${formatIpv6(addr)}]`;
  return `${host}:${port === 0 ? '*' : port}`;
}

/**
 * The same endpoint written one way for both families, so that an IPv6
 * dual-stack socket ([::ffff:127.0.0.1]:5000) matches its IPv4 peer
 * (127.0.0.1:5000).
 */
export function endpointKey(family: 'inet' | 'inet6', addr: Uint8Array, port: number): string {
  if (family === 'inet6') {
    let mapped = addr[10] === 0xff && addr[11] === 0xff;
    for (let i = 0; i < 10 && mapped; i++) if (addr[i] !== 0) mapped = false;
    if (mapped) return `${formatIpv4(addr.subarray(12, 16))}:${port}`;
    return `[${formatIpv6(addr)}]:${port}`;
  }
  return `${formatIpv4(addr)}:${port}`;
}

/** True for 0.0.0.0 / :: (a listener bound to every address). */
export function isWildcard(addr: Uint8Array, family: 'inet' | 'inet6'): boolean {
  const n = family === 'inet' ? 4 : 16;
  for (let i = 0; i < n; i++) if (addr[i] !== 0) return false;
  return true;
}
