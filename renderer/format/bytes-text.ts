/**
 * Turning kernel bytes (base64 in frames) into text a learner can read:
 * `hello world\n` with C-style escapes, so a newline in a pipe is visible.
 */

export function decodeBase64(data: string | null | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  try {
    const binary = atob(data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return new Uint8Array(0);
  }
}

/* One decoder for every call: this runs per flight and per ring tween frame. Without
   `stream`, decode() keeps no state between calls, so sharing it is safe. */
const utf8 = new TextDecoder('utf-8', { fatal: false });

const ESCAPES: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\0': '\\0', '\\': '\\\\', '"': '\\"' };

/** UTF-8 text with control characters written as C escapes (`\n`, `\x1b`). */
export function escapeBytes(bytes: Uint8Array): string {
  const text = utf8.decode(bytes);
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const escaped = ESCAPES[ch];
    if (escaped) out += escaped;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** Base64 from a frame straight to escaped text, cut to `max` characters with an ellipsis. */
export function peekText(data: string | null | undefined, max = Infinity): string {
  const text = escapeBytes(decodeBase64(data));
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}

/** Plain UTF-8 (for the stdout panel, where a newline should break the line). */
export function plainText(data: string | null | undefined): string {
  return utf8.decode(decodeBase64(data));
}
