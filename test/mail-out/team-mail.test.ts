import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDigests } from '../../src/app/notifications/queue-digests.js';
import { remindDeadlines } from '../../src/app/notifications/remind-deadlines.js';
import { sendDueMail } from '../../src/app/notifications/send-due-mail.js';
import { removeMember } from '../../src/app/remove-member.js';
import { transitionReport } from '../../src/app/reports/transition-report.js';
import { submitReport } from '../../src/app/submit-report.js';
import { reportFieldsSchema } from '../../src/domain/reports/report-input.js';
import type { SinkMessage } from '../support/mail-sink.js';
import { createMember, loginAs, type TestMember } from '../support/team.js';
import { outbox, startMailDesk, type MailDesk } from './support.js';

const NOW = new Date('2026-11-23T10:00:00Z'); // Monday, 11:00 in Berlin
const HOUR = 3_600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

describe('mail to the team', () => {
  let m: MailDesk;
  let admin: TestMember;
  let member: TestMember;
  let coordA: TestMember;
  let coordB: TestMember;
  let idle: TestMember;
  let gone: TestMember;
  let a: { id: string; number: number };
  let b: { id: string; number: number };

  const fields = (title: string) =>
    reportFieldsSchema({ images: [], languages: ['en', 'de'], allowAnonymous: true, creditOffered: true }).parse({ title, description: `DESCRIPTION of ${title}: the secret details`, reporterEmail: 'rita@example.org' });
  const subjectsTo = (who: TestMember, from: number, match: RegExp) =>
    m.sink.messages
      .slice(from)
      .filter((x) => x.to.includes(who.email) && match.test(x.parsed.subject ?? ''))
      .map((x) => x.parsed.subject);

  beforeAll(async () => {
    // The acknowledgement is not automatic here, so its clock runs until a person acknowledges.
    m = await startMailDesk({ now: NOW, automatic: false, notifications: 'notifications:\n  dueSoon: 25%\n  stages:\n    acknowledge: 6 hours\n  digest: "0 8 * * *"\n' });
    admin = await createMember(m.desk, { role: 'admin' });
    member = await createMember(m.desk, { role: 'member' });
    gone = await createMember(m.desk, { role: 'member' });
    await removeMember(m.desk.ctx, { actorId: admin.id, userId: gone.id });
    a = await submitReport(m.desk.ctx, { fields: fields('Report A'), attachments: [], channel: 'web' });
    b = await submitReport(m.desk.ctx, { fields: fields('Report B'), attachments: [], channel: 'api' });
    coordA = await createMember(m.desk, { role: 'coordinator', reports: [a.id] });
    coordB = await createMember(m.desk, { role: 'coordinator', reports: [b.id] });
    idle = await createMember(m.desk, { role: 'coordinator' });
  }, 90_000);
  afterAll(() => m?.close());

  it('a new report goes to members and admins, and to coordinators invited to it; only its number, title and link', async () => {
    const from = m.sink.messages.length;
    await m.deliver();
    const newReport = /New report/;
    expect(subjectsTo(admin, from, newReport).sort()).toEqual([`[Mail Test Image] New report #${a.number}: Report A`, `[Mail Test Image] New report #${b.number}: Report B`]);
    expect(subjectsTo(member, from, newReport)).toHaveLength(2);
    expect(subjectsTo(coordA, from, newReport)).toEqual([`[Mail Test Image] New report #${a.number}: Report A`]);
    expect(subjectsTo(coordB, from, newReport)).toEqual([`[Mail Test Image] New report #${b.number}: Report B`]);
    expect(subjectsTo(idle, from, newReport)).toEqual([]);
    expect(subjectsTo(gone, from, /./)).toEqual([]);
    const mail = m.sink.messages.slice(from).find((x) => x.to.includes(member.email) && x.parsed.subject?.includes('Report A'))!;
    expect(mail.parsed.text).toContain(`A new report #${a.number} “Report A” came in through the web channel on Monday 23 November 2026, 11:00 CET.`);
    expect(mail.parsed.text).toContain('Its acknowledgement is due by Tuesday 24 November 2026, 11:00 CET.');
    expect(mail.parsed.text).toContain(`https://desk.example.test/team/reports/${a.number}`);
    expect(mail.raw.toString()).not.toContain('DESCRIPTION');
    expect(mail.parsed.replyTo).toBeUndefined();
  });

  it('"due soon" at the policy’s threshold for each stage, then "overdue"; each once; none once the stage is reached', async () => {
    const from = m.sink.messages.length;
    const due = /due soon|overdue/;
    m.desk.setNow(at(17 * HOUR)); // acknowledge: 24 hours, due soon 6 hours before
    expect((await remindDeadlines(m.desk.ctx)).queued).toBe(0);

    m.desk.setNow(at(18 * HOUR));
    expect((await remindDeadlines(m.desk.ctx)).queued).toBe(2 * 2 + 1 + 1); // admin and member for both, each coordinator for theirs
    expect((await remindDeadlines(m.desk.ctx)).queued).toBe(0);
    // B is acknowledged before the mail goes out: its reminders are cancelled, not sent
    expect((await transitionReport(m.desk.ctx, { reportId: b.id, actorId: member.id, action: { type: 'acknowledge' } })).ok).toBe(true);
    const outcomes = await sendDueMail(m.desk.ctx);
    expect(outcomes.filter((o) => o.outcome === 'cancelled')).toHaveLength(3);
    expect(outcomes.filter((o) => o.outcome === 'cancelled')[0]!.error).toBe('the acknowledge stage was reached before the mail went out');
    expect(subjectsTo(admin, from, due)).toEqual([`[Mail Test Image] Report #${a.number}: acknowledgement due soon`]);
    expect(subjectsTo(coordA, from, due)).toEqual([`[Mail Test Image] Report #${a.number}: acknowledgement due soon`]);
    expect(subjectsTo(coordB, from, due)).toEqual([]);
    const mail = m.sink.messages.slice(from).find((x) => x.to.includes(coordA.email))!;
    expect(mail.parsed.text).toContain(`The acknowledgement of report #${a.number} “Report A” is due by Tuesday 24 November 2026, 11:00 CET.`);

    m.desk.setNow(at(25 * HOUR));
    await remindDeadlines(m.desk.ctx);
    await sendDueMail(m.desk.ctx);
    expect(subjectsTo(member, from, due)).toEqual([`[Mail Test Image] Report #${a.number}: acknowledgement due soon`, `[Mail Test Image] Report #${a.number}: acknowledgement overdue`]);
    await remindDeadlines(m.desk.ctx);
    await sendDueMail(m.desk.ctx);
    expect(subjectsTo(member, from, due)).toHaveLength(2);

    // triage: 10 calendar days, due soon in its last 25% (from day 7.5), A's and B's alike
    await transitionReport(m.desk.ctx, { reportId: a.id, actorId: member.id, action: { type: 'acknowledge' } });
    m.desk.setNow(at(7 * 24 * HOUR + 11 * HOUR));
    expect((await remindDeadlines(m.desk.ctx)).queued).toBe(0);
    m.desk.setNow(at(7 * 24 * HOUR + 12 * HOUR));
    await remindDeadlines(m.desk.ctx);
    await sendDueMail(m.desk.ctx);
    expect(subjectsTo(member, from, /triage/).sort()).toEqual([`[Mail Test Image] Report #${a.number}: triage due soon`, `[Mail Test Image] Report #${b.number}: triage due soon`]);
    expect(subjectsTo(member, from, /acknowledgement/)).toHaveLength(2);
  });

  it('a daily digest per account with what it may see; cancelled when there is nothing to say', async () => {
    const slot = new Date('2026-12-04T07:00:00Z'); // 08:00 in Berlin, the day after both triage deadlines
    m.desk.setNow(slot);
    const from = m.sink.messages.length;
    const { date } = await queueDigests(m.desk.ctx, slot);
    expect(date).toBe('2026-12-04');
    expect((await queueDigests(m.desk.ctx, slot)).queued).toBe(0);
    const outcomes = await sendDueMail(m.desk.ctx);
    const digest = (who: TestMember): SinkMessage | undefined => m.sink.messages.slice(from).find((x) => x.to.includes(who.email) && /Digest/.test(x.parsed.subject ?? ''));
    expect(digest(admin)!.parsed.subject).toBe('[Mail Test Image] Digest for 2026-12-04: 2 open, 2 overdue');
    const text = digest(admin)!.parsed.text!;
    expect(text).toContain(`Hello ${admin.name}, this is where the reports you can see stand on 2026-12-04.`);
    expect(text).toContain('Overdue (2):');
    expect(text).toContain(`- #${a.number} Report A (acknowledged): triage overdue since Thursday 3 December 2026, 11:00 CET`);
    expect(text).toContain('https://desk.example.test/team');
    expect(text).not.toContain('DESCRIPTION');
    expect(digest(coordA)!.parsed.text).toContain('Report A');
    expect(digest(coordA)!.parsed.text).not.toContain('Report B');
    expect(digest(coordB)!.parsed.text).not.toContain('Report A');
    expect(digest(idle)).toBeUndefined();
    expect(outcomes.find((o) => o.outcome === 'cancelled')?.error).toBe('nothing to report: no open report and no failed mail');
  });

  it('an invitation is mailed with its link when mail is configured, and the link works', async () => {
    const as = await loginAs(m.desk, admin);
    const page = await as.post('/team/members/invite', { email: 'newcomer@example.org', role: 'member' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('An e-mail with this link is on its way to them');
    const link = /(https:\/\/desk\.example\.test\/team\/invite\/[A-Za-z0-9_-]+)/.exec(page.body)![1]!;
    const from = m.sink.messages.length;
    await sendDueMail(m.desk.ctx);
    const mail = m.sink.messages.slice(from).find((x) => x.to.includes('newcomer@example.org'))!;
    expect(mail.parsed.subject).toBe('Your invitation to the Mail Test Image security desk');
    expect(mail.parsed.text).toContain(`${admin.name} invites you to the security desk of Mail Test Image as a member.`);
    expect(mail.parsed.text).toContain(link);
    const row = (await outbox(m.desk)).find((r) => r.recipient === 'newcomer@example.org')!;
    expect(row).toMatchObject({ kind: 'invitation', status: 'sent', secret: null });
    const open = await m.desk.app.inject(link.replace('https://desk.example.test', ''));
    expect(open.statusCode).toBe(200);
  });
});
