import { expect, it } from 'vitest';
// @ts-expect-error a module that does not exist: this file must fail to load
import { missing } from './no-such-module';

it('would pass', () => expect(missing).toBeUndefined());
