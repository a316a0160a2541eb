import { beforeAll, expect, it } from 'vitest';

// As the e2e suites did where Chromium was missing.
beforeAll(() => {
  throw new Error('Chromium is not installed');
});
it('would pass', () => expect(1).toBe(1));
it('would pass too', () => expect(2).toBe(2));
it.skip('is skipped on purpose', () => expect(true).toBe(false));
