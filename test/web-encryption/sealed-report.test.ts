import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENPGP_BROWSER_PATH } from '../../src/web/vendor-assets.js';
import { insertReport } from '../support/fixtures.js';
import { cookieHeader, cookiesOf, freshIp, postForm, trackingLinkOf, type Part } from '../support/reporter.js';
import { createMember, loginAs } from '../support/team.js';
import { canaryHits, keyPair, openSealed, sealReport, startKeyedDesk, type KeyedDesk } from './support.js';

/**
 * Reports encrypted in the reporter's browser (issue #6), through the form's POST and the API:
 * the desk checks the OpenPGP messages without decrypting them, stores only ciphertext (every
 * column of every table is searched for a canary that was only inside the encrypted message), and
 * refuses anything else with a clear 400 that stores nothing.
 */
const CANARY = 'CANARY-SEALED-7d41c2';
const FILE_CANARY = 'CANARY-FILE-93be0a';

describe('browser-encrypted reports', () => {
  let k: KeyedDesk;
  let publicKey: string;
  beforeAll(async () => {
    k = await startKeyedDesk();
    publicKey = k.deskKey.publicKey;
  });
  afterAll(() => k?.close());

  const reportCount = async () => Number((await k.desk.ctx.db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const sealedParts = async (over: Partial<Parameters<typeof sealReport>[1]> = {}): Promise<Part[]> => {
    const sealed = await sealReport(publicKey, {
      title: `RCE via the upload handler ${CANARY}`,
      description: `The handler evaluates ${CANARY} as code.`,
      steps: `curl -F f=@${CANARY}.php`,
      impact: 'Full takeover',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      files: [{ name: 'poc.txt', type: 'text/plain', data: Buffer.from(`proof ${FILE_CANARY}\n`) }],
      ...over,
    });
    return [
      { name: 'encrypted', value: sealed.encrypted },
      { name: 'tag', value: '5.2.1-apache' },
      { name: 'reporterEmail', value: 'rita@example.net' },
      { name: 'credit', value: 'name' },
      { name: 'creditName', value: 'Rita R.' },
      { name: 'language', value: 'en' },
      ...sealed.files.map((f) => ({ name: 'attachments', filename: f.filename, contentType: 'application/pgp-encrypted', data: f.data })),
    ];
  };

  it('serves the policy key (public half only) and the openpgp browser build, cached for good', async () => {
    const key = await k.desk.app.inject({ url: '/openpgp-key.asc' });
    expect(key.statusCode).toBe(200);
    expect(key.headers['content-type']).toContain('application/pgp-keys');
    expect(key.body).not.toContain('PRIVATE');
    expect((await openpgp.readKey({ armoredKey: key.body })).getFingerprint().toUpperCase()).toBe(k.deskKey.fingerprint);
    const js = await k.desk.app.inject({ url: OPENPGP_BROWSER_PATH });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('text/javascript');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.body).toMatch(/^\/\*! OpenPGP\.js v\d/);
    expect(js.body).not.toMatch(/\beval\(|new Function\(/);
  });

  it('offers "Encrypt in my browser" on the form, hidden until the script reveals it, saying what stays in clear', async () => {
    const page = await k.desk.app.inject({ url: '/report?lang=en' });
    expect(page.body).toMatch(/<fieldset id="encrypt-choice" hidden /);
    expect(page.body).toContain(`data-fingerprint="${k.deskKey.fingerprint}"`);
    expect(page.body).toContain(`data-openpgp="${OPENPGP_BROWSER_PATH}"`);
    expect(page.body).toContain('<script type="module" src="/assets/encrypt-report.js"></script>');
    expect(page.body).toContain('the image and tag, your name and e-mail address');
    const de = await k.desk.app.inject({ url: '/report?lang=de' });
    expect(de.body).toContain('In meinem Browser verschlüsseln');
  });

  it('files an encrypted form post as ciphertext only: no column of any table holds the plaintext', async () => {
    const { res } = await postForm(k.desk.app, '/report', '/report', await sealedParts());
    expect(res.statusCode, res.body.slice(0, 500)).toBe(201);
    const token = trackingLinkOf(res.body).split('/').at(-1)!;
    expect(token.length).toBeGreaterThan(20);
    const row = await k.desk.ctx.db.selectFrom('reports').selectAll().orderBy('number', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ encrypted: true, title: 'Encrypted report', steps: null, impact: null, reporter_cvss: null, tag: '5.2.1-apache', reporter_email: 'rita@example.net', credit_name: 'Rita R.', channel: 'web' });
    expect(row.description).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    const plain = JSON.parse((await openSealed(k.deskKey, row.description)) as string) as Record<string, unknown>;
    expect(plain).toMatchObject({ type: 'cvdesk-report', version: 1, description: `The handler evaluates ${CANARY} as code.`, attachments: [{ file: 'attachment-1.pgp', name: 'poc.txt' }] });
    const files = await k.desk.ctx.db.selectFrom('attachments').selectAll().where('report_id', '=', row.id).execute();
    expect(files.map((f) => [f.filename, f.content_type])).toEqual([['attachment-1.pgp', 'application/pgp-encrypted']]);
    expect(Buffer.from((await openSealed(k.deskKey, files[0]!.data)) as Uint8Array).toString()).toBe(`proof ${FILE_CANARY}\n`);

    expect(await canaryHits(k.desk.ctx.db, CANARY)).toEqual([]);
    expect(await canaryHits(k.desk.ctx.db, FILE_CANARY)).toEqual([]);
    expect(k.desk.logs.join('')).not.toContain(CANARY);
    expect(k.desk.logs.join('')).not.toContain(row.description.split('\n')[2]!);
    // The search finds what is there: a plain report's canary is found.
    const plainCanary = 'CANARY-PLAIN-c0ffee';
    const plainPost = await postForm(k.desk.app, '/report', '/report', [{ name: 'title', value: `Plain ${plainCanary}` }, { name: 'description', value: 'plain' }]);
    expect(plainPost.res.statusCode).toBe(201);
    expect(await canaryHits(k.desk.ctx.db, plainCanary)).toEqual(expect.arrayContaining(['public.reports.title']));
  });

  it("tells the reporter their report went encrypted instead of showing them ciphertext (page and API)", async () => {
    const { res } = await postForm(k.desk.app, '/report', '/report', await sealedParts());
    expect(res.statusCode).toBe(201);
    const token = trackingLinkOf(res.body).split('/r/')[1]!;
    const follow = await k.desk.app.inject({ url: `/r/${token}`, remoteAddress: freshIp() });
    const page = await k.desk.app.inject({ url: '/report/status', headers: { cookie: cookieHeader(cookiesOf(follow)) }, remoteAddress: freshIp() });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('You sent this report encrypted');
    expect(page.body).not.toContain('BEGIN PGP MESSAGE');
    const api = await k.desk.app.inject({ url: '/api/v1/reporter/report', headers: { authorization: `Bearer ${token}` }, remoteAddress: freshIp() });
    expect(api.json()).toMatchObject({ encrypted: true, title: 'Encrypted report', description: expect.stringMatching(/^-----BEGIN PGP MESSAGE-----/) });
    const plain = await postForm(k.desk.app, '/report', '/report', [{ name: 'title', value: 'A plain one' }, { name: 'description', value: 'readable' }]);
    const plainToken = trackingLinkOf(plain.res.body).split('/r/')[1]!;
    const plainApi = await k.desk.app.inject({ url: '/api/v1/reporter/report', headers: { authorization: `Bearer ${plainToken}` }, remoteAddress: freshIp() });
    expect(plainApi.json()).toMatchObject({ encrypted: false, description: 'readable' });
  });

  it('titles the report neutrally in its own language (the title the inbox and the mails show)', async () => {
    const parts = (await sealedParts()).map((p) => (p.name === 'language' ? { name: 'language', value: 'de' } : p));
    const { res } = await postForm(k.desk.app, '/report', '/report', parts);
    expect(res.statusCode).toBe(201);
    const row = await k.desk.ctx.db.selectFrom('reports').select(['title', 'id']).orderBy('number', 'desc').executeTakeFirstOrThrow();
    expect(row.title).toBe('Verschlüsselte Meldung');
  });

  it('files an encrypted report through the API (additive field), and the OpenAPI document describes it', async () => {
    const sealed = await sealReport(publicKey, { title: `API ${CANARY}`, description: CANARY, files: [{ name: 'a.bin', type: 'application/octet-stream', data: Buffer.from(FILE_CANARY) }] });
    const body = { encrypted: sealed.encrypted, image: '', reporterEmail: 'api@example.net', attachments: sealed.files.map((f) => ({ filename: f.filename, contentType: 'application/pgp-encrypted', dataBase64: f.data.toString('base64') })) };
    const res = await k.desk.app.inject({ method: 'POST', url: '/api/v1/reports', payload: body, remoteAddress: freshIp() });
    expect(res.statusCode, res.body).toBe(201);
    const { number } = res.json<{ number: number }>();
    const row = await k.desk.ctx.db.selectFrom('reports').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ encrypted: true, channel: 'api', title: 'Encrypted report' });
    expect(await canaryHits(k.desk.ctx.db, CANARY)).toEqual([]);
    expect(await canaryHits(k.desk.ctx.db, FILE_CANARY)).toEqual([]);

    const doc = (await k.desk.app.inject({ url: '/api/openapi.json' })).json<{ components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> }; paths: Record<string, unknown> }>();
    expect(doc.components.schemas.NewEncryptedReport!.properties).toHaveProperty('encrypted');
    expect(doc.components.schemas.NewEncryptedReport!.properties).not.toHaveProperty('title');
    expect(doc.components.schemas.NewReport!.properties).toHaveProperty('title');
    expect(JSON.stringify(doc.paths['/api/v1/reports'])).toContain('#/components/schemas/NewEncryptedReport');
  });

  it("shows the team the decrypt panel, and only that page's CSP allows WebAssembly (for Argon2-protected keys)", async () => {
    const { res } = await postForm(k.desk.app, '/report', '/report', await sealedParts());
    expect(res.statusCode).toBe(201);
    const sealed = await k.desk.ctx.db.selectFrom('reports').select('number').where('encrypted', '=', true).orderBy('number', 'desc').executeTakeFirstOrThrow();
    const plain = await insertReport(k.desk.ctx.db);
    const as = await loginAs(k.desk, await createMember(k.desk, { role: 'member' }));
    const page = await as.get(`/team/reports/${sealed.number}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="sealed-report"');
    expect(page.body).toContain('<script type="module" src="/assets/decrypt-report.js"></script>');
    expect(page.body).toMatch(/<pre id="sealed-message">-----BEGIN PGP MESSAGE-----/);
    expect(page.body).toMatch(/<li data-file="attachment-1.pgp" data-url="\/team\/reports\/\d+\/attachments\/[0-9a-f-]+">/);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(String(page.headers['content-security-policy'])).not.toContain("'unsafe-eval'");
    const other = await as.get(`/team/reports/${plain.number}`);
    expect(other.body).not.toContain('sealed-report');
    expect(String(other.headers['content-security-policy'])).not.toContain('wasm-unsafe-eval');
    expect(String((await k.desk.app.inject({ url: '/report' })).headers['content-security-policy'])).not.toContain('wasm-unsafe-eval');
  });

  describe('refusals: a clear 400, nothing stored, the ciphertext not echoed', () => {
    const refused = async (parts: Part[], field: string, message: RegExp, status = 400) => {
      const before = await reportCount();
      const { res } = await postForm(k.desk.app, '/report', '/report', parts);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(status);
      expect(res.body).toContain('role="alert"');
      expect(res.body).toMatch(message);
      expect(res.body).toContain(`href="#${field}"`);
      expect(res.body).not.toContain('-----BEGIN PGP MESSAGE-----');
      expect(await reportCount()).toBe(before);
    };
    const replace = (parts: Part[], name: string, value: string) => parts.map((p) => (p.name === name && !('filename' in p) ? { name, value } : p));

    it('a message to another key', async () => {
      const other = await keyPair('Someone Else', 'else@example.org');
      const wrong = await sealReport(other.publicKey, { title: 'x', description: 'y' });
      await refused(replace(await sealedParts(), 'encrypted', wrong.encrypted), 'encrypted', /is encrypted to [0-9a-f]{16}, not to the desk(&#x27;|')s key/);
    });

    it('garbage, a message that is not armored, a message in clear', async () => {
      await refused(replace(await sealedParts(), 'encrypted', 'this is not encrypted'), 'encrypted', /is not an ASCII-armored OpenPGP message/);
      const binary = (await sealReport(publicKey, { title: 'x', description: 'y', files: [{ name: 'a', type: 'x', data: Buffer.from('z') }] })).files[0]!.data.toString('base64');
      await refused(replace(await sealedParts(), 'encrypted', binary), 'encrypted', /is not an ASCII-armored OpenPGP message/);
      const clear = (await openpgp.createMessage({ text: CANARY })).armor();
      await refused(replace(await sealedParts(), 'encrypted', clear), 'encrypted', /is not encrypted/);
    });

    it('a message over the size limit', async () => {
      await refused(replace(await sealedParts(), 'encrypted', `-----BEGIN PGP MESSAGE-----\n\n${'A'.repeat(1_000_001)}\n-----END PGP MESSAGE-----`), 'encrypted', /must be at most 1000000 characters/);
    });

    it('a file that is not an encrypted .pgp, or encrypted to another key', async () => {
      const parts = await sealedParts();
      const plainFile = parts.map((p) => ('filename' in p ? { ...p, filename: 'poc.txt', data: Buffer.from(`plain ${FILE_CANARY}`) } : p));
      await refused(plainFile, 'attachments', /poc\.txt: an encrypted file(&#x27;|')s name must end in \.pgp/);
      const notEncrypted = parts.map((p) => ('filename' in p ? { ...p, data: Buffer.from(`plain ${FILE_CANARY}`) } : p));
      await refused(notEncrypted, 'attachments', /attachment-1\.pgp: is not an OpenPGP message/);
      const other = await keyPair('Someone Else', 'else@example.org');
      const elsewhere = (await sealReport(other.publicKey, { title: 'x', description: 'y', files: [{ name: 'a', type: 'x', data: Buffer.from('z') }] })).files[0]!;
      await refused(parts.map((p) => ('filename' in p ? { ...p, data: elsewhere.data } : p)), 'attachments', /attachment-1\.pgp: is encrypted to/);
    });

    it('clear fields are still checked, and a confidential field sent in clear beside the message is unknown', async () => {
      await refused(replace(await sealedParts(), 'reporterEmail', 'not an address'), 'reporterEmail', /e-mail address/);
      await refused([...(await sealedParts()), { name: 'description', value: `leaked ${CANARY}` }], 'form', /Unrecognized key: &quot;description&quot;/);
    });

    it('the API answers 400 with the field for a message it cannot take', async () => {
      const res = await k.desk.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { encrypted: 'garbage' }, remoteAddress: freshIp() });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_input', fields: [{ field: 'encrypted', message: expect.stringContaining('ASCII-armored') }] } });
    });
  });
});

describe('a desk whose key is not the policy key, and a desk without a key', () => {
  it('offers no encryption, serves no key, and refuses an encrypted report with a clear 400', async () => {
    const policyKey = await keyPair('Policy Key', 'policy@example.org');
    for (const k of [await startKeyedDesk({ policyKey }), await startKeyedDesk({ withKey: false })]) {
      try {
        expect((await k.desk.app.inject({ url: '/openpgp-key.asc' })).statusCode).toBe(404);
        const page = await k.desk.app.inject({ url: '/report' });
        expect(page.body).not.toContain('encrypt-choice');
        expect(page.body).not.toContain('encrypt-report.js');
        const sealed = await sealReport(k.deskKey.publicKey, { title: 'x', description: CANARY });
        const { res } = await postForm(k.desk.app, '/report', '/report', [{ name: 'encrypted', value: sealed.encrypted }]);
        expect(res.statusCode).toBe(400);
        expect(res.body).toContain('this desk takes no encrypted reports (it has no OpenPGP key)');
        expect(await k.desk.ctx.db.selectFrom('reports').select('id').execute()).toEqual([]);
      } finally {
        await k.close();
      }
    }
  });
});
