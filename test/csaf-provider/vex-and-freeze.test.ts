/**
 * The CSAF provider's VEX documents and the freezing of published revisions (issue #5), through
 * the desk's own use cases (draft, schedule, publish, revise, withdraw) and its HTTP routes:
 * - a published advisory about upstream (base-image) CVEs is served with one csaf_vex document per
 *   CVE beside its csaf_security_advisory, each in the year folder with .sha256, .sha512 and a .asc
 *   that verifies against the published key, listed in index.txt, changes.csv and the ROLIE feed,
 *   and valid under the validator's schema, mandatory and optional tests;
 * - an inventory sync after publication (and a fresh desk process) leaves every served byte as it
 *   was, while rendering from the current inventory would not;
 * - a new revision changes the version and the bytes; a withdrawal too, keeping the facts of the
 *   revision it withdraws;
 * - an advisory published before revisions were frozen is frozen by the publish job, unchanged.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFinding, validateCsaf } from '../../src/adapters/advisory-validation.js';
import { storedAdvisory } from '../../src/app/advisories/advisory-facts.js';
import { draftAdvisory } from '../../src/app/advisories/draft-advisory.js';
import { freeze } from '../../src/app/advisories/freeze-advisory.js';
import { publishAdvisory } from '../../src/app/advisories/publish-advisory.js';
import { publishDueAdvisories } from '../../src/app/advisories/publish-due-advisories.js';
import { scheduleAdvisory } from '../../src/app/advisories/schedule-advisory.js';
import { updateAdvisory } from '../../src/app/advisories/update-advisory.js';
import { withdrawAdvisory } from '../../src/app/advisories/withdraw-advisory.js';
import { advisorySchema } from '../../src/domain/advisories/schema.js';
import { insertPublished } from '../advisories-public/support.js';
import { openTestDatabaseTwice, testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertUser } from '../support/fixtures.js';
import { baseImageDocument, digest, frozenTexts, get, MAUTIC, providerFiles, REBUILT, seedInventory, sha, UPSTREAM, verifies } from './support.js';

const t = (s: string) => new Date(s);
const NOW = t('2026-11-16T10:00:00Z');
const BASE = 'https://desk.example.test';
const ROOT = '/.well-known/csaf/white';
const SLOW = 240_000; // the validator takes a while to load on a busy machine
const PAGES = ['/advisories', '/advisories/CVDESK-2026-0001', '/advisories/CVDESK-2026-0001.json', '/advisories/CVDESK-2026-0001.osv.json', '/advisories.atom'];

interface CsafDoc {
  document: { category: string; title: string; tracking: { id: string; version: string; current_release_date: string }; references: Array<{ category: string; url: string }> };
  product_tree: unknown;
  vulnerabilities: Array<{ cve?: string; product_status: Record<string, string[]> }>;
}

describe(`CSAF VEX documents and frozen publications on ${testEngine()}`, () => {
  let desk: TestDesk;
  let databases: Awaited<ReturnType<typeof openTestDatabaseTwice>>;
  let dir: string;
  let env: Record<string, string>;
  let publicKey: string;
  let member: { id: string; role: 'member' };
  let admin: { id: string; role: 'admin' };
  let id: string;
  /** Every public byte of the first revision, by address. */
  let firstRevision: Map<string, string>;

  async function snapshot(d: TestDesk = desk): Promise<Map<string, string>> {
    const out = await providerFiles(d);
    for (const url of PAGES) out.set(url, (await get(d, url)).body);
    return out;
  }

  /**
   * Every byte as in the first revision; a signature (salted by openpgp, so made anew by another
   * process) must verify over the published bytes.
   */
  async function sameAsPublished(now: Map<string, string>, when: string): Promise<void> {
    for (const [url, body] of firstRevision) {
      if (!url.endsWith('.asc')) expect(now.get(url), `${url} ${when}`).toBe(body);
      else expect(await verifies(firstRevision.get(url.slice(0, -4)) ?? '', now.get(url) ?? '', publicKey, t('2026-12-31T00:00:00Z')), `${url} ${when}`).toBe(true);
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cvdesk-vex-'));
    const key = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'desk', email: 'security@example.org' }], date: t('2026-01-01T00:00:00Z') });
    publicKey = key.publicKey;
    await writeFile(join(dir, 'signing.asc'), key.privateKey);
    env = { CVDESK_SIGNING_KEY_FILE: join(dir, 'signing.asc') };
    databases = await openTestDatabaseTwice();
    desk = await startTestDesk({ now: NOW, env, database: databases.database });
    member = { id: (await insertUser(desk.ctx.db, { role: 'member' })).id, role: 'member' };
    admin = { id: (await insertUser(desk.ctx.db, { role: 'admin' })).id, role: 'admin' };
    // before the rebuild, then the rebuild pushed 5.2.1-apache and 5.2.1 again
    await seedInventory(desk.ctx.db, MAUTIC, { '5.2.1-apache': digest('a'), '5.2.1': digest('a'), '5.2.1-fpm': digest('b'), '5.2.0-apache': digest('c') }, t('2026-11-01T00:00:00Z'));
    await seedInventory(desk.ctx.db, MAUTIC, REBUILT, t('2026-11-16T00:00:00Z'));
    await validateCsaf({}); // load the validator once, outside the tests' time limit
  }, SLOW);
  afterAll(async () => {
    await desk?.close();
    await databases?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('publishing serves the advisory and one csaf_vex document per upstream CVE: listed, hashed, signed, valid', async () => {
    const drafted = await draftAdvisory(desk.ctx, { actorId: member.id, reportNumbers: [], document: baseImageDocument() });
    if (!drafted.ok) throw new Error(drafted.reason);
    id = drafted.id;
    expect(await scheduleAdvisory(desk.ctx, { id, actor: member })).toMatchObject({ ok: true });
    expect(await publishAdvisory(desk.ctx, { id, actor: admin })).toMatchObject({ ok: true, ident: 'CVDESK-2026-0001' });

    const files = [`2026/cvdesk-2026-0001-cve-2024-5535.json`, `2026/cvdesk-2026-0001-cve-2024-6119.json`, `2026/cvdesk-2026-0001.json`];
    expect((await get(desk, `${ROOT}/index.txt`)).body).toBe(files.map((f) => `${f}\n`).join(''));
    expect((await get(desk, `${ROOT}/changes.csv`)).body).toBe(files.map((f) => `"${f}","2026-11-16T10:00:00Z"\n`).join(''));
    const feed = JSON.parse((await get(desk, `${ROOT}/csaf-feed-tlp-white.json`)).body) as { feed: { entry: Array<{ id: string; link: Array<{ rel: string; href: string }> }> } };
    expect(feed.feed.entry.map((e) => e.id).sort()).toEqual(['CVDESK-2026-0001', 'CVDESK-2026-0001-CVE-2024-5535', 'CVDESK-2026-0001-CVE-2024-6119']);
    for (const e of feed.feed.entry) {
      expect(e.link.map((l) => l.rel)).toEqual(['self', 'hash', 'hash', 'signature']);
      for (const l of e.link) expect((await get(desk, new URL(l.href).pathname)).statusCode, l.href).toBe(200);
    }

    const stored = await frozenTexts(desk.ctx.db, 'CVDESK-2026-0001', 1);
    expect(stored.map((s) => s.trackingId)).toEqual(['CVDESK-2026-0001', ...UPSTREAM.map((u) => `CVDESK-2026-0001-${u}`)]);
    for (const path of files) {
      const url = `${ROOT}/${path}`;
      const r = await get(desk, url);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('application/json');
      const doc = JSON.parse(r.body) as CsafDoc;
      const report = await validateCsaf(doc);
      expect(report.findings.filter((f) => f.level !== 'info').map(formatFinding), path).toEqual([]);
      expect(doc.document.references.find((x) => x.category === 'self')?.url).toBe(`${BASE}${url}`);
      expect(r.body).toBe(stored.find((s) => s.trackingId === doc.document.tracking.id)?.json);
      const name = path.split('/')[1];
      expect((await get(desk, `${url}.sha256`)).body).toBe(`${sha('sha256', r.body)}  ${name}\n`);
      expect((await get(desk, `${url}.sha512`)).body).toBe(`${sha('sha512', r.body)}  ${name}\n`);
      const asc = (await get(desk, `${url}.asc`)).body;
      expect(await verifies(r.body, asc, publicKey, t('2026-11-17T00:00:00Z')), path).toBe(true);
      expect(await verifies(r.body.replace('OpenSSL', 'OpenSSl'), asc, publicKey, t('2026-11-17T00:00:00Z'))).toBe(false);
    }
    const vex = JSON.parse((await get(desk, `${ROOT}/2026/cvdesk-2026-0001-cve-2024-6119.json`)).body) as CsafDoc;
    expect(vex.document).toMatchObject({ category: 'csaf_vex', tracking: { id: 'CVDESK-2026-0001-CVE-2024-6119', version: '1' } });
    expect(vex.vulnerabilities).toHaveLength(1);
    expect(vex.vulnerabilities[0]?.cve).toBe('CVE-2024-6119');
    expect(Object.keys(vex.vulnerabilities[0]?.product_status ?? {}).sort()).toEqual(['fixed', 'known_affected', 'known_not_affected']);
    const advisory = JSON.parse((await get(desk, `${ROOT}/2026/cvdesk-2026-0001.json`)).body) as CsafDoc;
    expect(advisory.document.category).toBe('csaf_security_advisory');
    expect(advisory.vulnerabilities.map((v) => v.cve)).toEqual(UPSTREAM);
    // the advisory's page links each of its CSAF documents, VEX included
    const page = (await get(desk, '/advisories/CVDESK-2026-0001')).body;
    for (const path of files) expect(page).toContain(`href="${ROOT}/${path}"`);
    expect(page).toContain('CSAF 2.0 VEX: CVE-2024-6119');
    // the advisory file names the inventory it was resolved against, kept once as a snapshot
    const held = await desk.ctx.db.selectFrom('image_tags').select(['tag', 'digest']).where('repository', '=', MAUTIC).orderBy('tag').execute();
    const file = JSON.parse((await get(desk, '/advisories/CVDESK-2026-0001.json')).body) as { images: Array<{ name: string; inventory: unknown }> };
    expect(file.images.find((i) => i.name === MAUTIC)?.inventory).toEqual(held.map((r) => ({ tag: r.tag, digest: r.digest })));
    expect(await desk.ctx.db.selectFrom('inventory_snapshots').select('repository').execute()).toEqual([{ repository: MAUTIC }]);
    firstRevision = await snapshot();
  }, SLOW);

  it('an inventory sync after publication, and a fresh desk process, leave every served byte as published', async () => {
    const at = t('2026-11-20T00:00:00Z');
    desk.setNow(at);
    // the next sync: the FPM variant rebuilt, 5.2.0-apache gone, a new release and latest
    await seedInventory(desk.ctx.db, MAUTIC, { '5.2.1-fpm': digest('e'), '5.2.2-apache': digest('f'), latest: digest('f') }, at);
    await desk.ctx.db.deleteFrom('image_tags').where('repository', '=', MAUTIC).where('tag', '=', '5.2.0-apache').execute();
    const after = await snapshot();
    expect([...after.keys()]).toEqual([...firstRevision.keys()]);
    await sameAsPublished(after, 'after the sync');
    expect(after.get('/advisories/CVDESK-2026-0001')).toContain(digest('b'));
    expect(after.get('/advisories/CVDESK-2026-0001')).not.toContain(digest('e'));

    // a second desk process on the same database (its own connection, policy and clock) serves the same bytes
    const other = await startTestDesk({ now: t('2026-11-21T00:00:00Z'), env, database: databases.other });
    try {
      await sameAsPublished(await snapshot(other), 'from the second desk');
    } finally {
      await other.close();
    }
    // rendering the advisory from the inventory as it is now would not give the published bytes
    const row = await desk.ctx.db.selectFrom('advisories').select(['ident', 'document', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const names = { [MAUTIC]: (await desk.ctx.db.selectFrom('image_tags').select(['tag', 'digest']).where('repository', '=', MAUTIC).orderBy('tag').execute()).map((r) => ({ tag: r.tag, digest: r.digest })) };
    const live = freeze(desk.ctx, storedAdvisory(row), names, row.updated_at).outputs.csaf;
    expect(live[1]?.json).not.toBe(firstRevision.get(`${ROOT}/2026/cvdesk-2026-0001-cve-2024-5535.json`));
  }, SLOW);

  it('a new revision changes the version and the bytes, resolved against the inventory of its moment', async () => {
    desk.setNow(t('2026-11-26T09:00:00Z'));
    const r = await updateAdvisory(desk.ctx, { id, actorId: member.id, reportNumbers: [], document: baseImageDocument(), changeSummary: 'The FPM variant was rebuilt as well.' });
    expect(r).toEqual({ ok: true, revision: 2 });
    const second = await snapshot();
    for (const name of ['cvdesk-2026-0001', 'cvdesk-2026-0001-cve-2024-6119', 'cvdesk-2026-0001-cve-2024-5535']) {
      const url = `${ROOT}/2026/${name}.json`;
      expect(second.get(url), url).not.toBe(firstRevision.get(url));
      const doc = JSON.parse(second.get(url) ?? '{}') as CsafDoc;
      expect(doc.document.tracking).toMatchObject({ version: '2', current_release_date: '2026-11-26T09:00:00Z' });
      expect(second.get(url)).toContain(digest('e')); // the FPM image of now
      expect((await validateCsaf(doc)).findings.filter((f) => f.level !== 'info').map(formatFinding), url).toEqual([]);
      expect(await verifies(second.get(url) ?? '', second.get(`${url}.asc`) ?? '', publicKey, t('2026-11-27T00:00:00Z'))).toBe(true);
    }
    expect(second.get(`${ROOT}/changes.csv`)).toContain('"2026/cvdesk-2026-0001-cve-2024-6119.json","2026-11-26T09:00:00Z"');
    // revision 1 stays as it was frozen
    expect((await frozenTexts(desk.ctx.db, 'CVDESK-2026-0001', 1)).map((d) => d.json)).toContain(firstRevision.get(`${ROOT}/2026/cvdesk-2026-0001.json`));
  }, SLOW);

  it('a withdrawal is a last revision with the facts of the revision it withdraws', async () => {
    desk.setNow(t('2026-12-01T09:00:00Z'));
    await seedInventory(desk.ctx.db, MAUTIC, { '5.2.1-fpm': digest('9') }, t('2026-11-30T00:00:00Z'));
    expect(await withdrawAdvisory(desk.ctx, { id, actorId: admin.id, reason: 'The Debian package was never vulnerable in this build.' })).toEqual({ ok: true, revision: 3 });
    for (const name of ['cvdesk-2026-0001', 'cvdesk-2026-0001-cve-2024-6119', 'cvdesk-2026-0001-cve-2024-5535']) {
      const body = (await get(desk, `${ROOT}/2026/${name}.json`)).body;
      const doc = JSON.parse(body) as CsafDoc;
      expect(doc.document.tracking.version).toBe('3');
      expect(doc.document.title).toMatch(/\(withdrawn\)$/);
      expect(body).toContain(digest('e'));
      expect(body).not.toContain(digest('9'));
      expect((await validateCsaf(doc)).findings.filter((f) => f.level !== 'info').map(formatFinding), name).toEqual([]);
    }
    expect((await get(desk, `${ROOT}/index.txt`)).body.trim().split('\n')).toHaveLength(3);
  }, SLOW);

  it('an advisory published before revisions were frozen is frozen by the publish job as it was served, then stays', async () => {
    desk.setNow(t('2026-12-02T09:00:00Z'));
    const advisory = advisorySchema.parse({ ...baseImageDocument({ title: 'Published before freezing', upstream: ['CVE-2024-9143'] }), id: 'CVDESK-2026-0002' });
    await insertPublished(desk.ctx.db, 'CVDESK-2026-0002', advisory, t('2026-12-02T08:00:00Z'));
    const files = ['cvdesk-2026-0002.json', 'cvdesk-2026-0002-cve-2024-9143.json'];
    const before = new Map<string, string>();
    for (const f of files) for (const s of ['', '.sha256', '.sha512']) before.set(`${f}${s}`, (await get(desk, `${ROOT}/2026/${f}${s}`)).body);
    expect(await frozenTexts(desk.ctx.db, 'CVDESK-2026-0002', 1)).toEqual([]);
    expect(await publishDueAdvisories(desk.ctx)).toEqual({ published: [], held: [] });
    expect((await frozenTexts(desk.ctx.db, 'CVDESK-2026-0002', 1)).map((d) => d.trackingId)).toEqual(['CVDESK-2026-0002', 'CVDESK-2026-0002-CVE-2024-9143']);
    await seedInventory(desk.ctx.db, MAUTIC, { '5.2.1-fpm': digest('8') }, t('2026-12-02T09:00:00Z'));
    for (const [f, body] of before) expect((await get(desk, `${ROOT}/2026/${f}`)).body, f).toBe(body);
    for (const f of files) expect(await verifies(before.get(f) ?? '', (await get(desk, `${ROOT}/2026/${f}.asc`)).body, publicKey, t('2026-12-31T00:00:00Z')), f).toBe(true);
    expect((await get(desk, `${ROOT}/2026/cvdesk-2026-0002-cve-2024-9143.json`)).body).not.toContain(digest('8'));
  }, SLOW);
});
