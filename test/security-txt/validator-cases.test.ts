import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { checkSecurityTxt, type CheckSecurityTxtResult } from '../../src/app/check-security-txt.js';
import { contactEmails, kindOf, parseSecurityTxt, type Finding, type FindingCode } from '../../src/formats/security-txt/index.js';
import { corpusPath, describeCorpus } from '../support/corpora.js';

/** Every case runs against this fixed instant; the placeholders are resolved relative to it. */
const NOW = new Date('2026-11-23T12:00:00Z');

interface Case {
  name: string;
  content: string;
  expect: Record<string, unknown>;
  valid?: boolean;
}

const load = (file: string): Case[] => (JSON.parse(readFileSync(corpusPath('security-txt/validator-cases', file), 'utf8')) as { cases: Case[] }).cases;

function shift(d: Date, n: number, unit: string): Date {
  const r = new Date(d.getTime());
  if (unit === 'd') r.setUTCDate(r.getUTCDate() + n);
  else if (unit === 'weeks') r.setUTCDate(r.getUTCDate() + 7 * n);
  else if (unit === 'months') r.setUTCMonth(r.getUTCMonth() + n);
  else if (unit === 'years') r.setUTCFullYear(r.getUTCFullYear() + n);
  return r;
}

const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

function resolve(content: string): string {
  return content
    .replaceAll('{{TODAY+10d}}', shift(NOW, 10, 'd').toISOString().slice(0, 10))
    .replaceAll('{{YEAR+3}}', String(NOW.getUTCFullYear() + 3))
    .replace(/\{\{NOW([+-])(\d+)(d|weeks|months|years)([^}]*)\}\}/g, (_, sign: string, n: string, unit: string, rest: string) => {
      const d = shift(NOW, (sign === '-' ? -1 : 1) * Number(n), unit);
      if (rest.includes('RFC2822')) {
        d.setUTCHours(0, 0, 0, 0);
        return rfc2822(new Date(d.getTime() - 1000));
      }
      return d.toISOString().replace('.000Z', '+00:00');
    });
}

const bytesOf = (content: string): Uint8Array =>
  // the spaze not-UTF-8 case writes its raw bytes as \xFF escapes
  /^(\\x[0-9A-F]{2})+$/i.test(content) ? new Uint8Array(content.split('\\x').slice(1).map((h) => parseInt(h, 16))) : new TextEncoder().encode(resolve(content));

const run = (c: Case): Promise<CheckSecurityTxtResult> => checkSecurityTxt({ source: { kind: 'bytes', bytes: bytesOf(c.content) }, now: NOW });
const codes = (fs: Finding[]) => fs.map((f) => f.code);

describeCorpus('security.txt: DigitalTrustCenter sectxt cases', () => {
  for (const c of load('dtc-sectxt-cases.json')) {
    it(c.name, async () => {
      const r = await run(c);
      const lists = { errors: r.errors, recommendations: r.recommendations, notifications: r.notifications };
      for (const [key, want] of Object.entries(c.expect)) {
        let m: RegExpExecArray | null;
        if ((m = /^(errors|recommendations|notifications)\[(\d+)\]$/.exec(key))) {
          expect(lists[m[1] as keyof typeof lists][Number(m[2])]?.code, key).toBe(want);
        } else if ((m = /^(errors|recommendations|notifications)_count\[(\w+)\]$/.exec(key))) {
          expect(codes(lists[m[1] as keyof typeof lists]).filter((x) => x === m![2]).length, key).toBe(want);
        } else if (key === 'errors_contains') {
          expect(codes(r.errors)).toContain(want);
        } else if (key === 'errors_must_not_contain') {
          expect(codes(r.errors)).not.toContain(want);
        } else if ((m = /^line_info\[(\d+)\]\.(type|value)$/.exec(key))) {
          const line = parseSecurityTxt(resolve(c.content)).lines[Number(m[1])];
          expect(m[2] === 'type' ? line?.kind : line?.value, key).toBe(want);
        } else if (key === 'no_line_separators.line') {
          expect(r.errors.find((f) => f.code === 'no_line_separators')?.line).toBe(want);
        } else if (key.startsWith('contact_email')) {
          const emails = contactEmails(r.fields['contact'] ?? []);
          if (key === 'contact_email') expect(emails[0]).toBe(want);
          else if (key === 'contact_emails_include') for (const e of want as string[]) expect(emails).toContain(e);
          else for (const e of want as string[]) expect(emails).not.toContain(e);
        } else if (key === 'contact_url') {
          expect((r.fields['contact'] ?? []).find((v) => /^https:/i.test(v))).toBe(want);
        } else {
          throw new Error(`unhandled expectation ${key}`);
        }
      }
      if (c.valid !== undefined) expect(r.errors.length === 0, JSON.stringify(r.errors)).toBe(c.valid);
    });
  }
});

/** spaze/security-txt violation classes and the DTC-style code cvdesk reports for each. */
const SPAZE: Record<string, FindingCode | null> = {
  SecurityTxtExpired: 'expired',
  SecurityTxtExpiresWrongFormat: 'invalid_expiry',
  SecurityTxtExpiresOldFormat: 'invalid_expiry',
  SecurityTxtExpiresTooLong: 'long_expiry',
  SecurityTxtNoExpires: 'no_expire',
  SecurityTxtMultipleExpires: 'multi_expire',
  SecurityTxtNoContact: 'no_contact',
  SecurityTxtContentNotUtf8: 'utf8',
  SecurityTxtLineNoEol: 'no_line_separators',
  SecurityTxtMultiplePreferredLanguages: 'multi_lang',
  SecurityTxtPreferredLanguagesSeparatorNotComma: 'invalid_lang',
  SecurityTxtPreferredLanguagesCommonMistake: 'invalid_lang',
  SecurityTxtPossibelFieldTypo: 'unknown_field',
  SecurityTxtCsafNotHttps: 'no_https',
  SecurityTxtContactNotHttps: 'no_https',
  SecurityTxtUnknownField: 'unknown_field',
};

/** Cases where cvdesk deliberately reports something else than spaze: our findings per line, and why. */
const DIFFERS: Record<string, { lines: Record<number, FindingCode[]>; why: string }> = {
  missing_expires_commented_and_bare: {
    lines: { 4: ['invalid_line'] },
    why: 'a bare "Expires" line without colon is not a field, comment or blank line; DTC reports invalid_line, spaze ignores it',
  },
  multiple_expires_all_old_format: {
    lines: { 2: ['invalid_expiry', 'expired'], 3: ['invalid_expiry', 'expired', 'multi_expire'] },
    why: 'cvdesk judges every Expires line on its own (format and date), as DTC does; spaze judges only the first',
  },
  bug_bounty_lowercase: {
    lines: { 1: ['unknown_field'] },
    why: 'Bug-Bounty is not an RFC 9116 field; cvdesk only notes it as unknown and does not validate its value',
  },
  bug_bounty_bad_value: {
    lines: { 1: ['unknown_field'] },
    why: 'Bug-Bounty is not an RFC 9116 field; cvdesk only notes it as unknown and does not validate its value',
  },
  signed_damaged_signature: {
    lines: { 8: ['pgp_data_error'] },
    why: 'garbage inside the signature block breaks the OpenPGP framework: an error on the offending line (DTC pgp_data_error), not spaze\'s "cannot verify" warning on line 1',
  },
  crlf_expires_in_7_days_stale_threshold_14: {
    lines: {},
    why: 'cvdesk has no "expires soon" finding (DTC has none either); the expiry reminder job warns ahead of time instead',
  },
};

describeCorpus('security.txt: spaze/security-txt cases (mapped to DTC codes)', () => {
  for (const c of load('spaze-security-txt-cases.json')) {
    const differs = DIFFERS[c.name];
    it(differs ? `${c.name} (differs deliberately: ${differs.why})` : c.name, async () => {
      const r = await run(c);
      const all = [...r.errors, ...r.recommendations, ...r.notifications];
      const ours: Record<number, string[]> = {};
      for (const f of all) if (f.line !== null && f.code !== 'no_encryption') (ours[f.line] ??= []).push(f.code);
      const want: Record<number, string[]> = {};
      if (differs) Object.assign(want, differs.lines);
      else {
        const byLine = { ...(c.expect['line_errors'] as Record<string, string[]> | undefined) };
        for (const [line, names] of Object.entries((c.expect['line_warnings'] as Record<string, string[]> | undefined) ?? {})) {
          byLine[line] = [...(byLine[line] ?? []), ...names];
        }
        for (const [line, names] of Object.entries(byLine)) {
          const mapped = names.map((n) => SPAZE[n]);
          expect(mapped, `unmapped spaze class in ${names.join(',')}`).not.toContain(undefined);
          want[Number(line)] = mapped.filter((x): x is FindingCode => !!x);
          // an error in spaze is an error here, a warning is not
          for (const n of (c.expect['line_errors'] as Record<string, string[]> | undefined)?.[line] ?? []) expect(kindOf(SPAZE[n]!)).toBe('error');
          for (const n of (c.expect['line_warnings'] as Record<string, string[]> | undefined)?.[line] ?? []) expect(kindOf(SPAZE[n]!)).not.toBe('error');
        }
      }
      const sorted = (o: Record<number, string[]>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v.length).map(([k, v]) => [k, [...v].sort()]));
      if ('line_errors' in c.expect || differs) expect(sorted(ours)).toEqual(sorted(want));
      const fileErrors = c.expect['file_errors'] as string[] | undefined;
      const ourFileErrors = codes(r.errors.filter((f) => f.line === null));
      // spaze stops after some file errors (e.g. not UTF-8); cvdesk goes on, so listed ones must be present, and "none" means none
      if (fileErrors?.length === 0) expect(ourFileErrors).toEqual([]);
      for (const n of fileErrors ?? []) expect(ourFileErrors).toContain(SPAZE[n]);
      if (typeof c.expect['file_errors[0]'] === 'string') expect(codes(r.errors)).toContain(SPAZE[c.expect['file_errors[0]']]);
      if (c.expect['languages']) expect((r.fields['preferred-languages']?.[0] ?? '').split(',').map((s) => s.trim())).toEqual(c.expect['languages']);
      if (c.valid !== undefined) expect(r.errors.length === 0, JSON.stringify(r.errors)).toBe(c.valid);
    });
  }
});
