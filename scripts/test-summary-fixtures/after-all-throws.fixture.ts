import { afterAll, expect, it } from 'vitest';

// Every test passes, then the clean-up fails: what it should have removed may still be there.
it('passes', () => expect(1).toBe(1));
afterAll(() => {
  throw new Error('clean-up failed');
});
