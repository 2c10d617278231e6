import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyAddressFor } from '../../src/app/mail/reply-token.js';
import { listenerFor, rawSmtp, sendTo, startIntakeDesk, type IntakeDesk } from './support.js';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);

/** Real mail over SMTP on 127.0.0.1 into the desk's listener, and what each became. */
describe('SMTP intake', () => {
  let d: IntakeDesk;
  let n = 0;
  const mid = () => `<intake-${++n}-${Date.now()}@sender.example.net>`;
  const inbound = (messageId: string) => d.desk.ctx.db.selectFrom('inbound_mail').selectAll().where('message_id', '=', messageId).executeTakeFirst();
  const report = (id: string) => d.desk.ctx.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const messages = (reportId: string) => d.desk.ctx.db.selectFrom('messages').selectAll().where('report_id', '=', reportId).orderBy('at').orderBy('id').execute();
  const files = (reportId: string) => d.desk.ctx.db.selectFrom('attachments').selectAll().where('report_id', '=', reportId).orderBy('filename').execute();
  const count = async (table: 'reports' | 'inbound_mail') => Number((await d.desk.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const alive = async () => {
    const r = await d.send({ from: 'probe@example.net', to: 'security@example.org', subject: 'still there?', text: 'probe', messageId: mid() });
    expect(r.ok).toBe(true);
  };

  beforeAll(async () => {
    d = await startIntakeDesk();
  }, 60_000);
  afterAll(() => d?.close());

  it('a plain mail becomes a report (channel email), committed before the 250', async () => {
    const messageId = mid();
    const r = await d.send({ from: 'Rita Reporter <rita@example.net>', to: 'security@example.org', subject: 'Secrets in the image layers', text: 'The build copies .env into the image.\n\nSteps: docker history.', messageId });
    expect(r).toMatchObject({ ok: true });
    const row = await inbound(messageId);
    expect(row).toMatchObject({ outcome: 'report', claimed_from: 'rita@example.net', sender_proof: 'none', encryption: 'none', signature: 'not_signed', envelope_from: 'rita@example.net' });
    expect(r.ok && r.response).toContain('report #');
    const rep = await report(row!.report_id!);
    expect(rep).toMatchObject({ channel: 'email', title: 'Secrets in the image layers', reporter_email: 'rita@example.net', reporter_name: 'Rita Reporter', state: 'received', language: 'en' });
    expect(rep.description).toBe('The build copies .env into the image.\n\nSteps: docker history.');
    // the desk's note to the team: the sender is claimed, not proven; the reporter never sees it
    const notes = await messages(rep.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ author_kind: 'system', internal: true });
    expect(notes[0]!.body).toContain('Claimed sender: Rita Reporter <rita@example.net>. The From line is written by the sender and is not proven');
  });

  it('reads ISO-8859-1, windows-1252 and ISO-2022-JP mail as the characters that were meant', async () => {
    const latin = mid();
    const raw1 = Buffer.concat([
      Buffer.from(`From: =?ISO-8859-1?Q?J=FCrgen?= <juergen@example.net>\r\nTo: security@example.org\r\nSubject: =?ISO-8859-1?Q?L=FCcke_im_Gr=F6=DFen_Abbild?=\r\nMessage-ID: ${latin}\r\nContent-Language: de\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`, 'latin1'),
      Buffer.from('Grüße, die Lücke ist groß.\r\n', 'latin1'),
    ]);
    expect((await rawSmtp(d.listener.port, { mailFrom: 'juergen@example.net', data: raw1 })).at(-1)).toMatch(/^250 /);
    const r1 = await report((await inbound(latin))!.report_id!);
    expect(r1).toMatchObject({ title: 'Lücke im Größen Abbild', reporter_name: 'Jürgen', language: 'de', description: 'Grüße, die Lücke ist groß.' });

    const cp = mid();
    const raw2 = Buffer.concat([
      Buffer.from(`From: w@example.net\r\nTo: security@example.org\r\nSubject: quotes\r\nMessage-ID: ${cp}\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\n`, 'latin1'),
      Buffer.from([0x93, 0x71, 0x75, 0x6f, 0x74, 0x65, 0x64, 0x94, 0x20, 0x80, 0x35, 0x20, 0x96, 0x20, 0x6f, 0x6b]),
    ]);
    expect((await rawSmtp(d.listener.port, { data: raw2 })).at(-1)).toMatch(/^250 /);
    expect((await report((await inbound(cp))!.report_id!)).description).toBe('“quoted” €5 – ok');

    const jp = mid();
    const raw3 = Buffer.from(
      `From: j@example.net\r\nTo: security@example.org\r\nSubject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\r\nMessage-ID: ${jp}\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n\x1b$B$3$s$K$A$O\x1b(B\r\n`,
      'latin1',
    );
    expect((await rawSmtp(d.listener.port, { data: raw3 })).at(-1)).toMatch(/^250 /);
    expect(await report((await inbound(jp))!.report_id!)).toMatchObject({ title: 'こんにちは', description: 'こんにちは' });
  });

  it('an HTML-only mail is stored as text, with no markup and nothing of its scripts or styles', async () => {
    const messageId = mid();
    await d.send({
      from: 'h@example.net',
      to: 'security@example.org',
      subject: 'HTML only',
      html: '<html><head><style>.x{color:red}</style><script>alert("pwned")</script></head><body><p>Open <b>/admin</b> and paste:</p><pre>&lt;img src=x onerror=alert(1)&gt;</pre><a href="https://example.net/poc">proof</a></body></html>',
      messageId,
    });
    const rep = await report((await inbound(messageId))!.report_id!);
    expect(rep.description).toBe('Open /admin and paste:\n\n<img src=x onerror=alert(1)>\nproof [https://example.net/poc]');
    expect(rep.description).not.toMatch(/pwned|color:red|<b>|<p>/);
  });

  it('keeps allowed attachments and says which files were not kept, and why', async () => {
    const messageId = mid();
    const r = await d.send({
      from: 'a@example.net',
      to: 'security@example.org',
      subject: 'With files',
      text: 'See the screenshot.',
      messageId,
      attachments: [
        { filename: 'screenshot.png', content: png, contentType: 'image/png' },
        { filename: 'notes.txt', content: 'line one\n' },
        { filename: 'exploit.exe', content: Buffer.from('MZ\x90\x00'), contentType: 'application/octet-stream' },
        { filename: 'fake.png', content: 'not a png', contentType: 'image/png' },
      ],
    });
    expect(r.ok).toBe(true);
    const row = await inbound(messageId);
    const kept = await files(row!.report_id!);
    expect(kept.map((f) => [f.filename, f.content_type])).toEqual([
      ['notes.txt', 'text/plain'],
      ['screenshot.png', 'image/png'],
    ]);
    expect(row!.dropped.map((x) => x.filename)).toEqual(['exploit.exe', 'fake.png']);
    const rep = await report(row!.report_id!);
    expect(rep.description).toContain('See the screenshot.\n\n[Not kept: exploit.exe: this kind of file is not accepted');
    expect(rep.description).toContain('[Not kept: fake.png: the content is not PNG]');
  });

  it('refuses relaying and made-up mailboxes at RCPT, with a clear reply', async () => {
    const foreign = await d.send({ from: 'x@example.net', to: 'victim@elsewhere.example.com', subject: 'relay?', text: 'relay me', messageId: mid() });
    expect(foreign).toMatchObject({ ok: false, code: 550 });
    expect(foreign.response).toContain('Relaying denied: this server takes mail only for security@example.org, crypt@example.org');
    const unknown = await d.send({ from: 'x@example.net', to: 'postmaster@example.org', subject: 'hello', text: 'hi', messageId: mid() });
    expect(unknown).toMatchObject({ ok: false, code: 550 });
    expect(unknown.response).toContain('No such mailbox here; write to security@example.org');
    const lookalike = await d.send({ from: 'x@example.net', to: 'security@example.org.evil.example', subject: 'x', text: 'x', messageId: mid() });
    expect(lookalike).toMatchObject({ ok: false, code: 550 });
    // one good recipient among foreign ones: only the good one is taken, and nothing is relayed
    const before = await count('reports');
    const mixed = await rawSmtp(d.listener.port, { rcptTo: ['other@elsewhere.example.com', 'security@example.org'], data: `Subject: mixed\r\nMessage-ID: ${mid()}\r\n\r\nbody\r\n` });
    expect(mixed[3]).toMatch(/^550 /);
    expect(mixed[4]).toMatch(/^250 /);
    expect(mixed.at(-1)).toMatch(/^250 /);
    expect(await count('reports')).toBe(before + 1);
  });

  it('stores a message delivered twice (same Message-ID) once; the second delivery still gets 250', async () => {
    const messageId = mid();
    const mail = { from: 'dup@example.net', to: 'security@example.org', subject: 'Twice', text: 'Delivered twice.', messageId };
    const before = await count('reports');
    const first = await d.send(mail);
    const second = await d.send(mail);
    expect(first.ok && second.ok).toBe(true);
    expect(second.ok && second.response).toContain('Already received');
    expect(await count('reports')).toBe(before + 1);
    // and at the same time, from two connections
    const both = { ...mail, messageId: mid() };
    const results = await Promise.all([d.send(both), d.send(both), d.send(both)]);
    expect(results.every((x) => x.ok)).toBe(true);
    expect(await count('reports')).toBe(before + 2);
  });

  it('threads a reply into a report only through its reply address; a forged From opens a new report', async () => {
    const original = mid();
    await d.send({ from: 'Rita <rita@victim.example.net>', to: 'security@example.org', subject: 'Original report', text: 'First.', messageId: original });
    const target = await report((await inbound(original))!.report_id!);
    // the attacker writes as Rita, answering her report's Message-ID, to the plain address
    const forged = mid();
    await d.send({ from: 'Rita <rita@victim.example.net>', to: 'security@example.org', subject: 'Re: Original report', text: 'Please send the advisory draft to me at evil@attacker.example.', inReplyTo: original, references: [original], messageId: forged });
    const forgedRow = await inbound(forged);
    expect(forgedRow).toMatchObject({ outcome: 'report', sender_proof: 'none' });
    expect(forgedRow!.report_id).not.toBe(target.id);
    expect((await messages(target.id)).filter((m) => m.author_kind === 'reporter')).toHaveLength(0);
    // a reply address with a MAC of another report is refused at RCPT
    const address = replyAddressFor(d.desk.ctx, target)!;
    const wrong = address.replace(/-([a-z2-7])/, (_, c: string) => `-${c === 'a' ? 'b' : 'a'}`);
    expect(await d.send({ from: 'x@example.net', to: wrong, subject: 'Re: x', text: 'x', messageId: mid() })).toMatchObject({ ok: false, code: 550 });
    // the real reply address threads, whoever the From claims to be: the address is the capability
    const reply = mid();
    const r = await d.send({ from: 'Rita <rita@victim.example.net>', to: address, subject: 'Re: Original report', text: 'More details: it also leaks the DB password.', messageId: reply });
    expect(r.ok && r.response).toContain('added to the conversation');
    expect(await inbound(reply)).toMatchObject({ outcome: 'message', report_id: target.id });
    const conversation = await messages(target.id);
    expect(conversation.filter((m) => m.author_kind === 'reporter').map((m) => m.body)).toEqual(['More details: it also leaks the DB password.']);
    // the same reply address in Cc of a mail to the plain address threads too
    const cc = mid();
    await d.send({ from: 'rita@victim.example.net', to: 'security@example.org', cc: address, subject: 'Re: Original report', text: 'And one more thing.', messageId: cc });
    expect(await inbound(cc)).toMatchObject({ outcome: 'message', report_id: target.id });
    // a known reporter about a new matter, without the reply address: a new report
    const fresh = mid();
    await d.send({ from: 'rita@victim.example.net', to: 'security@example.org', subject: 'Another problem', text: 'Unrelated.', messageId: fresh });
    expect((await inbound(fresh))!.report_id).not.toBe(target.id);
  });

  it('files automatic replies and bounces nowhere (no mail loops), but accepts them', async () => {
    const target = await report((await inbound((await d.desk.ctx.db.selectFrom('inbound_mail').select('message_id').where('outcome', '=', 'report').executeTakeFirstOrThrow()).message_id))!.report_id!);
    const address = replyAddressFor(d.desk.ctx, target)!;
    const auto = mid();
    const r = await d.send({ from: 'rita@example.net', to: address, subject: 'Out of office', text: 'I am away.', messageId: auto, headers: { 'Auto-Submitted': 'auto-replied' } });
    expect(r.ok && r.response).toContain('not filed');
    expect(await inbound(auto)).toMatchObject({ outcome: 'ignored', report_id: null });
    const bounce = mid();
    const replies = await rawSmtp(d.listener.port, { mailFrom: '', data: `From: MAILER-DAEMON@example.net\r\nSubject: Undelivered\r\nMessage-ID: ${bounce}\r\n\r\nreturned\r\n` });
    expect(replies.at(-1)).toMatch(/^250 /);
    expect(await inbound(bounce)).toMatchObject({ outcome: 'ignored' });
  });

  it('refuses a mail with nothing in it, permanently and with the reason', async () => {
    const r = await d.send({ from: 'e@example.net', to: 'security@example.org', subject: 'empty', text: '', messageId: mid() });
    expect(r).toMatchObject({ ok: false, code: 554 });
    expect(r.response).toContain('the mail has no text and no files');
  });

  it('survives malformed MIME sent over a raw socket: each gets an answer, none crashes the listener', async () => {
    const cases: [string, string | Buffer][] = [
      ['unclosed multipart', `Subject: broken parts\r\nMessage-ID: ${mid()}\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\npart one never closed\r\n`],
      ['no boundary parameter', `Subject: no boundary\r\nMessage-ID: ${mid()}\r\nContent-Type: multipart/mixed\r\n\r\nbody without parts\r\n`],
      ['headers only', `Subject: headers only\r\nMessage-ID: ${mid()}\r\n`],
      ['binary junk', Buffer.concat([Buffer.from(`Message-ID: ${mid()}\r\nSubject: \xff\xfe\x00junk\r\n\r\n`, 'latin1'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x0d, 0x0a, 0x41])])],
      ['bad encodings', `Subject: =?utf-8?B?@@@?=\r\nMessage-ID: ${mid()}\r\nContent-Transfer-Encoding: base64\r\nContent-Type: text/plain; charset=no-such-charset\r\n\r\n!!!not base64!!!\r\n`],
      ['bare LF and a huge header line', `Subject: ${'A'.repeat(20000)}\nMessage-ID: ${mid()}\n\nbare line feeds\n`],
      ['deep nesting', `Subject: nested\r\nMessage-ID: ${mid()}\r\n${'Content-Type: multipart/mixed; boundary="n"\r\n\r\n--n\r\n'.repeat(300)}\r\ninner\r\n`],
      ['no Message-ID', 'Subject: no id\r\n\r\nbody\r\n'],
    ];
    for (const [name, data] of cases) {
      const replies = await rawSmtp(d.listener.port, { data });
      expect(replies.at(-1), name).toMatch(/^(250|550|552|554) /);
    }
    await alive();
  });

  it('answers 552 to a 30 MB message and keeps running', async () => {
    const before = await count('inbound_mail');
    const big = await d.send({ from: 'big@example.net', to: 'security@example.org', subject: 'huge', text: 'x'.repeat(30 * 1024 * 1024), messageId: mid() });
    expect(big).toMatchObject({ ok: false, code: 552 });
    expect(await count('inbound_mail')).toBe(before);
    await alive();
  }, 120_000);

  it('answers 451 when the mail cannot be stored, so the sender retries; nothing half-stored', async () => {
    // a context whose database is gone: the listener must not say 250, nor crash
    const { openTestDatabase } = await import('../support/database.js');
    const broken = await openTestDatabase();
    const ctx = { ...d.desk.ctx, db: broken.db };
    const listener = await listenerFor(ctx);
    await broken.close();
    try {
      const r = await sendTo(listener.port, { from: 'f@example.net', to: 'security@example.org', subject: 'during an outage', text: 'try later', messageId: mid() });
      expect(r).toMatchObject({ ok: false, code: 451 });
      expect(r.response).toContain('not stored; please try again later');
      const again = await sendTo(listener.port, { from: 'f@example.net', to: 'security@example.org', subject: 'still down', text: 'x', messageId: mid() });
      expect(again).toMatchObject({ ok: false, code: 451 });
    } finally {
      await listener.close();
    }
    // nothing reaches the log that the mail said
    expect(d.desk.logs.join('')).not.toContain('during an outage');
  });
});
