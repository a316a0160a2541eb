/**
 * The one polling helper of the tests (CLI, web server, Electron shell, e2e).
 * It lives in native-bridge because that is the lowest layer: every other
 * room may import from here, and native-bridge may import from nowhere else.
 */

/**
 * Polls `check` every `intervalMs` until it returns a value (anything but
 * undefined, null or false: 0 and '' count), or throws after `timeoutMs`:
 * by default 20 s, generous for a loaded 2-core machine and still below the
 * engine tests' per-test limit, so a timeout names what was awaited.
 */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 20_000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
