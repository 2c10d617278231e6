import { describe, expect, it } from 'vitest';
import { ackMail, deadlineMail, digestMail, invitationMail, mailLanguageOf, messageMail, newReportMail, stateMail, updateMail, type ReporterContext } from './build-mail.js';

const sender = { team: 'Example Security Team', project: 'Example Image', timeZone: 'Europe/Berlin' };
const report = { number: 12, title: 'Root shell via the entrypoint' };
const reporter = (lang: 'en' | 'de', over: Partial<ReporterContext> = {}): ReporterContext => ({ ...sender, lang, reporterName: 'Rita', report, replyByMail: true, ...over });
const AT = new Date('2026-03-29T00:30:00Z'); // 01:30 CET, before the spring change

describe('mail to reporters', () => {
  it('acknowledgement: thanks, the link and why to keep it, the promises; in English', () => {
    const m = ackMail(reporter('en'), { receivedAt: AT, trackingUrl: 'https://desk.example/r/abc', promises: ['We will acknowledge your report within 24 hours of receiving it.'], businessDays: null, automatic: false });
    expect(m.subject).toBe('Your report #12 has arrived');
    expect(m.text).toBe(
      [
        'Hello Rita,',
        '',
        'Thank you for reporting a vulnerability to the Example Security Team of Example Image. We received your report #12 “Root shell via the entrypoint” on Sunday 29 March 2026, 01:30 CET.',
        '',
        'Follow your report, read the team’s messages and answer them here:',
        'https://desk.example/r/abc',
        '',
        'This link is the only way back to your report. Keep it to yourself: anyone who has it can read the report and write to the team.',
        '',
        'What we promise:',
        '- We will acknowledge your report within 24 hours of receiving it.',
        '',
        'You can also answer this e-mail: your answer is added to your report.',
        '',
        '— Example Security Team',
        '',
      ].join('\n'),
    );
  });

  it('acknowledgement in German, formal, with the automatic acknowledgement and no reply address', () => {
    const m = ackMail(reporter('de', { reporterName: null, replyByMail: false }), { receivedAt: AT, trackingUrl: 'https://desk.example/r/abc', promises: [], businessDays: null, automatic: true });
    expect(m.subject).toBe('Ihre Meldung Nr. 12 ist eingegangen');
    expect(m.text).toContain('Guten Tag,\n\nvielen Dank, dass Sie dem Example Security Team von Example Image eine Schwachstelle melden.');
    expect(m.text).toContain('ist am Sonntag, 29. März 2026, 01:30 Uhr MEZ eingegangen.');
    expect(m.text).toContain('Diese Nachricht ist unsere Eingangsbestätigung.');
    expect(m.text).not.toContain('Was wir zusagen');
    expect(m.text).not.toContain('auf diese E-Mail antworten');
  });

  it('state changes say what the state means; a rejection says why', () => {
    expect(stateMail(reporter('en'), { to: 'rejected', reason: 'out_of_scope' }).text).toContain(
      'Your report #12 “Root shell via the entrypoint” is now closed.\nThe team has closed your report without a fix.\nIt is outside the scope of this security policy.',
    );
    const de = stateMail(reporter('de'), { to: 'waiting_on_reporter', reason: null });
    expect(de.subject).toBe('Ihre Meldung Nr. 12 wartet auf Ihre Antwort');
    expect(de.text).toContain('Ihre Meldung Nr. 12 „Root shell via the entrypoint“ wartet jetzt auf Ihre Antwort.');
    expect(de.text).toContain('öffnen Sie den Link zur Nachverfolgung aus unserer ersten E-Mail');
  });

  it('a team message is quoted whole between rules; a desk notice says it is one', () => {
    const m = messageMail(reporter('en'), { body: 'Line one\r\nLine two\n', fromDesk: false });
    expect(m.text).toContain(`The team wrote to you about your report #12 “Root shell via the entrypoint”:\n\n${'-'.repeat(40)}\nLine one\nLine two\n${'-'.repeat(40)}`);
    expect(messageMail(reporter('en'), { body: 'x', fromDesk: true }).text).toContain('A note about your report #12');
    expect(updateMail(reporter('de'), { upstream: 'Mautic Security Team' }).text).toContain('an Mautic Security Team weitergegeben');
  });

  it('languages: German for any German tag, English otherwise', () => {
    expect(['de', 'de-AT', 'DE', 'en', 'fr', null].map(mailLanguageOf)).toEqual(['de', 'de', 'de', 'en', 'en', 'en']);
  });
});

describe('mail to the team', () => {
  const c = { ...sender, report, link: 'https://desk.example/team/reports/12' };

  it('new report, due soon and overdue carry the number, the title and the link only', () => {
    const n = newReportMail(c, { channel: 'email', receivedAt: AT, first: { stage: 'acknowledge', deadline: new Date('2026-03-30T00:30:00Z') } });
    expect(n.subject).toBe('[Example Image] New report #12: Root shell via the entrypoint');
    expect(n.text).toBe(
      [
        'A new report #12 “Root shell via the entrypoint” came in through the email channel on Sunday 29 March 2026, 01:30 CET.',
        'Its acknowledgement is due by Monday 30 March 2026, 02:30 CEST.',
        '',
        'Open the report:',
        'https://desk.example/team/reports/12',
        '',
        '--',
        'You receive this as a member of the Example Image security desk. Report details are on the desk only.',
        '',
      ].join('\n'),
    );
    expect(deadlineMail(c, { kind: 'due-soon', stage: 'fix', deadline: AT, bestEffort: true }).text).toContain('The fix of report #12 “Root shell via the entrypoint” is due by Sunday 29 March 2026, 01:30 CET (a best-effort target).');
    expect(deadlineMail(c, { kind: 'overdue', stage: 'patch', deadline: AT, bestEffort: false }).subject).toBe('[Example Image] Report #12: fixed-image release overdue');
  });

  it('the digest groups overdue, due soon and the rest, and tells admins of failed mail', () => {
    const d = digestMail(sender, {
      name: 'Ada',
      date: '2026-03-29',
      newSinceLast: 1,
      inboxLink: 'https://desk.example/team',
      failedMail: { count: 2, link: 'https://desk.example/team/mail?status=failed' },
      items: [
        { report: { number: 3, title: 'Three' }, state: 'fixing', next: { stage: 'fix', deadline: AT, status: 'running' } },
        { report: { number: 4, title: 'Four' }, state: 'received', next: { stage: 'acknowledge', deadline: AT, status: 'overdue' } },
        { report: { number: 5, title: 'Five' }, state: 'waiting_on_reporter', next: { stage: 'triage', deadline: null, status: 'paused' } },
        { report: { number: 6, title: 'Six' }, state: 'acknowledged', next: { stage: 'triage', deadline: AT, status: 'due_soon' } },
      ],
    });
    expect(d.subject).toBe('[Example Image] Digest for 2026-03-29: 4 open, 1 overdue');
    expect(d.text).toContain(
      [
        '1 report came in since the last digest.',
        '',
        'Overdue (1):',
        '- #4 Four (received): acknowledgement overdue since Sunday 29 March 2026, 01:30 CET',
        '',
        'Due soon (1):',
        '- #6 Six (acknowledged): triage due by Sunday 29 March 2026, 01:30 CET',
        '',
        'Open (2):',
        '- #3 Three (fixing): fix due by Sunday 29 March 2026, 01:30 CET',
        '- #5 Five (waiting on reporter): triage paused (waiting on the reporter)',
        '',
        '2 e-mails could not be sent: https://desk.example/team/mail?status=failed',
        'The inbox: https://desk.example/team',
      ].join('\n'),
    );
  });

  it('an invitation names who invites, the role and the report, and has no member footer', () => {
    const i = invitationMail(sender, { role: 'coordinator', invitedBy: 'Ada', reportNumber: 12, link: 'https://desk.example/team/invite/t', expiresAt: AT });
    expect(i.text).toContain('Ada invites you to the security desk of Example Image as a coordinator, for report #12.');
    expect(i.text).toContain('Create your account with this one-time link before Sunday 29 March 2026, 01:30 CET:\nhttps://desk.example/team/invite/t');
    expect(i.text).not.toContain('You receive this as a member');
    expect(invitationMail(sender, { role: 'admin', invitedBy: null, reportNumber: null, link: 'l', expiresAt: AT }).text).toContain('You are invited to the security desk of Example Image as an admin.');
  });
});
