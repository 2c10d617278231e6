import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withdrawAdvisory } from '../../src/app/advisories/withdraw-advisory.js';
import { announcePublished } from '../../src/app/announcements/announce-published.js';
import { sendDueMail } from '../../src/app/notifications/send-due-mail.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { startMailSink, type MailSink, type SinkMessage } from '../support/mail-sink.js';
import { advisory, bilingualPolicy, confirmByLink, digest, linkIn, NOW, prepareDesk, subscribeForm } from './support.js';

const BASE = 'https://desk.example.test';
/** A header's value as it was sent (unfolded), or '' when the mail has none. */
const header = (m: SinkMessage, name: string) => (m.parsed.headerLines.find((h) => h.key === name)?.line ?? '').replace(/^[^:]*:\s*/, '').replace(/\r?\n[ \t]+/g, ' ');

describe(`announcements by mail: subscribe, confirm, announce, unsubscribe (${testEngine()})`, () => {
  let sink: MailSink;
  let desk: TestDesk;
  let admin: { id: string; role: 'admin' };
  const subscriber = (email: string) => desk.ctx.db.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
  const send = () => sendDueMail(desk.ctx);

  beforeAll(async () => {
    sink = await startMailSink();
    desk = await startTestDesk({ now: NOW, env: { CVDESK_MAIL_URL: sink.url, CVDESK_MAIL_FROM: 'Mautic Security <security@desk.example.test>', CVDESK_POLICY: await bilingualPolicy() } });
    admin = await prepareDesk(desk);
  }, 60_000);
  afterAll(async () => {
    await desk?.close();
    await sink?.close();
  });

  it('subscribe → confirmation mail → confirm → publication → one announcement with the list headers → one-click unsubscribe → the next publication mails nobody', async () => {
    expect((await desk.app.inject({ url: '/advisories' })).body).toContain('href="/advisories/subscribe"');
    const asked = await subscribeForm(desk, { email: ' Ada@Example.org ', language: 'en' });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Check your mail');
    expect(asked.body.toLowerCase()).not.toContain('ada@example.org');

    await send();
    const [confirmMail] = await sink.waitFor(1);
    expect(confirmMail!.to).toEqual(['ada@example.org']);
    expect(confirmMail!.parsed.subject).toBe('Confirm: security advisories of Mautic Docker image by e-mail');
    expect(header(confirmMail!, 'list-unsubscribe')).toBe('');
    const link = linkIn(confirmMail!.parsed.text ?? '', `${BASE}/advisories/confirm/`);

    // Opening the link (as a mail scanner does) confirms nothing; the button's POST needs the page's CSRF token.
    const opened = await desk.app.inject({ url: new URL(link).pathname });
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('Confirm the subscription');
    expect(opened.headers['cache-control']).toBe('no-store');
    const forged = await desk.app.inject({ method: 'POST', url: new URL(link).pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(forged.statusCode).toBe(403);
    expect((await subscriber('ada@example.org')).state).toBe('pending');
    const confirmed = await confirmByLink(desk, link);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('Subscribed');
    const ada = await subscriber('ada@example.org');
    expect(ada).toMatchObject({ state: 'confirmed', language: 'en', confirm_hash: null });
    expect((await desk.app.inject({ url: new URL(link).pathname })).statusCode).toBe(404); // a link works once

    // A draft and a scheduled advisory: nothing to announce.
    await advisory(desk, admin, 'A draft that stays a draft', 'draft');
    await advisory(desk, admin, 'A scheduled one, not due yet', 'scheduled');
    expect((await announcePublished(desk.ctx)).announced).toEqual([]);

    const first = await advisory(desk, admin, 'Apache variant serves the log folder');
    expect((await announcePublished(desk.ctx)).announced).toEqual([{ ident: first.ident, mails: 1, webhooks: 0 }]);
    expect((await announcePublished(desk.ctx)).announced).toEqual([]); // once
    await send();
    const [, announcement] = await sink.waitFor(2);
    const m = announcement!;
    expect(m.to).toEqual(['ada@example.org']);
    expect(m.parsed.subject).toBe(`[Mautic Docker image security] ${first.ident} (Medium): Apache variant serves the log folder`);
    const unsubscribeUrl = /^<(.+)>$/.exec(header(m, 'list-unsubscribe'))?.[1] ?? '';
    expect(unsubscribeUrl).toMatch(new RegExp(`^${BASE}/advisories/unsubscribe/[A-Za-z0-9_-]{43}$`));
    expect(header(m, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(header(m, 'list-id')).toBe('"Mautic Docker image security advisories" <advisories.desk.example.test>');
    expect(header(m, 'precedence')).toBe('bulk');
    const text = m.parsed.text ?? '';
    for (const expected of [
      `published the security advisory ${first.ident}`,
      'Severity: Medium (5.3)',
      'CVSS 3.1: 5.3 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N',
      `- docker.io/mautic/mautic:5.2.1-apache (${digest('2')}): move to docker.io/mautic/mautic:5.2.2-apache (${digest('4')})`,
      `- docker.io/mautic/mautic:5.2.2-apache (${digest('4')})`,
      'Move to 5.2.2-apache.',
      `${BASE}/advisories/${first.ident}`,
      `OSV: ${BASE}/advisories/${first.ident}.osv.json`,
      unsubscribeUrl,
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('A draft that stays a draft');
    expect(text).not.toContain('A scheduled one');

    // RFC 8058: the mail client's POST, no cookie and no CSRF token; again is the same answer.
    for (let i = 0; i < 2; i++) {
      const oneClick = await desk.app.inject({ method: 'POST', url: new URL(unsubscribeUrl).pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
      expect(oneClick.statusCode).toBe(200);
      expect(oneClick.body).toContain('Unsubscribed');
    }
    expect((await subscriber('ada@example.org')).state).toBe('unsubscribed');

    const second = await advisory(desk, admin, 'A second flaw');
    expect((await announcePublished(desk.ctx)).announced).toEqual([{ ident: second.ident, mails: 0, webhooks: 0 }]);
    expect(await send()).toEqual([]);
    expect(sink.messages).toHaveLength(2);

    // The links are secrets: never in a log line.
    const secrets = [new URL(link).pathname.split('/').at(-1)!, new URL(unsubscribeUrl).pathname.split('/').at(-1)!];
    for (const s of secrets) expect(desk.logs.join('\n')).not.toContain(s);
  });

  it('German mail for a German subscriber; the unsubscribe page has a button; nothing withdrawn or unsubscribed meanwhile is mailed', async () => {
    const before = sink.messages.length;
    expect((await subscribeForm(desk, { email: 'bea@example.org', language: 'de' }, { 'accept-language': 'de' })).body).toContain('Bitte sehen Sie in Ihr Postfach');
    await send();
    const confirmMail = (await sink.waitFor(before + 1))[before]!;
    expect(confirmMail.parsed.subject).toBe('Bitte bestätigen: Sicherheitshinweise von Mautic Docker image per E-Mail');
    expect((await confirmByLink(desk, linkIn(confirmMail.parsed.text ?? '', `${BASE}/advisories/confirm/`))).body).toContain('Abonniert');

    // Withdrawn before the announcer saw it: never announced.
    const withdrawn = await advisory(desk, admin, 'Published and withdrawn at once');
    const w = await withdrawAdvisory(desk.ctx, { id: withdrawn.id, actorId: admin.id, reason: 'Not a vulnerability after all.' });
    expect(w.ok).toBe(true);
    const third = await advisory(desk, admin, 'Dritte Lücke');
    expect((await announcePublished(desk.ctx)).announced).toEqual([{ ident: third.ident, mails: 1, webhooks: 0 }]);
    await send();
    const m = (await sink.waitFor(before + 2))[before + 1]!;
    expect(m.to).toEqual(['bea@example.org']);
    expect(m.parsed.subject).toBe(`[Mautic Docker image Sicherheit] ${third.ident} (Mittel): Dritte Lücke`);
    expect(m.parsed.text).toContain('Schweregrad: Mittel (5,3)');
    expect(m.parsed.text).toContain('Betroffene Images');
    expect(m.parsed.text).toContain('Mit einem Klick abbestellen:');
    expect(sink.messages.map((x) => x.parsed.subject).join('\n')).not.toContain('withdrawn at once');

    // Announced, but she unsubscribes through the page before the mail goes out: it is cancelled.
    const fourth = await advisory(desk, admin, 'Vierte Lücke');
    expect((await announcePublished(desk.ctx)).announced).toEqual([{ ident: fourth.ident, mails: 1, webhooks: 0 }]);
    const path = new URL(/^<(.+)>$/.exec(header(m, 'list-unsubscribe'))![1]!).pathname;
    const page = await desk.app.inject({ url: path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`action="${path}"`);
    expect(page.body).toContain('Abbestellen');
    expect(page.body).not.toContain('_csrf');
    expect((await subscriber('bea@example.org')).state).toBe('confirmed'); // the GET changed nothing
    const pressed = await desk.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(pressed.statusCode).toBe(200);
    expect(pressed.body).toContain('Abbestellt');
    const outcomes = await send();
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'cancelled', error: 'the address unsubscribed before the mail went out' })]);
    expect(sink.messages).toHaveLength(before + 2);
  });
});
