import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSealed, deskPublicKeyOf, type DeskPublicKey } from './sealed-message.js';

const keyPair = (email: string, passphrase?: string) =>
  openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'Test', email }], format: 'armored', ...(passphrase ? { passphrase } : {}) });

describe('checkSealed: an OpenPGP message to the desk key, judged without decrypting', () => {
  let desk: DeskPublicKey;
  let deskKey: openpgp.PublicKey;
  let other: openpgp.PublicKey;
  const encrypt = async (text: string, keys: openpgp.PublicKey[], format: 'armored' | 'binary' = 'armored') =>
    openpgp.encrypt({ message: await openpgp.createMessage({ text }), encryptionKeys: keys, format } as never) as Promise<string | Uint8Array>;

  beforeAll(async () => {
    const d = await keyPair('desk@example.org', 'desk passphrase');
    desk = await deskPublicKeyOf(d.privateKey);
    deskKey = await openpgp.readKey({ armoredKey: desk.armored });
    other = await openpgp.readKey({ armoredKey: (await keyPair('other@example.org')).publicKey });
  });

  it('reads the public half of a passphrase-protected private key without the passphrase', () => {
    expect(desk.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(desk.armored).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    expect(desk.armored).not.toContain('PRIVATE');
    expect(desk.keyIds.length).toBe(2);
  });

  it('accepts a message to the desk key (alone or with other recipients) and re-encodes it from its packets', async () => {
    const armored = (await encrypt('hello', [deskKey])) as string;
    const r = await checkSealed(`\n${armored}\n`, desk.keyIds, 100_000);
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    expect(r.armored.trim().startsWith('-----BEGIN PGP MESSAGE-----')).toBe(true);
    expect(r.recipients.some((id) => desk.keyIds.includes(id))).toBe(true);
    expect((await checkSealed((await encrypt('both', [other, deskKey])) as string, desk.keyIds, 100_000)).ok).toBe(true);
    const binary = (await encrypt('file', [deskKey], 'binary')) as Uint8Array;
    const b = await checkSealed(binary, desk.keyIds, 100_000);
    expect(b.ok).toBe(true);
    if (b.ok) expect(Buffer.from(b.binary).equals(Buffer.from(binary))).toBe(true);
  });

  it('drops armor headers: a Comment line cannot carry plaintext into the database', async () => {
    const armored = (await encrypt('x', [deskKey])) as string;
    const withComment = armored.replace('-----BEGIN PGP MESSAGE-----\n', '-----BEGIN PGP MESSAGE-----\nComment: CANARY-IN-ARMOR-HEADER\n');
    const r = await checkSealed(withComment, desk.keyIds, 100_000);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.armored).not.toContain('CANARY');
  });

  it('refuses a message to another key, naming the key IDs it was encrypted to', async () => {
    const r = await checkSealed((await encrypt('wrong key', [other])) as string, desk.keyIds, 100_000);
    expect(r).toEqual({ ok: false, problem: expect.stringMatching(/^is encrypted to [0-9a-f]{16}, not to the desk's key$/) });
  });

  it('refuses garbage, text around the armor, and a message that is not armored where armor is expected', async () => {
    const armored = (await encrypt('x', [deskKey])) as string;
    expect(await checkSealed('hello world', desk.keyIds, 100_000)).toEqual({ ok: false, problem: expect.stringContaining('is not an ASCII-armored OpenPGP message') });
    expect((await checkSealed(`CANARY plaintext\n${armored}`, desk.keyIds, 100_000)).ok).toBe(false);
    expect((await checkSealed(`${armored}\nCANARY plaintext`, desk.keyIds, 100_000)).ok).toBe(false);
    expect((await checkSealed(`${armored}\n${armored}`, desk.keyIds, 100_000)).ok).toBe(false);
    const lines = armored.trim().split('\n');
    const truncated = [...lines.slice(0, 3), lines.at(-1)!].join('\n');
    expect(await checkSealed(truncated, desk.keyIds, 100_000)).toEqual({ ok: false, problem: expect.stringMatching(/^is not an OpenPGP message/) });
    expect(await checkSealed('-----BEGIN PGP MESSAGE-----\n\nAAAA\n-----END PGP MESSAGE-----', desk.keyIds, 100_000)).toMatchObject({ ok: false });
    expect(await checkSealed(new Uint8Array([1, 2, 3, 4, 5]), desk.keyIds, 100_000)).toMatchObject({ ok: false });
    expect(await checkSealed('', desk.keyIds, 100_000)).toEqual({ ok: false, problem: 'is empty' });
  });

  it('refuses what is not encrypted: a plain literal message, a signed one, data appended outside the encryption', async () => {
    const literal = await openpgp.createMessage({ text: 'CANARY in clear' });
    expect(await checkSealed(literal.armor(), desk.keyIds, 100_000)).toEqual({ ok: false, problem: 'is not encrypted' });
    const signer = await openpgp.readPrivateKey({ armoredKey: (await keyPair('signer@example.org')).privateKey });
    const signed = await openpgp.sign({ message: literal, signingKeys: signer });
    expect(await checkSealed(signed, desk.keyIds, 100_000)).toEqual({ ok: false, problem: 'is not encrypted' });
    const enc = (await encrypt('x', [deskKey], 'binary')) as Uint8Array;
    const appended = new Uint8Array([...enc, ...(literal.write() as Uint8Array)]);
    expect(await checkSealed(appended, desk.keyIds, 100_000)).toMatchObject({ ok: false });
    const prepended = new Uint8Array([...(literal.write() as Uint8Array), ...enc]);
    expect(await checkSealed(prepended, desk.keyIds, 100_000)).toMatchObject({ ok: false });
    expect(await checkSealed(new Uint8Array([...enc, ...enc]), desk.keyIds, 100_000)).toMatchObject({ ok: false });
  });

  it('refuses a message encrypted only with a password', async () => {
    const pw = await openpgp.encrypt({ message: await openpgp.createMessage({ text: 'x' }), passwords: ['secret'] });
    expect(await checkSealed(pw, desk.keyIds, 100_000)).toEqual({ ok: false, problem: "is not encrypted to the desk's key" });
  });

  it('refuses a message over the size limit before parsing it', async () => {
    const armored = (await encrypt('x'.repeat(5000), [deskKey])) as string;
    expect(await checkSealed(armored, desk.keyIds, 1000)).toEqual({ ok: false, problem: 'is larger than 1000 bytes, the most this desk accepts' });
  });
});
