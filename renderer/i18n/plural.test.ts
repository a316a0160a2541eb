import { describe, expect, it } from 'vitest';
import { pluralCategory } from './plural';
import { STRINGS, translate } from './strings';

describe('plural forms in UI strings', () => {
  it('the traffic panel says "1 call/s" and "2 calls/s" in English, no plural in Chinese', () => {
    const values = { rate: '5 B', direction: 'written' };
    expect(translate('en', 'obsTrafficRate', { ...values, calls: '1' })).toBe('5 B/s written, 1 call/s');
    expect(translate('en', 'obsTrafficRate', { ...values, calls: '0.5' })).toBe('5 B/s written, 0.5 calls/s');
    expect(translate('en', 'obsTrafficRate', { ...values, calls: 2 })).toBe('5 B/s written, 2 calls/s');
    expect(translate('zh-Hans', 'obsTrafficRate', { ...values, direction: '写出', calls: '1' })).toBe('写出 5 B/秒，1 次调用/秒');
  });

  it('counts of processes, objects, readers, writers, bytes agree with their number', () => {
    expect(translate('en', 'mapSummary', { processes: 1, objects: 1, fans: 0 })).toBe('1 process · 1 object · 0 groups');
    expect(translate('en', 'pipeReaders', { readers: 1 })).toBe('1 reader');
    expect(translate('en', 'pipeWriters', { writers: 2 })).toBe('2 writers');
    expect(translate('en', 'objectsGone', { n: 1 })).toBe('1 object is gone:');
    expect(translate('en', 'factSemUnused', { object: 'sem 3', key: '0x1', semaphores: 1 })).toBe('sem 3 (key 0x1, 1 semaphore): nobody waits in semop().');
    expect(translate('en', 'pipeNotReadWhy', { queued: 1 })).toMatch(/^1 byte queued\. Its contents/);
    expect(translate('en', 'stepCount', { count: 1 })).toBe('1 step');
    expect(translate('en', 'mapFanWriteEnds', { total: '19,900', max: 199 })).toBe("holding 19,900 siblings' write ends (up to 199 each)");
    expect(translate('en', 'mapFanWriteEnds', { total: '1', max: 1 })).toBe("holding 1 sibling's write end (up to 1 each)");
  });

  it('"1" is one, "1.0", "0", "1,000" and "?" are other (English); Chinese has no one', () => {
    expect(['1', 1, '1.0', 0, '1,000', '?'].map((v) => pluralCategory('en', v))).toEqual(['one', 'one', 'other', 'other', 'other', 'other']);
    expect(pluralCategory('zh-Hans', 1)).toBe('other');
  });

  it('a marker whose value is missing stays visible', () => {
    expect(translate('en', 'stepCount', {})).toContain('{count:');
  });

  it('no English text puts a bare plural noun after a count (use {n:one|other})', () => {
    const nouns = 'processes|objects|groups|fds|bytes|messages|semaphores|connections|calls|syscalls|sleeps|copies|steps|slots|places|readers|writers|trips';
    const bare = new RegExp(`\\{\\w+\\} (?:round )?(?:${nouns})\\b|\\(s\\)`);
    const offenders = Object.entries(STRINGS.en).filter(([, text]) => bare.test(text)).map(([key, text]) => `${key}: ${text}`);
    expect(offenders).toEqual([]);
  });
});
