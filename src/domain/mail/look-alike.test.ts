import { describe, expect, it } from 'vitest';
import { lookAlikeWarning, scriptsOf } from './look-alike.js';

describe('look-alike text', () => {
  it('marks addresses that mix scripts, and text with direction overrides or zero-width characters', () => {
    expect(lookAlikeWarning('p\u0430yp\u0430l@ex\u0430mple.org')).toBe('mixes letters of Latin and Cyrillic: it may imitate another address');
    expect(lookAlikeWarning('invoice\u202Efdp.exe')).toMatch(/invisible/);
    expect(lookAlikeWarning('pay\u200Bpal@example.org')).toMatch(/invisible/);
  });

  it('leaves addresses of one script alone, whatever the script', () => {
    for (const a of ['rita@example.org', 'jürgen.müller@example.de', 'иван@пример.рф', 'δοκιμή@παράδειγμα.ελ', '用户@例子.cn']) expect(lookAlikeWarning(a), a).toBeNull();
    expect(scriptsOf('иван@example.org')).toEqual(['Latin', 'Cyrillic']);
  });
});
