import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { parseCvss } from '../../src/domain/advisories/cvss.js';
import { normaliseCweId } from '../../src/domain/advisories/cwe.js';
import { parseAdvisory } from '../../src/domain/advisories/parse-advisory.js';
import { ociPurl, ociRepositoryPurl } from '../../src/domain/advisories/purl.js';
import { checkPassword } from '../../src/domain/accounts/password-rules.js';
import { checkCron, checkHolidayRegion, checkTimeZone, nextCronRuns } from '../../src/domain/calendar/index.js';
import { classifyTag } from '../../src/domain/images/classify-tag.js';
import { parseReference } from '../../src/domain/images/reference.js';
import { familiarMatch, globToRegExp, parseAnyReference, parseDockerRef, parseNormalizedNamed } from '../../src/domain/images/reference-normalize.js';
import { tagReport } from '../../src/domain/images/tag-report.js';
import { compareVersions, splitVersion } from '../../src/domain/images/version-order.js';
import { matchRecipient, parseMailbox, parseReplyTag, withPlusTag } from '../../src/domain/mail/addresses.js';
import { htmlToText } from '../../src/domain/mail/html-to-text.js';
import { cleanMailLine, cleanMailText, isAutomatic, titleFromSubject } from '../../src/domain/mail/intake-decision.js';
import { headerField, multipartBodies, parseContentType, pgpMimeKind, signedParts, splitEntity } from '../../src/domain/mail/mime-structure.js';
import { findArmorBlocks, textAround } from '../../src/domain/mail/pgp-armor.js';
import { parseDuration } from '../../src/domain/policy/duration.js';
import { parsePolicy } from '../../src/domain/policy/parse-policy.js';
import type { Policy } from '../../src/domain/policy/schema.js';
import { parseWindowPhrase } from '../../src/domain/policy/schema-releases.js';
import { checkUpload } from '../../src/domain/reports/attachment-rules.js';
import { messageBodySchema, reportFieldsSchema } from '../../src/domain/reports/report-input.js';
import { ghsaToAdvisory, readGhsa } from '../../src/formats/ghsa.js';
import { parseMarkdown } from '../../src/formats/markdown/parse-markdown.js';
import { renderMarkdown } from '../../src/formats/markdown/render-markdown.js';
import { checkSecurityTxtText, parseSecurityTxt, readFields } from '../../src/formats/security-txt/index.js';
import { corpusPath, haveCorpora } from '../support/corpora.js';
import { anyText, fuzzParameters, inputs, jsonMutationOf, mutationOf, piecesOf, repeated } from './fuzz-support.js';
import { unsafeHtml } from './html-check.js';

/**
 * Issue #7: every parser of src/domain and src/formats, fed arbitrary input (random text and bytes,
 * near-valid input built from the parser's own vocabulary, and real examples with random edits),
 * returns a result or its typed refusal and never throws. A hang shows as the test's timeout; the
 * "repeated" inputs (tens of thousands of characters of one piece) are there for the regular
 * expressions. Cases per property: CVDESK_FUZZ_RUNS (default 10,000).
 */

const root = resolve(import.meta.dirname, '..', '..');
const read = (p: string) => readFileSync(resolve(root, p), 'utf8');
const examplePolicies = ['mautic-docker', 'ozg-security-scanner', 'minimal'].map((n) => read(`examples/policies/${n}.yaml`));
const exampleAdvisories = readdirSync(resolve(root, 'examples/advisories')).map((f) => read(join('examples/advisories', f)));
const mautic = parsePolicy(examplePolicies[0]!, 'mautic-docker.yaml');
if (!mautic.ok) throw new Error('the example policy does not parse');
const policy: Policy = mautic.policy;

/** Files of a corpus folder (recursively), or none when the corpora are absent: the fuzz then runs on the examples alone. */
function corpusFiles(dir: string, ext: string): string[] {
  if (!haveCorpora || !existsSync(corpusPath(dir))) return [];
  return (readdirSync(corpusPath(dir), { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith(ext)).map((f) => readFileSync(corpusPath(dir, f), 'utf8'));
}

const securityTxts = [...corpusFiles('security-txt', '.txt'), 'Contact: mailto:security@example.org\nExpires: 2027-01-01T00:00:00.000Z\nPreferred-Languages: en, de\n'];
const ghsaJson: unknown[] = corpusFiles('ghsa', '.json').map((t) => JSON.parse(t) as unknown);
const dockerRefs = corpusFiles('docker-ref', '.tsv')
  .flatMap((t) => t.split('\n').map((l) => l.split('\t')[0] ?? ''))
  .filter((s) => s !== '' && !s.startsWith('#'))
  .slice(0, 2000);

const never = <T>(arb: fc.Arbitrary<T>, check: (v: T) => void) => fc.assert(fc.property(arb, check), fuzzParameters());
const isProblemList = (problems: ReadonlyArray<{ line: number; column: number; message: string }>) => {
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) {
    expect(Number.isInteger(p.line) && p.line >= 1, `line of ${JSON.stringify(p)}`).toBe(true);
    expect(p.message.length).toBeGreaterThan(0);
  }
};

describe('fuzz: policy and advisory files (YAML)', () => {
  const yamlPieces = ['\n', '  ', ': ', '- ', 'version: 1', 'project:', 'name: x', 'sla:', 'tags:', 'support:', 'calendar:', 'timeZone: Europe/Berlin', '24 hours', '7 business days', '&a ', '*a', '<<: *a', '!!str ', '"', "'", '[', ']', '{', '}', '|', '>', '#', '---', '...', '\t', '~', 'null', '1e309', '-0'];

  it('parsePolicy returns the policy or located problems', { timeout: 600_000 }, () => {
    never(inputs(anyText(300), piecesOf(yamlPieces), mutationOf(examplePolicies), { long: repeated(['- ', '[', '{a: ', '&a [*a, ', 'a: &b\n  ']) }), (text) => {
      const r = parsePolicy(text, 'p.yaml');
      if (!r.ok) isProblemList(r.problems);
      else expect(r.policy.version).toBe(1);
    });
  });

  it('parseAdvisory returns the advisory or located problems', { timeout: 600_000 }, () => {
    never(fc.oneof(anyText(300), piecesOf(['id: X-1', 'title: t', 'images:', 'versions:', 'introduced: 1.0.0', 'fixed: 1.0.1', ...yamlPieces]), mutationOf(exampleAdvisories)), (text) => {
      const r = parseAdvisory(text, 'a.yaml');
      if (!r.ok) isProblemList(r.problems);
      else expect(typeof r.advisory.id).toBe('string');
    });
  });

  it('durations and release-window phrases parse or are refused', { timeout: 600_000 }, () => {
    const words = ['24', ' ', 'hours', 'business', 'days', 'calendar', 'week', '2nd', 'and', '4th', 'last', ',', 'Wednesday', 'of each month', 'at', '10:00', '-'];
    never(inputs(anyText(60), piecesOf(words, 12), { long: repeated([' ', '1', 'and ', '2nd ', 'a']) }), (text) => {
      const d = parseDuration(text);
      if (d) expect(d.amount).toBeGreaterThan(0);
      const w = parseWindowPhrase(text);
      if (w) expect(w.nth.length).toBeGreaterThan(0);
    });
  });
});

describe('fuzz: calendar inputs', () => {
  const cronPieces = ['*', '/', ',', '-', ' ', '0', '1', '5', '7', '12', '31', '59', 'L', 'W', '#', '?', 'MON', 'JAN', '@weekly', '@daily'];
  it('cron expressions are checked with a reason, and a valid one computes its next runs', { timeout: 600_000 }, () => {
    never(fc.oneof(anyText(40), piecesOf(cronPieces, 20)), (expr) => {
      const problem = checkCron(expr);
      if (problem !== null) expect(problem.length).toBeGreaterThan(0);
      else expect(nextCronRuns({ cron: expr.trim(), timeZone: 'UTC' }, new Date('2026-11-23T00:00:00Z'), 2).length).toBeGreaterThan(0);
    });
  });

  it('time zones and holiday regions are checked, never thrown', { timeout: 600_000 }, () => {
    never(fc.oneof(anyText(40), piecesOf(['Europe/', 'Berlin', 'America/', 'UTC', 'Etc/GMT+', '1', 'DE', '-', 'BE', 'US', 'CA', '..', '/'], 6)), (s) => {
      const tz = checkTimeZone(s);
      const region = checkHolidayRegion(s);
      expect(tz === null || tz.length > 0).toBe(true);
      expect(region === null || region.length > 0).toBe(true);
    });
  });
});

describe('fuzz: security.txt', () => {
  it('parse + validate + readFields take any text and any bytes', { timeout: 600_000 }, () => {
    const pieces = ['\n', '\r\n', 'Contact: ', 'Expires: ', '2027-01-01T00:00:00Z', 'mailto:a@b.c', 'https://x.example/', '# c', '-----BEGIN PGP SIGNED MESSAGE-----\n', 'Hash: SHA256\n\n', '-----BEGIN PGP SIGNATURE-----\n', '-----END PGP SIGNATURE-----\n', '- ', ':'];
    const input = inputs<string | Uint8Array>(anyText(300), piecesOf(pieces), mutationOf(securityTxts), fc.uint8Array({ maxLength: 300 }), { long: repeated(['Contact: ', ' ', ':', '- -', '\r']) });
    never(input, (s) => {
      const parsed = parseSecurityTxt(s);
      readFields(parsed);
      const r = checkSecurityTxtText(s, { now: new Date('2026-11-23T00:00:00Z') });
      for (const f of [...r.errors, ...r.recommendations, ...r.notifications]) expect(f.message.length).toBeGreaterThan(0);
    });
  });
});

describe('fuzz: image references, tags and versions', () => {
  const refPieces = ['docker.io/', 'ghcr.io/', 'localhost:5000/', 'library/', 'mautic/mautic', ':', '@', 'sha256:', 'a'.repeat(64), '5.2.1-apache', 'latest', '/', '.', '-', '_', '__', 'UPPER', '[::1]:5000/', '*', '?'];
  const refs = inputs(anyText(120), piecesOf(refPieces, 12), ...(dockerRefs.length ? [mutationOf(dockerRefs)] : []), { long: repeated(['a/', 'a.', 'a-', 'a__', 'a:', '0']) });

  it('every reference parser returns a reference or its error code', { timeout: 600_000 }, () => {
    never(refs, (s) => {
      for (const parse of [parseReference, parseNormalizedNamed, parseAnyReference, parseDockerRef]) {
        const r = parse(s);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(typeof r.error).toBe('string');
      }
    });
  });

  it('familiar-name globs compile or are refused, and match without throwing', { timeout: 600_000 }, () => {
    const named = parseNormalizedNamed('docker.io/mautic/mautic:5.2.1-apache');
    if (!named.ok) throw new Error('fixture');
    never(refs, (pattern) => {
      globToRegExp(pattern);
      expect(typeof familiarMatch(pattern, named.ref)).toBe('boolean');
    });
  });

  it('tags classify (unknown at worst) and the tag report answers for any tag list', { timeout: 600_000 }, () => {
    const tagPieces = ['5', '.', '2', '1', '-', 'apache', 'fpm', 'rc1', 'beta', 'v', 'latest', 'main', '1a2b3c4', '1719830400', 'alpine3.24', 'cli', '_'];
    const tag = fc.oneof(anyText(40), piecesOf(tagPieces, 10));
    never(fc.tuple(tag, fc.array(tag, { maxLength: 8 })), ([t, others]) => {
      const info = classifyTag(t, policy.tags);
      expect(['release', 'prerelease', 'rolling', 'build', 'unknown']).toContain(info.kind);
      splitVersion(t);
      for (const o of others) expect(Number.isFinite(compareVersions(t, o))).toBe(true);
      const report = tagReport({ tags: [t, ...others], scheme: policy.tags, rule: policy.support, tag: t, advisories: [] });
      expect(report.tag).toBe(t);
    });
  });

  it('purls are built from any image, digest and tag', { timeout: 600_000 }, () => {
    never(fc.tuple(anyText(60), anyText(80), fc.option(anyText(30), { nil: undefined })), ([image, digest, tag]) => {
      for (const purl of [ociPurl(image, digest, tag), ociRepositoryPurl(image)]) {
        expect(purl.startsWith('pkg:oci/')).toBe(true);
        // eslint-disable-next-line no-control-regex -- a purl is percent-encoded: no spaces or control characters survive
        expect(purl).not.toMatch(/[\s\u0000-\u001f#]/);
      }
    });
  });
});

describe('fuzz: advisories and their imports', () => {
  const cvssPieces = ['CVSS:3.1/', 'CVSS:4.0/', 'CVSS:3.0/', 'AV:N', 'AV:L', '/AC:L', '/PR:N', '/UI:N', '/S:U', '/C:H', '/I:H', '/A:H', '/AT:N', '/VC:H', '/VI:H', '/VA:H', '/SC:N', '/SI:N', '/SA:N', '/E:X', '/E:A', '/', ':', 'X'];
  it('CVSS vectors score or are refused with a message', { timeout: 600_000 }, () => {
    never(inputs(anyText(120), piecesOf(cvssPieces, 16), { long: repeated(['AV:N/', '/', 'CVSS:3.1/']) }), (v) => {
      const r = parseCvss(v);
      if (r.ok) expect(r.score >= 0 && r.score <= 10).toBe(true);
      else expect(r.message.length).toBeGreaterThan(0);
    });
  });

  it('CWE ids normalise or are null', { timeout: 600_000 }, () => {
    never(fc.oneof(anyText(30), piecesOf(['CWE-', 'cwe', '-', '79', '0', ' ', 'NVD-CWE-Other'], 6)), (s) => {
      const id = normaliseCweId(s);
      if (id !== null) expect(id).toMatch(/^CWE-\d+$/);
    });
  });

  it('GitHub advisory records of any shape import or are refused with a message', { timeout: 600_000 }, () => {
    const base = ghsaJson.length ? ghsaJson : [{ ghsa_id: 'GHSA-xxxx-xxxx-xxxx', summary: 's', vulnerabilities: [] }];
    never(fc.oneof(fc.jsonValue({ maxDepth: 4 }), jsonMutationOf(base)), (json) => {
      const r = readGhsa(json);
      if (!r.ok) {
        expect(r.message.length).toBeGreaterThan(0);
        return;
      }
      for (const importPolicy of [undefined, { images: policy.project.images }]) expect(typeof ghsaToAdvisory(r.record, importPolicy)).toBe('object');
    });
  });
});

describe('fuzz: Markdown', () => {
  const mdPieces = ['# ', '\n', '\n\n', '* ', '1. ', '```', '`', '**', '_', '[', '](', ')', 'javascript:alert(1)', 'https://x.example/', '<script>', '</script>', '<img src=x onerror=alert(1)>', '"', "'", '&', '> ', '    ', '|', '\\', '![', 'data:text/html,'];
  it('renders any text to HTML without a script, an event handler or a dangerous link', { timeout: 600_000 }, () => {
    never(inputs(anyText(200), piecesOf(mdPieces), { long: repeated(['*', '_', '[', '](', '`', '**a ', '*a ', '[a](', '- [', '\n> ']) }), (md) => {
      parseMarkdown(md);
      const html = renderToString(h('div', null, ...renderMarkdown(md)));
      expect(unsafeHtml(html), html).toEqual([]);
    });
  });
});

describe('fuzz: mail structure (MIME, OpenPGP armor, addresses, reply tags)', () => {
  const mimePieces = ['\r\n', '\n', '\r\n\r\n', 'Content-Type: ', 'multipart/signed', 'multipart/encrypted', 'multipart/mixed', '; boundary=', '"b"', 'b', '--b', '--b--', '; protocol="application/pgp-signature"', 'application/pgp-encrypted', ' ', '\t', ':', '=?utf-8?b?', '?='];
  it('MIME helpers take any entity', { timeout: 600_000 }, () => {
    never(fc.tuple(inputs(anyText(300), piecesOf(mimePieces), { long: repeated(['\r\n', '--b\r\n', ' \t', ';a=', '; a="\\']) }), fc.oneof(fc.constant('b'), anyText(20))), ([raw, boundary]) => {
      const { header, body } = splitEntity(raw);
      const ct = parseContentType(headerField(header, 'content-type'));
      expect(ct.type).toMatch(/^[^/]+\/[^/]+$/);
      pgpMimeKind(ct);
      const parts = multipartBodies(body, ct.params['boundary'] ?? boundary);
      expect(parts === null || Array.isArray(parts)).toBe(true);
      signedParts(raw);
    });
  });

  it('armor blocks are found within the text, and the text around them is kept', { timeout: 600_000 }, () => {
    const armor = ['-----BEGIN PGP MESSAGE-----', '-----END PGP MESSAGE-----', '-----BEGIN PGP SIGNED MESSAGE-----', '-----BEGIN PGP SIGNATURE-----', '-----END PGP SIGNATURE-----', '-----BEGIN PGP PUBLIC KEY BLOCK-----', '-----END PGP PUBLIC KEY BLOCK-----', '\n', '\r\n', 'Hash: SHA256', 'wcBMA', '=abcd', '- '];
    never(inputs(anyText(300), piecesOf(armor), { long: repeated(['-----BEGIN PGP MESSAGE-----\n', '-----', '- ']) }), (text) => {
      for (const b of findArmorBlocks(text)) {
        expect(b.start >= 0 && b.end <= text.length && b.start <= b.end).toBe(true);
        expect(typeof textAround(text, b)).toBe('string');
      }
    });
  });

  it('HTML mail becomes text without its markup', { timeout: 600_000 }, () => {
    const html = ['<', '>', '</', 'p', 'br', 'script', 'style', '<!--', '-->', '&amp;', '&#x3c;', '&#0;', '&#99999999;', '&lt;', 'a href="x"', '\n', '<![CDATA[', ']]>'];
    never(inputs(anyText(300), piecesOf(html), { long: repeated(['<', '<!--', '&#', '<a ', '</']) }), (s) => {
      const text = htmlToText(s);
      expect(typeof text).toBe('string');
    });
  });

  it('addresses, plus tags and recipient matching take any text', { timeout: 600_000 }, () => {
    const addr = ['security', '+', 'r12-', 'abcdefghijklmnopqrst', '@', 'example.org', '<', '>', ' ', '.', 'EXAMPLE.ORG', '"', ',', 'аpple'];
    never(fc.oneof(anyText(80), piecesOf(addr, 10)), (a) => {
      const m = parseMailbox(a);
      if (m) expect(m.domain).toBe(m.domain.toLowerCase());
      parseReplyTag(a);
      withPlusTag(a, 'r1-abcdefghijklmnopqrst');
      expect(['desk', 'unknown-mailbox', 'foreign-domain', 'invalid']).toContain(matchRecipient(a, ['security@example.org']).kind);
    });
  });

  it('subjects and mail text are cleaned to storable text', { timeout: 600_000 }, () => {
    never(fc.tuple(anyText(300), fc.option(anyText(20), { nil: null })), ([s, precedence]) => {
      expect(titleFromSubject(s)).not.toMatch(/[\r\n]/);
      expect(cleanMailLine(s, 200).length).toBeLessThanOrEqual(200);
      expect(cleanMailText(s)).not.toContain('\u0000');
      isAutomatic(s, precedence);
    });
  });
});

describe('fuzz: what a reporter sends (report input, messages, uploads, passwords)', () => {
  const schema = reportFieldsSchema({ images: ['docker.io/mautic/mautic'], languages: ['en', 'de'], allowAnonymous: true, creditOffered: true });
  const field = fc.oneof(anyText(80), fc.constant(''), fc.jsonValue({ maxDepth: 1 }));
  const fields = fc.dictionary(fc.constantFrom('title', 'image', 'tag', 'description', 'steps', 'impact', 'cvss', 'reporterName', 'reporterEmail', 'credit', 'language', 'extra', '__proto__', 'constructor'), field, { maxKeys: 12 });
  const valid = { title: 'Stored XSS', description: 'The name field.', language: 'en' };

  it('the report schema accepts or refuses any JSON with field problems', { timeout: 600_000 }, () => {
    never(fc.oneof(fields, fc.jsonValue({ maxDepth: 3 }), jsonMutationOf([valid, { ...valid, credit: { wish: 'name', name: 'R' }, cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }])), (input) => {
      const r = schema.safeParse(input);
      if (!r.success) expect(r.error.issues.length).toBeGreaterThan(0);
      const m = messageBodySchema.safeParse(input);
      if (m.success) expect(m.data.trim()).toBe(m.data);
    });
  });

  it('uploads are accepted or refused with a kind and a message', { timeout: 600_000 }, () => {
    const name = fc.oneof(anyText(60), piecesOf(['poc', '.', 'txt', 'png', 'pdf', '../', '..\\', '/etc/passwd', '\u202e', 'gpj.exe', ' ', '\u0000'], 8));
    const type = fc.oneof(anyText(40), fc.constantFrom('text/plain', 'image/png', 'application/pdf', 'application/octet-stream', 'text/html', 'application/x-msdownload'));
    never(fc.record({ filename: name, contentType: type, data: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) }), (u) => {
      const r = checkUpload(u, 1_000);
      if (r.ok) expect(r.upload.filename).not.toMatch(/[/\\]/);
      else expect(r.problem.message.length).toBeGreaterThan(0);
    });
  });

  it('password rules answer for any password', { timeout: 600_000 }, () => {
    never(fc.tuple(anyText(300), anyText(30)), ([pw, name]) => {
      const p = checkPassword(pw, { name, email: `${name}@example.org` });
      expect(p === null || ['too_short', 'too_long', 'common', 'personal'].includes(p)).toBe(true);
    });
  });
});

/** What the fuzz found, kept as examples (each was a crash or minutes of CPU before its fix). */
describe('fuzz regressions', () => {
  it('an alias to an anchor set nowhere is a problem of the file, not a ReferenceError', () => {
    for (const text of ['<<: *a', 'version: 1\nproject: *nothing\n']) {
      const p = parsePolicy(text, 'p.yaml');
      const a = parseAdvisory(text, 'a.yaml');
      expect(p.ok || a.ok).toBe(false);
      if (!p.ok) expect(p.problems[0]!.message).toMatch(/^YAML: .*alias/i);
      if (!a.ok) expect(a.problems[0]!.message).toMatch(/^YAML: .*alias/i);
    }
  });

  it('a release-window phrase of thousands of spaces is refused at once (it took minutes: cubic backtracking)', { timeout: 10_000 }, () => {
    expect(parseWindowPhrase(' '.repeat(4_000))).toBeNull();
    expect(parseWindowPhrase(`  2nd and 4th Wednesday of each month at 10:00 `)).toEqual({ weekday: 'wednesday', nth: [2, 4], time: '10:00' });
  });

  it('Markdown of 20 KB of unclosed emphasis or brackets renders (it took seconds: quadratic scans)', { timeout: 10_000 }, () => {
    for (const piece of ['**a ', '*a ', '[', '[a](']) expect(parseMarkdown(piece.repeat(5_000)).length).toBeGreaterThan(0);
    expect(renderToString(h('div', null, ...renderMarkdown('**bold** and *em* and [a link](https://x.example/)')))).toBe(
      '<div><p><strong>bold</strong> and <em>em</em> and <a href="https://x.example/" rel="noopener noreferrer">a link</a></p></div>',
    );
  });

  it('an upload declared as "__proto__" or "constructor" is refused (it threw a TypeError: a 500 for the form and the API)', () => {
    for (const contentType of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const r = checkUpload({ filename: 'poc.txt', contentType, data: Buffer.from('hi') }, 1_000);
      expect(r.ok ? null : r.problem.kind, contentType).toBe('not_allowed');
    }
  });

  it('a purl of an image, digest or tag with a lone surrogate is built (encodeURIComponent threw a URIError)', () => {
    expect(ociPurl('docker.io/a/b\ud800', 'sha256:x', 't\udc00')).toBe('pkg:oci/b%EF%BF%BD@sha256%3Ax?repository_url=docker.io/a/b%EF%BF%BD&tag=t%EF%BF%BD');
  });
});
