import { describe, expect, it } from 'vitest';
import { translatorFor } from '../store/selectors';
import { pipeEndsText } from './pipe-ends-text';

describe('a pipe\'s ends as words', () => {
  it('counts the listed holders when the kernel has nothing more to say', () => {
    expect(pipeEndsText({ readers: 1, writers: 2 }, translatorFor('en'))).toBe('1 reader · 2 writers');
    /* checked: no end open anywhere else */
    expect(pipeEndsText({ readers: 1, writers: 0, hiddenWriters: false }, translatorFor('en'))).toBe('1 reader · 0 writers');
  });

  it('never says 0 writers while the kernel has a write end open that no listed holder has', () => {
    for (const locale of ['en', 'zh-Hans', 'zh-Hant'] as const) {
      const t = translatorFor(locale);
      const text = pipeEndsText({ readers: 1, writers: 0, hiddenWriters: true }, t);
      expect(text).toBe(`${t('pipeReaders', { readers: 1 })} · ${t('pipeWritersHidden')}`);
      expect(text).not.toContain(t('pipeWriters', { writers: 0 }));
      expect(pipeEndsText({ readers: 0, writers: 1, hiddenReaders: true }, t)).not.toContain(t('pipeReaders', { readers: 0 }));
    }
    expect(pipeEndsText({ readers: 1, writers: 0, hiddenWriters: true }, translatorFor('en'))).toBe('1 reader · a write end open, not shown');
  });

  it('says unknown when the engine could not ask the kernel', () => {
    expect(pipeEndsText({ readers: 1, writers: 0, hiddenWriters: null }, translatorFor('en'))).toBe('1 reader · writers unknown');
    expect(pipeEndsText({ readers: 0, writers: 1, hiddenReaders: null }, translatorFor('zh-Hans'))).toBe('读端数未知 · 1 个写端');
  });
});
