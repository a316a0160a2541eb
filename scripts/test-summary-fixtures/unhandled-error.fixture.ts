import { expect, it } from 'vitest';

it('passes but leaves an error behind', () => {
  setTimeout(() => {
    throw new Error('thrown after the test returned');
  }, 0);
  expect(1).toBe(1);
});
it('waits while that error is thrown', () => new Promise<void>((resolve) => setTimeout(resolve, 100)));
