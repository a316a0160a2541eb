/**
 * Test support: polls the kernel (or a Sampler) every 20 ms until `check`
 * gives a value other than undefined or false, and returns it; bounded
 * generously (30 s) for a loaded machine. Used by tests only.
 */
export async function until<T>(what: string, check: () => T | undefined | false): Promise<T> {
  const end = Date.now() + 30_000;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
