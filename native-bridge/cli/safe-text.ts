/**
 * Text any other user may choose (a process name, a FIFO or socket path, an
 * abstract socket name, a POSIX shm or queue name), made safe to print on a
 * terminal or inside a Graphviz string. A name may hold any byte but NUL
 * (PR_SET_NAME, a path component): printed raw, an ESC sequence would drive
 * the reader's terminal and a newline would forge table rows. One escaping
 * rule serves text and peeked bytes alike: what C would write in a string
 * literal, so the output never carries a control character and two different
 * names never print alike.
 */

/*
 * C0 controls, DEL, C1 controls (U+0080-U+009F: a comm is read as latin1, so
 * a raw 0x9b byte arrives as U+009B, which some terminals take as CSI), the
 * backslash (our escape character), and the Unicode line separators and
 * bidirectional overrides (they reorder or break what follows on screen).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** The escape for one character code, or null when it prints as itself. */
export function escapeCode(code: number): string | null {
  if (code === 0x0a) return '\\n';
  if (code === 0x09) return '\\t';
  if (code === 0x0d) return '\\r';
  if (code === 0x5c) return '\\\\';
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code === 0x200e || code === 0x200f || (code >= 0x2028 && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
    return `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return null;
}

/** `text` with every unsafe character escaped; text without one is returned as it is. */
export function escapeText(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (char) => escapeCode(char.charCodeAt(0)) ?? char);
}
