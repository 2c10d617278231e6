import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { clearSign, inspectSignature, verifyDetached } from '../../src/adapters/pgp/clearsign.js';
import { renderSecurityTxt } from '../../src/formats/security-txt/render.js';
import { corpusPath, describeCorpus } from '../support/corpora.js';
import { runCli } from '../support/run-cli.js';

const NOW = '2026-11-23T12:00:00Z';
const dir = mkdtempSync(join(tmpdir(), 'cvdesk-sectxt-'));

/** Runs `cvdesk <args>` in-process through the real entry point. */
async function cvdesk(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args, { stdin, env: { KEY_PASSPHRASE: 'correct horse' } });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const json = (s: string) => JSON.parse(s) as { errors: { code: string; line: number | null }[]; signed: boolean; signatureValid: boolean | null };

describe('securitytxt check: render, clear-sign, verify', () => {
  let pub = '';
  let otherPub = '';
  let signedFile = '';
  beforeAll(async () => {
    const k = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'cvdesk test', email: 'security@example.org' }], date: new Date('2026-01-01T00:00:00Z') });
    const other = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ email: 'other@example.org' }], date: new Date('2026-01-01T00:00:00Z') });
    pub = join(dir, 'pub.asc');
    otherPub = join(dir, 'other.asc');
    writeFileSync(pub, k.publicKey);
    writeFileSync(otherPub, other.publicKey);
    const text = renderSecurityTxt(
      {
        contact: ['mailto:security@example.org', 'https://example.org/report'],
        expires: new Date('2027-06-01T00:00:00Z'),
        encryption: ['https://example.org/pgp.asc'],
        canonical: ['https://example.org/.well-known/security.txt'],
        preferredLanguages: ['en', 'de'],
        policy: ['https://example.org/security'],
      },
      { comments: ['Test file', '-- a line that needs dash-escaping'] },
    );
    signedFile = join(dir, 'signed.txt');
    writeFileSync(signedFile, await clearSign(text, k.privateKey, { date: new Date('2026-02-01T00:00:00Z') }));
  });

  it('a rendered, clear-signed file verifies with --key', async () => {
    const r = await cvdesk(['securitytxt', 'check', signedFile, '--key', pub, '--now', NOW, '--json']);
    expect(r.err).toBe('');
    const j = json(r.out);
    expect(j.errors).toEqual([]);
    expect(j.signed).toBe(true);
    expect(j.signatureValid).toBe(true);
    expect(r.code).toBe(0);
  });

  it('without --key the signature is parsed but not judged (signatureValid null)', async () => {
    const j = json((await cvdesk(['securitytxt', 'check', signedFile, '--now', NOW, '--json'])).out);
    expect(j.signatureValid).toBeNull();
    expect(j.signed).toBe(true);
  });

  it('a one-byte change in the signed text fails verification: pgp_signature_error, exit 1', async () => {
    const tampered = join(dir, 'tampered.txt');
    writeFileSync(tampered, readFileSync(signedFile, 'utf8').replace('security@example.org', 'security@example.orh'));
    const r = await cvdesk(['securitytxt', 'check', tampered, '--key', pub, '--now', NOW, '--json']);
    const j = json(r.out);
    expect(j.signatureValid).toBe(false);
    expect(j.errors.map((e) => e.code)).toEqual(['pgp_signature_error']);
    expect(r.code).toBe(1);
  });

  it('the wrong key fails verification', async () => {
    const r = await cvdesk(['securitytxt', 'check', signedFile, '--key', otherPub, '--now', NOW, '--json']);
    expect(json(r.out).errors.map((e) => e.code)).toEqual(['pgp_signature_error']);
    expect(r.code).toBe(1);
  });

  it('human output groups findings with line numbers and ends with a verdict', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'Contact: me@example.org\nExpires: 2020-01-01T00:00:00Z\nPreferred-Languages: English\nFoo: bar\n');
    const r = await cvdesk(['securitytxt', 'check', bad, '--now', NOW]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('Errors (3):');
    expect(r.out).toMatch(/line 1: The Contact field must hold a URI .* \[no_uri\]/);
    expect(r.out).toMatch(/line 2: The file expired on 2020-01-01T00:00:00.000Z\. \[expired\]/);
    expect(r.out).toContain('Recommendations (1):');
    expect(r.out).toContain('Notifications (1):');
    expect(r.out.trim().split('\n').at(-1)).toBe('INVALID: 3 errors, 1 recommendation, 1 notification; not signed.');
  });

  it('reads standard input with -', async () => {
    const r = await cvdesk(['securitytxt', 'check', '-', '--now', NOW, '--json'], 'Contact: https://example.org/\nExpires: 2027-01-01T00:00:00Z\n');
    expect(r.code).toBe(0);
    expect(json(r.out).errors).toEqual([]);
  });

  it('--canonical gives no_canonical_match when no Canonical matches', async () => {
    const r = await cvdesk(['securitytxt', 'check', signedFile, '--now', NOW, '--canonical', 'https://other.example/.well-known/security.txt', '--json']);
    expect(json(r.out).errors.map((e) => e.code)).toEqual(['no_canonical_match']);
    expect(r.code).toBe(1);
  });

  it('unreadable input, an http URL and a bad --now exit 2', async () => {
    expect((await cvdesk(['securitytxt', 'check', join(dir, 'missing.txt'), '--now', NOW])).code).toBe(2);
    const http = await cvdesk(['securitytxt', 'check', 'http://example.org/', '--now', NOW]);
    expect(http.code).toBe(2);
    expect(http.err).toContain('invalid_uri_scheme');
    expect((await cvdesk(['securitytxt', 'check', signedFile, '--now', 'yesterday'])).code).toBe(2);
  });

  it('signature structure is read without any key', async () => {
    const armored = readFileSync(signedFile, 'utf8').split('\n-----BEGIN PGP SIGNATURE-----')[1]!;
    const ok = await inspectSignature('-----BEGIN PGP SIGNATURE-----' + armored);
    expect(ok.ok).toBe(true);
    expect((await inspectSignature('-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n')).ok).toBe(false);
  });
});

describe('policy render --sign-key, then securitytxt check --key', () => {
  const policy = join(process.cwd(), 'examples/policies/ozg-security-scanner.yaml');
  let pub = '';
  let signed = '';
  beforeAll(async () => {
    const k = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ email: 'security@example.org' }], passphrase: 'correct horse', date: new Date('2026-01-01T00:00:00Z') });
    pub = join(dir, 'render-pub.asc');
    const priv = join(dir, 'render-priv.asc');
    writeFileSync(pub, k.publicKey);
    writeFileSync(priv, k.privateKey);
    signed = join(dir, 'rendered-signed.txt');
    const r = await cvdesk(['policy', 'render', policy, '--format', 'security-txt', '--sign-key', priv, '--passphrase-env', 'KEY_PASSPHRASE', '--now', NOW, '-o', signed]);
    expect(r.err.trim()).toBe(`wrote ${signed}`);
    expect(r.code).toBe(0);
  });

  it('the file that policy render signed verifies, with no errors', async () => {
    const r = await cvdesk(['securitytxt', 'check', signed, '--key', pub, '--now', NOW, '--json']);
    const j = json(r.out);
    expect(j.errors).toEqual([]);
    expect(j).toMatchObject({ signed: true, signatureValid: true });
    expect(r.code).toBe(0);
  });

  it('changing one byte of the signed body makes it fail', async () => {
    const text = readFileSync(signed);
    const at = text.indexOf('Expires: ') + 'Expires: '.length + 3; // the last digit of the year
    const tampered = Buffer.from(text);
    tampered[at] = tampered[at] === 0x39 ? 0x38 : tampered[at]! + 1;
    const file = join(dir, 'rendered-tampered.txt');
    writeFileSync(file, tampered);
    const r = await cvdesk(['securitytxt', 'check', file, '--key', pub, '--now', NOW, '--json']);
    const j = json(r.out);
    expect(j.signatureValid).toBe(false);
    expect(j.errors.map((e) => e.code)).toContain('pgp_signature_error');
    expect(r.code).toBe(1);
  });
});

describeCorpus('securitytxt check: real signed files against their published keys', () => {
  const real = (n: string) => corpusPath('security-txt/real', n);
  const cases: [file: string, key: string, valid: boolean, why: string][] = [
    ['almalinux.org-signed-2025-06.txt', 'almalinux.org-security-pgp-key.asc', true, 'signed by the AlmaLinux key'],
    ['almalinux.org-signed-expired-2025-04.txt', 'almalinux.org-security-pgp-key.asc', true, 'signature good although the file expired'],
    ['trivialsec.com.txt', 'trivialsec.com-pgp-key.asc', true, 'signed by the Trivial Security key'],
    ['trivialsec.com.txt', 'almalinux.org-security-pgp-key.asc', false, 'wrong key'],
    ['grapheneos.org-signed-2026.txt', 'almalinux.org-security-pgp-key.asc', false, 'GrapheneOS key is not in the corpus'],
    ['securitytxt.org-signed-expired-2022.txt', 'trivialsec.com-pgp-key.asc', false, 'wrong key'],
  ];
  for (const [file, key, valid, why] of cases) {
    it(`${file} with ${key}: ${valid ? 'verifies' : 'fails'} (${why})`, async () => {
      const r = await cvdesk(['securitytxt', 'check', real(file), '--key', real(key), '--now', NOW, '--json']);
      const j = json(r.out);
      expect(j.signatureValid).toBe(valid);
      expect(j.errors.some((e) => e.code === 'pgp_signature_error')).toBe(!valid);
    });
  }

  it('bigbank.eu: the detached signature is good, and the key has expired since (a warning, as gpg)', async () => {
    const text = readFileSync(real('bigbank.eu.txt'));
    const sig = readFileSync(real('bigbank.eu.txt.sig.asc'), 'utf8');
    const key = readFileSync(real('bigbank.eu-pgp-key.asc'), 'utf8');
    const inspected = await inspectSignature(sig);
    expect(inspected.ok).toBe(true);
    const created = inspected.ok ? inspected.created[0] : undefined;
    const then = await verifyDetached(new Uint8Array(text), sig, key, { date: created! });
    expect(then).toMatchObject({ valid: true, keyIds: ['9daa32b298b7716f'] });
    expect(then.warnings).toBeUndefined();
    // like gpg ("Good signature" + "key expired"): still a good signature, with a warning
    const now = await verifyDetached(new Uint8Array(text), sig, key, { date: new Date(NOW) });
    expect(now.valid).toBe(true);
    expect(now.warnings?.join()).toMatch(/expired on 2022-04-23/);
    const edited = await verifyDetached(new Uint8Array(Buffer.from(text.toString('utf8').replace('Hiring', 'Hiding'))), sig, key, { date: new Date(NOW) });
    expect(edited.valid).toBe(false);
  });
});
