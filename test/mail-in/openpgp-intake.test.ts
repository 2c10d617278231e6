import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyAddressFor } from '../../src/app/mail/reply-token.js';
import { CRLF, encryptTo, keyPair, listenerFor, pgpMimeEncrypted, pgpMimeSigned, rawSmtp, sendTo, startIntakeDesk, type IntakeDesk, type KeyPair } from './support.js';

/** OpenPGP mail over SMTP: PGP/MIME and inline, encrypted to the desk's key, signed by the reporter. */
describe('OpenPGP mail intake', () => {
  let d: IntakeDesk;
  let rita: KeyPair;
  let mallory: KeyPair;
  let n = 0;
  const mid = () => `<pgp-${++n}-${Date.now()}@sender.example.net>`;
  const inbound = (messageId: string) => d.desk.ctx.db.selectFrom('inbound_mail').selectAll().where('message_id', '=', messageId).executeTakeFirstOrThrow();
  const report = (id: string) => d.desk.ctx.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const messages = (reportId: string) => d.desk.ctx.db.selectFrom('messages').selectAll().where('report_id', '=', reportId).orderBy('at').orderBy('id').execute();
  const files = (reportId: string) => d.desk.ctx.db.selectFrom('attachments').selectAll().where('report_id', '=', reportId).orderBy('filename').execute();
  const head = (over: Partial<{ from: string; to: string; subject: string; messageId: string }> = {}) => ({ from: 'Rita <rita@example.net>', to: 'crypt@example.org', subject: '...', messageId: mid(), ...over });
  const inner = (text: string, extra: string[] = []) =>
    extra.length === 0
      ? CRLF(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', text, ''])
      : CRLF(['Content-Type: multipart/mixed; boundary="inner"', '', '--inner', 'Content-Type: text/plain; charset=utf-8', '', text, ...extra, '--inner--', '']);
  const keyPart = (publicKey: string) => ['--inner', 'Content-Type: application/pgp-keys; name="key.asc"', 'Content-Disposition: attachment; filename="key.asc"', '', publicKey.replace(/\r?\n/g, '\r\n').trimEnd()];
  const sendRaw = async (raw: string, rcptTo = ['crypt@example.org']) => (await rawSmtp(d.listener.port, { mailFrom: 'rita@example.net', rcptTo, data: Buffer.from(raw, 'utf8') })).at(-1)!;

  beforeAll(async () => {
    [d, rita, mallory] = await Promise.all([startIntakeDesk(), keyPair('Rita Reporter', 'rita@example.net'), keyPair('Mallory', 'rita@example.net')]);
  }, 60_000);
  afterAll(() => d?.close());

  it('decrypts PGP/MIME (RFC 3156) with the desk key: text, files, protected subject, signature and key inside', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7]).toString('base64');
    const entity = CRLF([
      'Content-Type: multipart/mixed; boundary="inner"; protected-headers="v1"',
      'Subject: RCE via the upload form',
      '',
      '--inner',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Upload a .phar and it runs. Grüße.',
      '--inner',
      'Content-Type: image/png; name="poc.png"',
      'Content-Disposition: attachment; filename="poc.png"',
      'Content-Transfer-Encoding: base64',
      '',
      png,
      ...keyPart(rita.publicKey),
      '--inner--',
      '',
    ]);
    const h = head();
    const reply = await sendRaw(pgpMimeEncrypted(h, await encryptTo(entity, d.deskKey.publicKey, rita.privateKey)));
    expect(reply).toMatch(/^250 /);
    const row = await inbound(h.messageId);
    expect(row).toMatchObject({ outcome: 'report', encryption: 'pgp-mime', decryption: 'decrypted', signature: 'verified', signer_fingerprint: rita.fingerprint, sender_proof: 'none' });
    const rep = await report(row.report_id!);
    expect(rep).toMatchObject({ title: 'RCE via the upload form', description: 'Upload a .phar and it runs. Grüße.', reporter_key: expect.stringContaining('BEGIN PGP PUBLIC KEY BLOCK') });
    // the decrypted files are the report's; the ciphertext is not kept (the policy does not ask for it)
    expect((await files(rep.id)).map((f) => f.filename)).toEqual(['poc.png']);
    const note = (await messages(rep.id))[0]!.body;
    expect(note).toContain("Encryption: PGP/MIME encrypted, decrypted with the desk's key.");
    expect(note).toContain(`Signature: good signature by key ${rita.fingerprint.replace(/(.{4})/g, '$1 ').trim()} (rita@example.net).`);
    expect(note).toContain('the signing key came with the mail, so it proves only that its holder wrote this');
  });

  it('a signed reply through the reply address, checked against the stored key, proves the sender', async () => {
    const first = head({ to: 'security@example.org', subject: 'Signed report' });
    const signedPart = inner('Signed first report.', keyPart(rita.publicKey));
    expect(await sendRaw(await pgpMimeSigned(first, signedPart, rita.privateKey), ['security@example.org'])).toMatch(/^250 /);
    const row = await inbound(first.messageId);
    expect(row).toMatchObject({ signature: 'verified', sender_proof: 'none' });
    const rep = await report(row.report_id!);
    expect(rep.description).toBe('Signed first report.');
    const address = replyAddressFor(d.desk.ctx, rep)!;
    // now signed by the key the desk already has for this reporter: the From is proven
    const reply = head({ to: address, subject: 'Re: Signed report' });
    expect(await sendRaw(await pgpMimeSigned(reply, inner('A signed follow-up.'), rita.privateKey), [address])).toMatch(/^250 /);
    expect(await inbound(reply.messageId)).toMatchObject({ outcome: 'message', report_id: rep.id, signature: 'verified', sender_proof: 'pgp' });
    const notes = (await messages(rep.id)).filter((m) => m.internal);
    expect(notes.at(-1)!.body).toContain('Sender: Rita <rita@example.net>, proven by a good OpenPGP signature of the key the desk already had');
    // Mallory made a key in Rita's name and attaches it: verified by *that* key, but the sender is not proven,
    // and the stored key is not replaced
    const forged = head({ to: address, subject: 'Re: Signed report' });
    expect(await sendRaw(await pgpMimeSigned(forged, inner('Send the fix to me.', keyPart(mallory.publicKey)), mallory.privateKey), [address])).toMatch(/^250 /);
    expect(await inbound(forged.messageId)).toMatchObject({ signature: 'verified', signer_fingerprint: mallory.fingerprint, sender_proof: 'none' });
    expect((await report(rep.id)).reporter_key).toBe(rep.reporter_key);
    expect((await messages(rep.id)).filter((m) => m.internal).at(-1)!.body).toContain('a different OpenPGP key than the one stored for the reporter; the stored key was kept');
  });

  it('records a bad signature (changed on the way) and still files the mail', async () => {
    const h = head({ to: 'security@example.org', subject: 'Tampered' });
    const raw = await pgpMimeSigned(h, inner('Pay 10 EUR.', keyPart(rita.publicKey)), rita.privateKey, (s) => s.replace('10 EUR', '10000 EUR'));
    expect(await sendRaw(raw, ['security@example.org'])).toMatch(/^250 /);
    const row = await inbound(h.messageId);
    expect(row).toMatchObject({ outcome: 'report', signature: 'bad_signature', sender_proof: 'none' });
    expect((await messages(row.report_id!))[0]!.body).toContain('Signature: BAD SIGNATURE');
    // a signature by a key the desk does not have is not "bad": it is unchecked
    const u = head({ to: 'security@example.org', subject: 'Unknown signer' });
    expect(await sendRaw(await pgpMimeSigned(u, inner('Signed, key not sent.'), mallory.privateKey), ['security@example.org'])).toMatch(/^250 /);
    expect(await inbound(u.messageId)).toMatchObject({ signature: 'unknown_key' });
  });

  it('decrypts inline PGP, and marks text written outside the encrypted block', async () => {
    const messageId = mid();
    const armored = await encryptTo('Inline secret: the admin token is guessable.', d.deskKey.publicKey, rita.privateKey);
    const r = await d.send({ from: 'rita@example.net', to: 'crypt@example.org', subject: 'Inline', text: `Hello team,\n\n${armored}\n\n-- \nRita`, messageId });
    expect(r.ok).toBe(true);
    const row = await inbound(messageId);
    // signed, key not sent: checked against the keys of this address's earlier reports (which prove no identity)
    expect(row).toMatchObject({ encryption: 'inline', decryption: 'decrypted', signature: 'verified', signer_fingerprint: rita.fingerprint, sender_proof: 'none' });
    const rep = await report(row.report_id!);
    expect(rep.description).toBe('Inline secret: the admin token is guessable.\n\n[Written outside the encrypted part, sent unencrypted:]\nHello team,\n\n--\nRita');
    // inline clear-signed text with the key pasted below it
    const signedId = mid();
    const { createCleartextMessage, sign, readPrivateKey } = await import('openpgp');
    const clear = await sign({ message: await createCleartextMessage({ text: 'Clear-signed report.' }), signingKeys: await readPrivateKey({ armoredKey: rita.privateKey }) });
    await d.send({ from: 'rita@example.net', to: 'security@example.org', subject: 'Clearsigned', text: `${clear}\n${rita.publicKey}`, messageId: signedId });
    const srow = await inbound(signedId);
    expect(srow).toMatchObject({ signature: 'verified', signer_fingerprint: rita.fingerprint });
    const srep = await report(srow.report_id!);
    expect(srep.description).toBe('Clear-signed report.\n\n[Written outside the signed part:]\n[OpenPGP public key]');
    expect(srep.reporter_key).toContain('BEGIN PGP PUBLIC KEY BLOCK');
  });

  it('decrypts an attachment encrypted on its own (poc.txt.pgp)', async () => {
    const messageId = mid();
    const { encrypt, createMessage, readKey } = await import('openpgp');
    const binary = await encrypt({ message: await createMessage({ binary: Buffer.from('step 1: curl ...\n') }), encryptionKeys: await readKey({ armoredKey: d.deskKey.publicKey }), format: 'binary' });
    await d.send({ from: 'rita@example.net', to: 'security@example.org', subject: 'Encrypted file', text: 'See the file.', messageId, attachments: [{ filename: 'poc.txt.pgp', content: Buffer.from(binary as Uint8Array) }] });
    const row = await inbound(messageId);
    const kept = await files(row.report_id!);
    expect(kept.map((f) => [f.filename, f.content_type, Buffer.from(f.data).toString()])).toEqual([['poc.txt', 'text/plain', 'step 1: curl ...\n']]);
  });

  it('keeps mail it cannot decrypt (encrypted to another key) as the encrypted original', async () => {
    const h = head({ subject: 'Wrong key' });
    expect(await sendRaw(pgpMimeEncrypted(h, await encryptTo('for someone else', mallory.publicKey)))).toMatch(/^250 /);
    const row = await inbound(h.messageId);
    expect(row).toMatchObject({ outcome: 'report', encryption: 'pgp-mime', decryption: 'failed' });
    const rep = await report(row.report_id!);
    expect(rep.description).toContain('[This mail arrived encrypted and the desk could not decrypt it; the encrypted original is kept (encrypted-mail.eml.asc).]');
    const kept = await files(rep.id);
    expect(kept.map((f) => [f.filename, f.content_type])).toEqual([['encrypted-mail.eml.asc', 'application/pgp-encrypted']]);
    expect(Buffer.from(kept[0]!.data).toString()).toContain('-----BEGIN PGP MESSAGE-----');
  });

  it('when the policy keeps encrypted mail encrypted at rest, no decrypted text reaches the database', async () => {
    const ctx = { ...d.desk.ctx, policy: { ...d.desk.ctx.policy, mailIntake: { keepEncryptedAtRest: true } } };
    const listener = await listenerFor(ctx);
    try {
      const secret = 'ZEBRA-7731 the private embargoed detail';
      const entity = inner(`${secret}\n`, keyPart(rita.publicKey));
      const h = head({ subject: 'Encrypted at rest' });
      const ciphertext = await encryptTo(entity, d.deskKey.publicKey, rita.privateKey);
      const replies = await rawSmtp(listener.port, { mailFrom: 'rita@example.net', rcptTo: ['crypt@example.org'], data: Buffer.from(pgpMimeEncrypted(h, ciphertext)) });
      expect(replies.at(-1)).toMatch(/^250 /);
      const row = await inbound(h.messageId);
      // decrypted in memory only: the signature and the key were read, the text was not stored
      expect(row).toMatchObject({ outcome: 'report', decryption: 'kept-encrypted', signature: 'verified' });
      const rep = await report(row.report_id!);
      expect(rep.title).toBe('Encrypted at rest');
      expect(rep.description).toBe('(The mail had no text.)\n\n[This mail arrived encrypted and stays encrypted at rest: the desk kept only the encrypted original (encrypted-mail.eml.asc).]');
      expect(rep.reporter_key).toContain('BEGIN PGP PUBLIC KEY BLOCK');
      const kept = await files(rep.id);
      expect(kept.map((f) => f.filename)).toEqual(['encrypted-mail.eml.asc']);
      expect(Buffer.from(kept[0]!.data).toString().replace(/\r\n/g, '\n').trim()).toBe(ciphertext.trim());
      // the whole database, as text, holds the secret nowhere
      const dump = JSON.stringify([await d.desk.ctx.db.selectFrom('reports').selectAll().execute(), await d.desk.ctx.db.selectFrom('messages').selectAll().execute(), await d.desk.ctx.db.selectFrom('report_events').selectAll().execute(), await d.desk.ctx.db.selectFrom('audit_log').selectAll().execute()]);
      expect(dump).not.toContain('ZEBRA-7731');
      const blobs = await d.desk.ctx.db.selectFrom('attachments').select('data').execute();
      expect(blobs.some((b) => Buffer.from(b.data).includes('ZEBRA-7731'))).toBe(false);
      // inline PGP likewise: the block is kept as a file, the text around it (sent in the clear) stays
      const inlineId = mid();
      const armored = await encryptTo('ZEBRA-7731 inline', d.deskKey.publicKey);
      expect((await sendTo(listener.port, { from: 'rita@example.net', to: 'crypt@example.org', subject: 'Inline at rest', text: `Hi,\n${armored}`, messageId: inlineId })).ok).toBe(true);
      const irep = await report((await inbound(inlineId)).report_id!);
      expect(irep.description).toBe('Hi,\n\n[This mail arrived encrypted and stays encrypted at rest: the desk kept only the encrypted original (encrypted-message.txt.asc).]');
      expect((await files(irep.id)).map((f) => f.filename)).toEqual(['encrypted-message.txt.asc']);
    } finally {
      await listener.close();
    }
  });

  it('without a desk key, encrypted mail is kept encrypted and the listener says so once', async () => {
    const ctx = { ...d.desk.ctx, signingKey: null };
    const listener = await listenerFor(ctx);
    try {
      const h = head({ subject: 'No key' });
      const replies = await rawSmtp(listener.port, { mailFrom: 'rita@example.net', rcptTo: ['crypt@example.org'], data: Buffer.from(pgpMimeEncrypted(h, await encryptTo('x', d.deskKey.publicKey))) });
      expect(replies.at(-1)).toMatch(/^250 /);
      expect(await inbound(h.messageId)).toMatchObject({ decryption: 'failed' });
      expect(d.desk.logs.join('')).toContain('the policy takes encrypted mail but the desk has no usable OpenPGP key');
    } finally {
      await listener.close();
    }
  });
});
