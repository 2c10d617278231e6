/**
 * The embargo canary: a unique string planted in every text field of an embargoed report (and its
 * messages and attachment), of a draft advisory and of a scheduled one, must not appear in any
 * response of any route an anonymous visitor can call: every GET route of app.routeTable (pages,
 * feeds, JSON, OSV, the CSAF provider's every file (the advisories' and their upstream CVEs' VEX
 * documents), security.txt, /images and the tag status API,
 * OpenAPI), with its parameters filled with the embargoed things' own names. Then the scheduled
 * advisory is published by the desk's own publish use case: its canary shows where it should
 * (page, index, JSON, OSV, Atom, CSAF, VEX), while the draft's and the report's still show nowhere.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAdvisory } from '../../src/app/advisories/publish-advisory.js';
import type { Advisory } from '../../src/domain/advisories/schema.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertReport } from '../support/fixtures.js';
import { exampleAdvisory, insertUnpublished, REPO, seedInventory } from './support.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const canary = (what: string) => `canary${what}${randomUUID().replace(/-/g, '')}`;
const REPORT = canary('report');
const DRAFT = canary('draft');
const SCHEDULED = canary('scheduled');

/** The upstream (base-image) CVE each unpublished advisory is about: it has a csaf_vex document of its own once published. */
const UPSTREAM = { 'CVDESK-2026-0001': 'CVE-2026-55551', 'CVDESK-2026-0002': 'CVE-2026-55552' } as const;

/** Every text field of the advisory model holds the canary (ids and URLs in the forms they allow). */
function planted(base: Advisory, c: string, upstream: string): Advisory {
  const image = base.images[0]!;
  return {
    ...base,
    title: `Title ${c}`,
    summary: `Summary ${c}`,
    details: `Details ${c}\n\nMore *details* ${c}.`,
    aliases: [`CANARY-${c}`],
    upstream: [upstream],
    component: { name: `Component ${c}`, purl: `pkg:deb/debian/${c}`, fixedVersion: `1.0-${c}` },
    remediation: `Remediation ${c}`,
    workarounds: [`Workaround ${c}`],
    references: [{ url: `https://example.org/${c}`, type: 'report', summary: `Reference ${c}` }],
    credits: [{ name: `Finder ${c}`, type: 'finder', organization: `Org ${c}`, contact: [`https://example.org/credit/${c}`, `mailto:${c}@example.org`] }],
    images: [{ ...image, notAffected: image.notAffected.map((n) => ({ ...n, statement: `Statement ${c}` })) }],
  };
}

describe(`embargo canary on ${testEngine()}`, () => {
  let desk: TestDesk;
  let dir: string;
  let report: { id: string; number: number };
  let scheduled: { id: string; ident: string };
  let fingerprint: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cvdesk-canary-'));
    const key = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ email: 'security@example.org' }], date: new Date('2026-01-01T00:00:00Z') });
    fingerprint = (await openpgp.readPrivateKey({ armoredKey: key.privateKey })).getFingerprint().toUpperCase();
    await writeFile(join(dir, 'signing.asc'), key.privateKey);
    desk = await startTestDesk({ now: NOW, env: { CVDESK_SIGNING_KEY_FILE: join(dir, 'signing.asc') } });
    const db = desk.ctx.db;
    const { advisory, inventory } = exampleAdvisory();
    await seedInventory(db, REPO, inventory);
    report = await insertReport(db, {
      title: `Report ${REPORT}`,
      description: `Description ${REPORT}`,
      steps: `Steps ${REPORT}`,
      impact: `Impact ${REPORT}`,
      reporter_name: `Reporter ${REPORT}`,
      reporter_email: `${REPORT}@example.org`,
      credit_name: `Credit ${REPORT}`,
      reporter_cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N',
      scope_area: `Area ${REPORT}`,
      state: 'fixed',
      fixed_at: new Date('2026-11-20T00:00:00Z'),
    });
    const messageId = randomUUID();
    await db.insertInto('messages').values({ id: messageId, report_id: report.id, at: NOW, author_kind: 'reporter', author_id: null, internal: false, body: `Message ${REPORT}` }).execute();
    await db.insertInto('messages').values({ id: randomUUID(), report_id: report.id, at: NOW, author_kind: 'user', author_id: null, internal: true, body: `Internal note ${REPORT}` }).execute();
    await db
      .insertInto('attachments')
      .values({ id: randomUUID(), report_id: report.id, message_id: messageId, filename: `${REPORT}.txt`, content_type: 'text/plain', size: 10, sha256: 'a'.repeat(64), data: Buffer.from(REPORT), created_at: NOW })
      .execute();
    const draft = await insertUnpublished(db, 'CVDESK-2026-0001', planted(advisory, DRAFT, UPSTREAM['CVDESK-2026-0001']), 'draft', NOW);
    scheduled = await insertUnpublished(db, 'CVDESK-2026-0002', planted(advisory, SCHEDULED, UPSTREAM['CVDESK-2026-0002']), 'scheduled', NOW);
    await db.insertInto('advisory_reports').values([
      { advisory_id: draft.id, report_id: report.id },
      { advisory_id: scheduled.id, report_id: report.id },
    ]).execute();
  });
  afterAll(async () => {
    await desk?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Every address of every GET route, its parameters filled with the embargoed things' names. */
  function publicUrls(): string[] {
    const idents = ['CVDESK-2026-0001', 'CVDESK-2026-0002'];
    const documents = idents.flatMap((i) => [i.toLowerCase(), `${i}-${UPSTREAM[i as keyof typeof UPSTREAM]}`.toLowerCase()]);
    const files = documents.flatMap((d) => ['', '.sha256', '.sha512', '.asc'].map((s) => `${d}.json${s}`));
    const fill: Record<string, string[]> = {
      ':name': idents.flatMap((i) => [i, `${i}.json`, `${i}.osv.json`, i.toLowerCase()]),
      ':year/:file': files.map((f) => `2026/${f}`),
      ':file': [`${fingerprint}.asc`],
      ':number': [String(report.number)],
      ':token': ['made-up-token'],
      ':id': [randomUUID()],
      ':attachment': [randomUUID()],
      ':ident': idents,
      '*': [`${REPO}/tags/5.2.1-apache`, `${REPO}/tags/5.2.1-apache/status`, 'app.css'],
    };
    const urls = new Set<string>();
    for (const route of desk.app.routeTable.filter((r) => r.method === 'GET')) {
      let variants = [route.url];
      for (const [param, values] of Object.entries(fill)) {
        if (!route.url.includes(param)) continue;
        variants = variants.flatMap((u) => values.map((v) => u.replace(param, v)));
      }
      for (const u of variants) if (!/:[a-z]/i.test(u)) urls.add(u);
    }
    for (const extra of ['/advisories?lang=de', `/images?repository=${encodeURIComponent(REPO)}&tag=5.2.1-apache`, '/api/openapi.json', '/.well-known/security.txt']) urls.add(extra);
    return [...urls].sort();
  }

  async function bodies(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const url of publicUrls()) {
      const r = await desk.app.inject({ method: 'GET', url, headers: { accept: url.includes('/api/') ? 'application/json' : 'text/html' } });
      expect(r.statusCode, url).toBeLessThan(500);
      out.set(url, `${JSON.stringify(r.headers)}\n${r.body}`);
    }
    return out;
  }

  const leaks = (all: Map<string, string>, c: string) => [...all].filter(([, body]) => body.toLowerCase().includes(c.toLowerCase())).map(([url]) => url);

  it('requests every public route, and finds no canary of the embargoed report or the unpublished advisories', async () => {
    const all = await bodies();
    expect(all.size).toBeGreaterThan(30);
    expect([...all.keys()]).toEqual(expect.arrayContaining(['/advisories', '/advisories.atom', '/.well-known/csaf/provider-metadata.json', '/.well-known/csaf/white/changes.csv', '/.well-known/security.txt', '/images']));
    for (const c of [REPORT, DRAFT, SCHEDULED]) expect(leaks(all, c), c).toEqual([]);
  });

  it('after publication the scheduled advisory shows where it should; the draft and the report still show nowhere', async () => {
    desk.setNow(new Date(NOW.getTime() + 2 * 86_400_000)); // past the scheduled moment
    const published = await publishAdvisory(desk.ctx, { id: scheduled.id, actor: null });
    expect(published).toMatchObject({ ok: true, ident: 'CVDESK-2026-0002', disclosed: [report.number] });
    const all = await bodies();
    const shown = leaks(all, SCHEDULED);
    expect(shown).toEqual(
      expect.arrayContaining([
        '/advisories',
        '/advisories?lang=de',
        '/advisories.atom',
        '/advisories/CVDESK-2026-0002',
        '/advisories/CVDESK-2026-0002.json',
        '/advisories/CVDESK-2026-0002.osv.json',
        '/.well-known/csaf/white/2026/cvdesk-2026-0002.json',
        '/.well-known/csaf/white/2026/cvdesk-2026-0002-cve-2026-55552.json',
        '/.well-known/csaf/white/csaf-feed-tlp-white.json',
      ]),
    );
    // every field of the model reached the page
    const page = all.get('/advisories/CVDESK-2026-0002') ?? '';
    for (const field of ['Title', 'Summary', 'Details', 'Remediation', 'Workaround', 'Reference', 'Finder', 'Org', 'Statement']) expect(page, field).toContain(`${field} ${SCHEDULED}`);
    // the VEX document of its upstream CVE too; the draft's has no address
    expect(all.get('/.well-known/csaf/white/2026/cvdesk-2026-0002-cve-2026-55552.json')).toContain(`Component ${SCHEDULED}`);
    expect((await desk.app.inject({ method: 'GET', url: '/.well-known/csaf/white/2026/cvdesk-2026-0001-cve-2026-55551.json' })).statusCode).toBe(404);
    for (const c of [REPORT, DRAFT]) expect(leaks(all, c), c).toEqual([]);
  });
});
