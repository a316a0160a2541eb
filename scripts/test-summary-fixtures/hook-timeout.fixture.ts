import { beforeAll, expect, it } from 'vitest';

beforeAll(() => new Promise<void>(() => {}), 200);
it('would pass', () => expect(1).toBe(1));
