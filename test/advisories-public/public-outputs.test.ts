/**
 * The public outputs of published advisories, from listPublicAdvisories only: the index and the
 * page, the model document as JSON (it parses again as an advisory file), OSV (valid against the
 * OSV schema), the Atom feed, and the CSAF 2.0 provider: provider-metadata.json valid against the
 * provider schema and honest about its role and key, index.txt, changes.csv newest first, the
 * ROLIE feed and service document, every document valid under the CSAF validator (schema,
 * mandatory, optional tests) with matching .sha256/.sha512, and, with the desk's signing key, a
 * .asc that verifies against the published key. A draft or scheduled advisory is nowhere.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCsaf, validateOsv, formatFinding } from '../../src/adapters/advisory-validation.js';
import { verifyDetached } from '../../src/adapters/pgp/clearsign.js';
import { parseAdvisory } from '../../src/domain/advisories/parse-advisory.js';
import { corpusPath, describeCorpus, haveCorpora } from '../support/corpora.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { exampleAdvisory, insertPublished, insertUnpublished, markWithdrawn, REPO, revise, seedInventory } from './support.js';

const BASE = 'https://desk.example.test';
const PUBLISHED = new Date('2026-11-25T10:00:00Z');
const SECOND = new Date('2026-12-09T10:00:00Z');
/** The desk's clock stands at 2026-12-15; its signatures are judged a day later. */
const AFTER = new Date('2026-12-16T00:00:00Z');
const DRAFT_TITLE = 'Unpublished draft about the FPM variant';
const SCHEDULED_TITLE = 'Scheduled advisory about the rebuild';

async function seed(desk: TestDesk) {
  const db = desk.ctx.db;
  const { advisory, inventory } = exampleAdvisory();
  await seedInventory(db, REPO, inventory);
  const first = await insertPublished(db, 'CVDESK-2026-0001', advisory, PUBLISHED);
  await revise(db, first, new Date('2026-11-27T08:00:00Z'), 'Named the FPM variant as not affected in the summary.');
  const second = await insertPublished(db, 'CVDESK-2026-0002', { ...advisory, title: 'A second flaw, withdrawn later', aliases: [] }, SECOND);
  await markWithdrawn(db, second, new Date('2026-12-10T09:00:00Z'), 'It was a duplicate of CVDESK-2026-0001.');
  await insertUnpublished(db, 'CVDESK-2026-0003', { ...advisory, title: DRAFT_TITLE }, 'draft', SECOND);
  await insertUnpublished(db, 'CVDESK-2026-0004', { ...advisory, title: SCHEDULED_TITLE }, 'scheduled', SECOND);
}

const get = (desk: TestDesk, url: string) => desk.app.inject({ method: 'GET', url });
const sha = (alg: string, s: string) => createHash(alg).update(s, 'utf8').digest('hex');

describe(`public advisories on ${testEngine()} (no signing key)`, () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ now: new Date('2026-12-15T12:00:00Z') });
    await seed(desk);
    // the validator's first use loads its test suites: on a busy machine that alone outlasts a test's time limit
    await validateCsaf({});
  }, 240_000);
  afterAll(() => desk?.close());

  it('the index lists the published and the withdrawn advisory, newest first, and nothing unpublished', async () => {
    const r = await get(desk, '/advisories');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    const body = r.body;
    expect(body.indexOf('CVDESK-2026-0002')).toBeGreaterThan(-1);
    expect(body.indexOf('CVDESK-2026-0002')).toBeLessThan(body.indexOf('CVDESK-2026-0001'));
    expect(body).toContain("Apache variant serves Mautic's log files over HTTP");
    expect(body).toContain('withdrawn');
    for (const hidden of ['CVDESK-2026-0003', 'CVDESK-2026-0004', DRAFT_TITLE, SCHEDULED_TITLE]) expect(body).not.toContain(hidden);
    expect(body).toContain('href="/advisories.atom"');
    expect(body).toContain('href="/.well-known/csaf/provider-metadata.json"');
  });

  it('the page shows the advisory resolved against the inventory, with its other forms', async () => {
    const r = await get(desk, '/advisories/CVDESK-2026-0001');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<code>5.2.1-apache</code>');
    expect(r.body).toContain('Move to docker.io/mautic/mautic:5.2.2-apache');
    expect(r.body).toContain('Named the FPM variant as not affected in the summary.');
    expect(r.body).toContain('href="/advisories/CVDESK-2026-0001.osv.json"');
    expect(r.body).toContain('href="/.well-known/csaf/white/2026/cvdesk-2026-0001.json"');
    expect(r.body).not.toMatch(/<style|style=|<script>/);
    const lower = await get(desk, '/advisories/cvdesk-2026-0001.json');
    expect(lower.statusCode).toBe(301);
    expect(lower.headers.location).toBe('/advisories/CVDESK-2026-0001.json');
  });

  it('unpublished and unknown advisories are not found in any form', async () => {
    for (const ident of ['CVDESK-2026-0003', 'CVDESK-2026-0004', 'CVDESK-2099-0001']) {
      for (const suffix of ['', '.json', '.osv.json']) expect((await get(desk, `/advisories/${ident}${suffix}`)).statusCode, `${ident}${suffix}`).toBe(404);
    }
    expect((await get(desk, '/advisories/..%2F..%2Fetc')).statusCode).toBe(404);
    expect((await get(desk, '/.well-known/csaf/white/2026/cvdesk-2026-0003.json')).statusCode).toBe(404);
  });

  it('the JSON is the model document as published: it reads again as an advisory file', async () => {
    const r = await get(desk, '/advisories/CVDESK-2026-0001.json');
    expect(r.headers['content-type']).toContain('application/json');
    const parsed = parseAdvisory(r.body, 'CVDESK-2026-0001.json');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.advisory).toMatchObject({ id: 'CVDESK-2026-0001', status: 'final', published: '2026-11-25T10:00:00Z' });
    expect(parsed.advisory.revisions.map((x) => x.summary)).toEqual(['Initial publication.', 'Named the FPM variant as not affected in the summary.']);
    expect(parsed.advisory.images[0]?.inventory?.length).toBeGreaterThan(20);
  });

  it('OSV records pass the OSV schema; the withdrawn one says so', async () => {
    for (const ident of ['CVDESK-2026-0001', 'CVDESK-2026-0002']) {
      const record = JSON.parse((await get(desk, `/advisories/${ident}.osv.json`)).body) as Record<string, unknown>;
      const report = validateOsv(record);
      expect(report.findings.map(formatFinding)).toEqual([]);
      expect(record.id).toBe(`x_${ident}`);
    }
    const withdrawn = JSON.parse((await get(desk, '/advisories/CVDESK-2026-0002.osv.json')).body) as { withdrawn?: string; modified: string };
    expect(withdrawn.withdrawn).toBe('2026-12-10T09:00:00Z');
    expect(withdrawn.modified).toBe('2026-12-10T09:00:00Z');
  });

  it('the Atom feed has an entry per public advisory, escaped', async () => {
    const r = await get(desk, '/advisories.atom');
    expect(r.headers['content-type']).toContain('application/atom+xml');
    expect(r.body.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(true);
    const ids = [...r.body.matchAll(/<entry>\s*<id>([^<]+)<\/id>/g)].map((m) => m[1]);
    expect(ids).toEqual([`${BASE}/advisories/CVDESK-2026-0002`, `${BASE}/advisories/CVDESK-2026-0001`]);
    expect(r.body).toContain('<updated>2026-12-10T09:00:00Z</updated>');
    expect(r.body).toContain('Mautic&apos;s log files');
    expect(r.body).toContain(`<link rel="self" type="application/atom+xml" href="${BASE}/advisories.atom"/>`);
    for (const hidden of [DRAFT_TITLE, SCHEDULED_TITLE]) expect(r.body).not.toContain(hidden);
  });

  it('security.txt points to the CSAF provider', async () => {
    const r = await get(desk, '/.well-known/security.txt');
    expect(r.body).toContain(`CSAF: ${BASE}/.well-known/csaf/provider-metadata.json`);
  });

  it('without a signing key the provider is a csaf_provider with no key and no .asc', async () => {
    const meta = JSON.parse((await get(desk, '/.well-known/csaf/provider-metadata.json')).body) as Record<string, unknown>;
    expect(meta.role).toBe('csaf_provider');
    expect(meta.public_openpgp_keys).toEqual([]);
    expect((await get(desk, '/.well-known/csaf/white/2026/cvdesk-2026-0001.json.asc')).statusCode).toBe(404);
    const feed = JSON.parse((await get(desk, '/.well-known/csaf/white/csaf-feed-tlp-white.json')).body) as { feed: { entry: Array<{ link: Array<{ rel: string }> }> } };
    expect(feed.feed.entry[0]?.link.map((l) => l.rel)).toEqual(['self', 'hash', 'hash']);
  });

  it('index.txt lists every document; changes.csv has them newest first', async () => {
    expect((await get(desk, '/.well-known/csaf/white/index.txt')).body).toBe('2026/cvdesk-2026-0001.json\n2026/cvdesk-2026-0002.json\n');
    const csv = await get(desk, '/.well-known/csaf/white/changes.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toBe('"2026/cvdesk-2026-0002.json","2026-12-10T09:00:00Z"\n"2026/cvdesk-2026-0001.json","2026-11-27T08:00:00Z"\n');
  });

  it('every CSAF document served passes the validator and matches its checksums', async () => {
    const index = (await get(desk, '/.well-known/csaf/white/index.txt')).body.trim().split('\n');
    for (const path of index) {
      const url = `/.well-known/csaf/white/${path}`;
      const r = await get(desk, url);
      expect(r.statusCode).toBe(200);
      const doc = JSON.parse(r.body) as { document: { tracking: { id: string; status: string; revision_history: unknown[] }; references: Array<{ category: string; url: string }> } };
      const report = await validateCsaf(doc);
      expect(report.findings.filter((f) => f.level !== 'info').map(formatFinding), path).toEqual([]);
      expect(doc.document.references.find((x) => x.category === 'self')?.url).toBe(`${BASE}${url}`);
      const name = path.split('/')[1];
      expect((await get(desk, `${url}.sha256`)).body).toBe(`${sha('sha256', r.body)}  ${name}\n`);
      expect((await get(desk, `${url}.sha512`)).body).toBe(`${sha('sha512', r.body)}  ${name}\n`);
    }
    const first = JSON.parse((await get(desk, '/.well-known/csaf/white/2026/cvdesk-2026-0001.json')).body) as { document: { tracking: { version: string; revision_history: unknown[] } } };
    expect(first.document.tracking.version).toBe('2');
    // the same revision renders the same bytes
    const again = await get(desk, '/.well-known/csaf/white/2026/cvdesk-2026-0001.json');
    expect(again.body).toBe((await get(desk, '/.well-known/csaf/white/2026/cvdesk-2026-0001.json')).body);
  });

  it('the ROLIE service document names the feed, and the feed names every document with its hashes', async () => {
    const service = JSON.parse((await get(desk, '/.well-known/csaf/service.json')).body) as { service: { workspace: Array<{ collection: Array<{ href: string }> }> } };
    const feedUrl = service.service.workspace[0]?.collection[0]?.href ?? '';
    expect(feedUrl).toBe(`${BASE}/.well-known/csaf/white/csaf-feed-tlp-white.json`);
    const feed = JSON.parse((await get(desk, new URL(feedUrl).pathname)).body) as { feed: { entry: Array<{ id: string; link: Array<{ rel: string; href: string }>; updated: string }> } };
    expect(feed.feed.entry.map((e) => e.id)).toEqual(['CVDESK-2026-0002', 'CVDESK-2026-0001']);
    for (const e of feed.feed.entry) for (const l of e.link) expect((await get(desk, new URL(l.href).pathname)).statusCode, l.href).toBe(200);
  });
});

describeCorpus('CSAF provider metadata against the provider schema', () => {
  it('validates without a key (with a key: below)', async () => {
    const desk = await startTestDesk({ now: new Date('2026-12-15T12:00:00Z') });
    try {
      await seed(desk);
      const meta = JSON.parse((await get(desk, '/.well-known/csaf/provider-metadata.json')).body) as unknown;
      const validate = providerSchema();
      expect(validate(meta), JSON.stringify(validate.errors)).toBe(true);
    } finally {
      await desk.close();
    }
  });
});

function providerSchema() {
  const dir = corpusPath('schemas', 'csaf_2.0');
  const csaf = JSON.parse(readFileSync(join(dir, 'csaf_json_schema.json'), 'utf8')) as { $id: string; $schema: string; properties: { document: { properties: { publisher: unknown } } } };
  // the provider schema refers to the CSAF schema's publisher only; that part stands on its own
  const publisherOnly = { $schema: csaf.$schema, $id: csaf.$id, type: 'object', properties: { document: { type: 'object', properties: { publisher: csaf.properties.document.properties.publisher } } } };
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
  addFormats(ajv);
  ajv.addSchema(publisherOnly);
  return ajv.compile(JSON.parse(readFileSync(join(dir, 'provider_json_schema.json'), 'utf8')) as object);
}

describe(`CSAF provider with the desk's signing key on ${testEngine()}`, () => {
  let desk: TestDesk;
  let dir: string;
  let fingerprint: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cvdesk-csaf-'));
    const key = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'desk', email: 'security@example.org' }], passphrase: 'csaf test passphrase', date: new Date('2026-01-01T00:00:00Z') });
    fingerprint = (await openpgp.readPrivateKey({ armoredKey: key.privateKey })).getFingerprint().toUpperCase();
    await writeFile(join(dir, 'signing.asc'), key.privateKey);
    desk = await startTestDesk({ now: new Date('2026-12-15T12:00:00Z'), env: { CVDESK_SIGNING_KEY_FILE: join(dir, 'signing.asc'), CVDESK_SIGNING_KEY_PASSPHRASE: 'csaf test passphrase' } });
    await seed(desk);
  });
  afterAll(async () => {
    await desk?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is a csaf_trusted_provider whose published key verifies every .asc', async () => {
    const meta = JSON.parse((await get(desk, '/.well-known/csaf/provider-metadata.json')).body) as { role: string; public_openpgp_keys: Array<{ fingerprint: string; url: string }> };
    expect(meta.role).toBe('csaf_trusted_provider');
    if (haveCorpora) {
      const validate = providerSchema();
      expect(validate(meta), JSON.stringify(validate.errors)).toBe(true);
    }
    expect(meta.public_openpgp_keys).toEqual([{ fingerprint, url: `${BASE}/.well-known/csaf/openpgp/${fingerprint}.asc` }]);
    const keyResponse = await get(desk, new URL(meta.public_openpgp_keys[0]!.url).pathname);
    expect(keyResponse.statusCode).toBe(200);
    expect(keyResponse.body).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    expect(keyResponse.body).not.toContain('PRIVATE');
    const published = (await openpgp.readKey({ armoredKey: keyResponse.body })).getFingerprint().toUpperCase();
    expect(published).toBe(fingerprint);
    for (const path of (await get(desk, '/.well-known/csaf/white/index.txt')).body.trim().split('\n')) {
      const doc = (await get(desk, `/.well-known/csaf/white/${path}`)).body;
      const asc = await get(desk, `/.well-known/csaf/white/${path}.asc`);
      expect(asc.statusCode).toBe(200);
      expect((await verifyDetached(new TextEncoder().encode(doc), asc.body, keyResponse.body, { date: AFTER })).valid, path).toBe(true);
      // a changed byte does not verify
      expect((await verifyDetached(new TextEncoder().encode(`${doc} `), asc.body, keyResponse.body, { date: AFTER })).valid).toBe(false);
    }
    const feed = JSON.parse((await get(desk, '/.well-known/csaf/white/csaf-feed-tlp-white.json')).body) as { feed: { entry: Array<{ link: Array<{ rel: string }> }> } };
    expect(feed.feed.entry[0]?.link.map((l) => l.rel)).toEqual(['self', 'hash', 'hash', 'signature']);
    expect((await get(desk, '/.well-known/csaf/openpgp/0000000000000000000000000000000000000000.asc')).statusCode).toBe(404);
    expect(desk.logs.join('')).not.toContain('csaf test passphrase');
  });
});
