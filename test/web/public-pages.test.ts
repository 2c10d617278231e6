import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/open-database.js';
import { parsePolicy } from '../../src/domain/policy/parse-policy.js';
import { renderSecurityMd } from '../../src/formats/security-md/render-security-md.js';
import { COMMITMENTS } from '../policy/commitments.js';
import { openTestDatabase } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

const OZG = 'examples/policies/ozg-security-scanner.yaml';

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
/** What a reader sees: the text of the page without markup. */
const textOf = (html: string) => decode(html.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ');
const hrefsOf = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => decode(m[1] ?? ''));
/** A SECURITY.md phrase as it reads on the page: link markup and code ticks gone. */
const asShown = (phrase: string) => phrase.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\[([^\]]*)\]/g, '$1').replace(/`/g, '');

function expectStates(html: string, phrases: readonly string[]) {
  const text = textOf(html);
  const hrefs = hrefsOf(html);
  for (const phrase of phrases) {
    const shown = asShown(phrase);
    expect(text.includes(shown) || hrefs.some((h) => h.includes(phrase)), phrase).toBe(true);
  }
}

// The pages read the policy only, so the three desks of this file share one database.
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

describe('an English-only policy (Mautic)', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ database });
  });
  afterAll(() => desk?.close());

  it('the home page leads with reporting: the form, the contact channels, the promises and the policy files', async () => {
    const r = await desk.app.inject('/');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-language']).toBe('en');
    const html = r.body;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Report a security vulnerability in Mautic Docker image</h1>');
    expect(html).toMatch(/<a class="button" href="\/report">Report a vulnerability<\/a>/);
    expect(hrefsOf(html)).toContain('https://github.com/mautic/docker/security');
    expect(textOf(html)).toContain("Submit a private disclosure via GitHub's Security Advisory feature at https://github.com/mautic/docker/security.");
    expect(html).toContain('https://desk.example.test/report');
    const text = textOf(html);
    expect(text).toContain('We will acknowledge your report within 24 hours of receiving it.');
    expect(text).toContain('within 7 business days of receiving it');
    expect(text).toContain('Business days are Monday to Friday in the UTC time zone.');
    expect(text).toContain('Mautic core application vulnerabilities (handled by the Mautic Security Team');
    for (const href of ['/policy', '/.well-known/security.txt', '/SECURITY.md']) expect(hrefsOf(html)).toContain(href);
  });

  it('offers no German: no language switch, and a German browser or ?lang=de still gets English without a cookie', async () => {
    for (const url of ['/', '/policy']) {
      const r = await desk.app.inject({ url: `${url}?lang=de`, headers: { 'accept-language': 'de-DE,de;q=0.9' } });
      expect(r.body).toContain('<html lang="en">');
      expect(r.headers['content-language']).toBe('en');
      expect(r.body).not.toContain('lang=de');
      expect(r.body).not.toContain('Deutsch');
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    const md = await desk.app.inject({ url: '/SECURITY.md?lang=de', headers: { 'accept-language': 'de' } });
    expect(md.headers['content-language']).toBe('en');
    expect(md.body).toMatch(/^# Mautic Docker image security policy/);
  });

  it('the policy page is the served SECURITY.md as HTML, with anchors, a table of contents and every commitment', async () => {
    const r = await desk.app.inject('/policy');
    expect(r.statusCode).toBe(200);
    const html = r.body;
    expect(html).toContain('<h1 id="mautic-docker-image-security-policy">Mautic Docker image security policy</h1>');
    expect(html).toContain('<h2 id="what-happens-after-you-report">What happens after you report</h2>');
    expect(html).toContain('<a href="#what-happens-after-you-report">What happens after you report</a>');
    expect(html).toContain('<a href="https://mautic.org/security/how-security-issues-are-resolved/" rel="noopener noreferrer">Mautic Security Team</a>');
    expect(html).toContain('<ol><li>Keep it confidential');
    expectStates(html, COMMITMENTS.en['mautic-docker.yaml']);
    // the same text as the file, paragraph by paragraph
    const md = (await desk.app.inject('/SECURITY.md')).body;
    for (const line of md.split('\n').filter((l) => l.startsWith('- ') && !l.includes('`') && !l.includes(']('))) {
      expect(textOf(html), line).toContain(line.slice(2));
    }
  });
});

describe('a policy in English and German (OZG)', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ database, env: { CVDESK_POLICY: OZG } });
  });
  afterAll(() => desk?.close());

  it('speaks the policy\'s first language by default and offers German', async () => {
    const r = await desk.app.inject('/');
    expect(r.body).toContain('<html lang="en">');
    expect(r.body).toContain('href="/?lang=de"');
    expect(hrefsOf(r.body)).toContain('/SECURITY.md?lang=en');
    const policy = await desk.app.inject('/policy');
    expect(policy.body).toContain('href="/policy?lang=de"');
    expectStates(policy.body, COMMITMENTS.en['ozg-security-scanner.yaml']);
  });

  it('the home page in German: channels with the OpenPGP key and fingerprint, the promise, the files', async () => {
    const r = await desk.app.inject('/?lang=de');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-language']).toBe('de');
    const html = r.body;
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<h1>Eine Sicherheitslücke in OZG-Security Best Practice Scanner melden</h1>');
    expect(html).toMatch(/<a class="button" href="\/report">Schwachstelle melden<\/a>/);
    const text = textOf(html);
    expect(text).toContain('Senden Sie eine E-Mail an ozgsec@bmi.bund.de.');
    expect(text).toContain('Senden Sie eine mit OpenPGP verschlüsselte E-Mail an ozgsec@neuland-homeland.de');
    expect(text).toContain('Fingerabdruck 7FA5 10EA 6D5B 404F A49D EDDD 52AC 2F9A ABDD 3852');
    expect(text).toContain('Wir bemühen uns, innerhalb einer Woche nach Eingang eine Korrektur zu entwickeln und zu testen.');
    expect(text).toContain('Wir lesen Meldungen auf Englisch und Deutsch.');
    expect(hrefsOf(html)).toContain('mailto:ozgsec@bmi.bund.de');
    expect(hrefsOf(html).some((h) => h.includes('issue[confidential]=on&issuable_template=security-advisory-en'))).toBe(true);
    expect(hrefsOf(html)).toContain('/SECURITY.md?lang=de');
    expect(html).toContain('href="/?lang=en"');
  });

  it('the policy page in German states every commitment', async () => {
    const r = await desk.app.inject('/policy?lang=de');
    expect(r.body).toContain('<h1 id="sicherheitsrichtlinie-für-ozg-security-best-practice-scanner">');
    expect(r.body).toContain('<a href="#was-nach-ihrer-meldung-geschieht">Was nach Ihrer Meldung geschieht</a>');
    expectStates(r.body, COMMITMENTS.de['ozg-security-scanner.yaml']);
  });

  it('the visitor chooses: ?lang= (remembered in a cookie), then the cookie, then Accept-Language', async () => {
    const chosen = await desk.app.inject({ url: '/policy?lang=de', headers: { 'accept-language': 'en' } });
    expect(chosen.body).toContain('<html lang="de">');
    const cookie = chosen.cookies.find((c) => c.name === 'lang');
    expect(cookie).toMatchObject({ value: 'de', path: '/', httpOnly: true, sameSite: 'Lax', secure: true });
    const remembered = await desk.app.inject({ url: '/', headers: { cookie: 'lang=de', 'accept-language': 'en' } });
    expect(remembered.body).toContain('<html lang="de">');
    const browser = await desk.app.inject({ url: '/policy', headers: { 'accept-language': 'de-AT,de;q=0.9,en;q=0.5' } });
    expect(browser.body).toContain('<html lang="de">');
    expect(browser.headers['set-cookie']).toBeUndefined();
    const back = await desk.app.inject({ url: '/?lang=en', headers: { cookie: 'lang=de' } });
    expect(back.body).toContain('<html lang="en">');
    expect(back.cookies.find((c) => c.name === 'lang')?.value).toBe('en');
    expect((await desk.app.inject({ url: '/?lang=fr' })).body).toContain('<html lang="en">');
  });

  it('/SECURITY.md in the chosen language, with Content-Language', async () => {
    const p = parsePolicy(readFileSync(resolve(OZG), 'utf8'), OZG);
    if (!p.ok) throw new Error('example policy does not parse');
    const de = await desk.app.inject('/SECURITY.md?lang=de');
    expect(de.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(de.headers['content-language']).toBe('de');
    expect(de.headers.vary).toContain('Accept-Language');
    expect(de.body).toBe(renderSecurityMd(p.policy, { lang: 'de', baseUrl: 'https://desk.example.test/' }));
    const byBrowser = await desk.app.inject({ url: '/SECURITY.md', headers: { 'accept-language': 'de' } });
    expect(byBrowser.body).toBe(de.body);
    const en = await desk.app.inject('/SECURITY.md');
    expect(en.headers['content-language']).toBe('en');
    expect(en.body).toMatch(/^# OZG-Security Best Practice Scanner security policy/);
  });
});

describe('policy text is shown, never run', () => {
  let desk: TestDesk;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvdesk-hostile-policy-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'project:',
        '  name: "Evil <img src=x onerror=alert(1)> image"',
        '  url: https://example.org/',
        '  description: "<script>alert(\'description\')</script>"',
        'languages: [en, de]',
        'contacts:',
        '  - type: email',
        '    address: security@example.org',
        'scope:',
        '  inScope:',
        '    - "<script>alert(1)</script> scanner"',
        '    - "[click me](javascript:alert(document.cookie)) and [this](JAVASCRIPT:alert(2))"',
        '  outOfScope:',
        '    - area: "<b>bold</b> [x](data:text/html,<script>alert(3)</script>)"',
        'sla:',
        '  acknowledge: 24 hours',
        'securityTxt:',
        '  canonical: [https://example.org/.well-known/security.txt]',
      ].join('\n'),
    );
    desk = await startTestDesk({ database, env: { CVDESK_POLICY: file } });
  });
  afterAll(async () => {
    await desk?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/', '/policy', '/?lang=de', '/policy?lang=de'])('%s escapes markup and refuses javascript: and data: links', async (url) => {
    const r = await desk.app.inject(url);
    expect(r.statusCode).toBe(200);
    const html = r.body;
    expect(html).not.toMatch(/<script>alert/i);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>bold');
    expect(html).not.toMatch(/href="\s*(javascript|data):/i);
    expect(hrefsOf(html).every((h) => /^(https?:|mailto:|\/|#)/.test(h))).toBe(true);
    expect(html).toContain('&lt;script>alert(1)&lt;/script> scanner');
    expect(textOf(html)).toContain('[click me](javascript:alert(document.cookie))');
  });
});
