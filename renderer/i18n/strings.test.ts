import { describe, expect, it } from 'vitest';
import { LOCALES, STRINGS, translate } from './strings';

describe('UI strings', () => {
  const english = Object.keys(STRINGS.en).sort();

  it.each(LOCALES.map((l) => l.id))('%s has exactly the English keys, none empty', (locale) => {
    expect(Object.keys(STRINGS[locale]).sort()).toEqual(english);
    for (const key of english) expect(STRINGS[locale][key as keyof typeof STRINGS.en].trim()).not.toBe('');
  });

  it.each(LOCALES.map((l) => l.id))('%s keeps every {placeholder} of the English text', (locale) => {
    for (const [key, text] of Object.entries(STRINGS.en)) {
      const wanted = (text.match(/\{\w+\}/g) ?? []).sort();
      const got = (STRINGS[locale][key as keyof typeof STRINGS.en].match(/\{\w+\}/g) ?? []).sort();
      expect(got, `${locale}.${key}`).toEqual(wanted);
    }
  });

  it('Chinese tables are translated, not copies of English', () => {
    expect(STRINGS['zh-Hans'].play).not.toBe(STRINGS.en.play);
    expect(STRINGS['zh-Hant'].stdout).not.toBe(STRINGS['zh-Hans'].stdout);
  });

  it('fills placeholders from the frame', () => {
    expect(translate('en', 'fillBytes', { queued: 12, capacity: 65536 })).toBe('12 / 65536 bytes');
    expect(translate('zh-Hans', 'fillBytes', { queued: 12, capacity: 65536 })).toBe('12 / 65536 字节');
    expect(translate('zh-Hant', 'blockedIn', { call: 'read(fd 3)', object: 'pipe 4614' })).toBe('阻塞於 read(fd 3)，等待 pipe 4614');
  });

  it('no two string files define the same key (a later spread would silently replace the earlier text)', () => {
    // Vite reads the files at build time: strings.ts as text (its own English keys), each *-strings.ts as a module.
    const source = Object.values(import.meta.glob<string>('./strings.ts', { query: '?raw', import: 'default', eager: true }))[0] ?? '';
    const english = source.slice(source.indexOf('const en = {'), source.indexOf('} as const;'));
    const owner = new Map<string, string>([...english.matchAll(/^ {2}(\w+):/gm)].map((m) => [m[1]!, 'strings.ts']));
    expect(owner.size).toBeGreaterThan(50);
    const files = import.meta.glob<Record<string, object>>('./*-strings.ts', { eager: true });
    const clashes: string[] = [];
    for (const [file, tables] of Object.entries(files)) {
      for (const [name, table] of Object.entries(tables)) {
        if (!name.endsWith('En')) continue;
        for (const key of Object.keys(table)) {
          const first = owner.get(key);
          if (first) clashes.push(`${key}: ${first} and ${file}`);
          else owner.set(key, file);
        }
      }
    }
    expect(clashes).toEqual([]);
  });
});
