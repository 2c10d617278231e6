import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyAddressFor } from '../../src/app/mail/reply-token.js';
import { postTeamMessage } from '../../src/app/reports/post-team-message.js';
import { transitionReport } from '../../src/app/reports/transition-report.js';
import { replyAsReporter } from '../../src/app/reporter/reply-as-reporter.js';
import { createMember, type TestMember } from '../support/team.js';
import { decryptPgpMime } from '../support/mail-sink.js';
import { outbox, reporterKeyPair, startMailDesk, type MailDesk } from './support.js';

const NOW = new Date('2026-11-23T10:00:00Z');

/** A report through the public API, as a reporter would send it. */
async function submit(m: MailDesk, over: Record<string, unknown> = {}): Promise<{ id: string; number: number; token: string; trackingUrl: string }> {
  const res = await m.desk.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ title: 'Secrets in the image layers', description: 'The build copies .env into the image.', reporterName: 'Rita', reporterEmail: 'rita@example.org', attachments: [], ...over }),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('mail to the reporter', () => {
  let m: MailDesk;
  let member: TestMember;
  beforeAll(async () => {
    m = await startMailDesk({ now: NOW });
    member = await createMember(m.desk, { role: 'member' });
  }, 60_000);
  afterAll(() => m?.close());

  const mailsTo = (address: string, from = 0) => m.sink.messages.slice(from).filter((x) => x.to.includes(address));

  it('acknowledges a report with the tracking link and the promises, from the desk, with the report’s reply address; the link is erased once sent', async () => {
    const before = m.sink.messages.length;
    const r = await submit(m);
    const ackRow = (await outbox(m.desk)).find((row) => row.dedupe_key === `ack:${r.id}`)!;
    expect(ackRow).toMatchObject({ kind: 'ack', status: 'pending', recipient: 'rita@example.org' });
    // sealed, not the link itself
    expect(ackRow.secret).toMatch(/^v1\./);
    expect(ackRow.secret).not.toContain(r.token);

    const outcomes = await m.deliver();
    expect(outcomes.filter((o) => o.outcome === 'sent').length).toBeGreaterThanOrEqual(1);
    const [ack] = mailsTo('rita@example.org', before);
    expect(ack).toBeDefined();
    expect(ack!.parsed.subject).toBe(`Your report #${r.number} has arrived`);
    expect(ack!.parsed.from?.value[0]).toMatchObject({ address: 'security@example.org', name: 'Example Security Team' });
    expect(ack!.parsed.replyTo?.value[0]?.address).toBe(replyAddressFor(m.desk.ctx, r));
    expect(ack!.parsed.messageId).toBe(ackRow.message_id);
    const text = ack!.parsed.text ?? '';
    expect(text).toContain('Hello Rita,');
    expect(text).toContain(r.trackingUrl);
    expect(text).toContain('“Secrets in the image layers”');
    expect(text).toContain('We will acknowledge your report within 24 hours');
    expect(text).toContain('This confirmation is our acknowledgement of your report.');
    expect(text).toContain('You can also answer this e-mail');

    const sent = (await outbox(m.desk)).find((row) => row.id === ackRow.id)!;
    expect(sent).toMatchObject({ status: 'sent', secret: null, attempts: 1, last_error: null });
  });

  it('the acknowledgement counts as the acknowledge clock: a transition by the desk, and no second mail about it', async () => {
    const r = await submit(m);
    const before = m.sink.messages.length;
    await m.deliver();
    const report = await m.desk.ctx.db.selectFrom('reports').select(['state', 'acknowledged_at']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(report).toEqual({ state: 'acknowledged', acknowledged_at: NOW });
    const events = await m.desk.ctx.db.selectFrom('report_events').select(['kind', 'actor_kind', 'data']).where('report_id', '=', r.id).orderBy('id').execute();
    expect(events.at(-1)).toMatchObject({ kind: 'state', actor_kind: 'system', data: { from: 'received', to: 'acknowledged', automatic: true } });
    await m.deliver();
    await m.deliver();
    expect(mailsTo('rita@example.org', before).map((x) => x.parsed.subject)).toEqual([`Your report #${r.number} has arrived`]);
  });

  it('tells the reporter of each state change and each team message, not of private notes or their own replies', async () => {
    const r = await submit(m);
    await m.deliver();
    const before = m.sink.messages.length;
    expect((await transitionReport(m.desk.ctx, { reportId: r.id, actorId: member.id, action: { type: 'request_info' } })).ok).toBe(true);
    await postTeamMessage(m.desk.ctx, { reportId: r.id, authorId: member.id, body: 'Which tag did you test?\nPlease include the digest.', internal: false });
    await postTeamMessage(m.desk.ctx, { reportId: r.id, authorId: member.id, body: 'PRIVATE NOTE: probably a duplicate', internal: true });
    await replyAsReporter(m.desk.ctx, { reportId: r.id, body: 'It was 5.2.1-apache.', attachments: [] });
    expect((await transitionReport(m.desk.ctx, { reportId: r.id, actorId: member.id, action: { type: 'reject', reason: 'invalid' } })).ok).toBe(true);
    await m.deliver();
    const got = mailsTo('rita@example.org', before);
    // The reporter's reply resumed the report: their own doing, so no mail about it.
    const subject = (s: string) => got.find((x) => x.parsed.subject === s)?.parsed.text ?? '';
    expect(got.map((x) => x.parsed.subject).sort()).toEqual([`A message about your report #${r.number}`, `Your report #${r.number} is closed`, `Your report #${r.number} is waiting for your answer`]);
    expect(subject(`A message about your report #${r.number}`)).toContain('Which tag did you test?\nPlease include the digest.');
    expect(subject(`Your report #${r.number} is closed`)).toContain('It was not found to be a vulnerability.');
    expect(subject(`Your report #${r.number} is waiting for your answer`)).toContain('the assessment clock is paused until you do');
    for (const x of got) {
      expect(x.parsed.text).not.toContain('PRIVATE NOTE');
      expect(x.parsed.text).not.toContain(r.token);
      expect(x.parsed.inReplyTo).toBe(`<report.${r.id}@desk.example.test>`);
    }
    // each occasion once, however often the notifier looks
    await m.deliver();
    expect(mailsTo('rita@example.org', before)).toHaveLength(3);
  });

  it('writes in the report’s language: German', async () => {
    const before = m.sink.messages.length;
    const r = await submit(m, { language: 'de', reporterEmail: 'renate@example.org', reporterName: 'Renate' });
    await m.deliver();
    await transitionReport(m.desk.ctx, { reportId: r.id, actorId: member.id, action: { type: 'accept' } });
    await postTeamMessage(m.desk.ctx, { reportId: r.id, authorId: member.id, body: 'Danke, wir beheben das.', internal: false });
    await m.deliver();
    const got = mailsTo('renate@example.org', before);
    const [ack, ...later] = got;
    expect(ack!.parsed.subject).toBe(`Ihre Meldung Nr. ${r.number} ist eingegangen`);
    expect(ack!.parsed.text).toContain('Guten Tag Renate,\n\nvielen Dank, dass Sie dem Example Security Team von Mail Test Image eine Schwachstelle melden.');
    expect(ack!.parsed.text).toContain('ist am Montag, 23. November 2026, 11:00 Uhr MEZ eingegangen.');
    expect(ack!.parsed.text).toContain('- Wir bestätigen Ihre Meldung innerhalb von 24 Stunden nach Eingang');
    expect(ack!.parsed.text).toContain('Diese Nachricht ist unsere Eingangsbestätigung.');
    expect(ack!.parsed.text).toContain('Sie können auch auf diese E-Mail antworten');
    const subject = (s: string) => later.find((x) => x.parsed.subject === s)?.parsed.text ?? '';
    expect(later.map((x) => x.parsed.subject).sort()).toEqual([`Eine Nachricht zu Ihrer Meldung Nr. ${r.number}`, `Ihre Meldung Nr. ${r.number} ist als Schwachstelle anerkannt`]);
    expect(subject(`Ihre Meldung Nr. ${r.number} ist als Schwachstelle anerkannt`)).toContain('Das Team hat die Schwachstelle bestätigt und wird sie beheben.');
    expect(subject(`Eine Nachricht zu Ihrer Meldung Nr. ${r.number}`)).toContain('Das Team hat Ihnen zu Ihrer Meldung Nr.');
    expect(subject(`Eine Nachricht zu Ihrer Meldung Nr. ${r.number}`)).toContain('Danke, wir beheben das.');
  });

  it('encrypts to the reporter’s key (PGP/MIME, RFC 3156): nothing readable outside, everything inside', async () => {
    const keys = await reporterKeyPair('kim@example.org');
    const r = await submit(m, { reporterEmail: 'kim@example.org', reporterName: 'Kim' });
    await m.desk.ctx.db.updateTable('reports').set({ reporter_key: keys.publicKey }).where('id', '=', r.id).execute();
    const before = m.sink.messages.length;
    await m.deliver();
    await postTeamMessage(m.desk.ctx, { reportId: r.id, authorId: member.id, body: 'The fix lands in 5.2.2; please verify.', internal: false });
    await m.deliver();
    const got = mailsTo('kim@example.org', before);
    expect(got).toHaveLength(2);
    for (const x of got) {
      const raw = x.raw.toString('utf8');
      expect(x.parsed.subject).toBe('...');
      expect(raw).not.toContain('Secrets in the image layers');
      expect(raw).not.toContain('5.2.2');
      expect(raw).not.toContain(r.token);
      expect(raw).toMatch(/Content-Type: multipart\/encrypted; protocol="application\/pgp-encrypted"/);
      expect(raw).toContain('Version: 1');
    }
    const ack = await decryptPgpMime(got[0]!, keys.privateKey);
    expect(ack.inner.subject).toBe(`Your report #${r.number} has arrived`);
    expect(ack.inner.text).toContain(r.trackingUrl);
    const msg = await decryptPgpMime(got[1]!, keys.privateKey);
    expect(msg.inner.subject).toBe(`A message about your report #${r.number}`);
    expect(msg.inner.text).toContain('The fix lands in 5.2.2; please verify.');
    expect(msg.innerRaw).toMatch(/^Content-Type: text\/plain; charset=utf-8; protected-headers=/);
  });

  it('a reporter key that cannot encrypt fails the mail at once, with the reason; nothing goes out in clear text', async () => {
    const r = await submit(m, { reporterEmail: 'lee@example.org' });
    await m.desk.ctx.db.updateTable('reports').set({ reporter_key: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n' }).where('id', '=', r.id).execute();
    const before = m.sink.messages.length;
    await m.deliver();
    expect(mailsTo('lee@example.org', before)).toHaveLength(0);
    const row = (await outbox(m.desk)).find((x) => x.dedupe_key === `ack:${r.id}`)!;
    expect(row.status).toBe('failed');
    expect(row.last_error).toMatch(/^the reporter's OpenPGP key cannot be used: it is not an OpenPGP public key/);
    // the link stays sealed for a retry once the key is fixed
    expect(row.secret).toMatch(/^v1\./);
  });

  it('an anonymous report (no address) gets no mail, and the team still hears of it', async () => {
    const r = await submit(m, { reporterEmail: '', reporterName: '' });
    await m.deliver();
    const rows = (await outbox(m.desk)).filter((x) => x.report_id === r.id);
    expect(rows.map((x) => x.kind)).toEqual(['new-report']);
    expect(rows[0]!.recipient).toBe(member.email);
  });
});
