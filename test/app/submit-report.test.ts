import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/app/errors.js';
import { changeCredit } from '../../src/app/reporter/change-credit.js';
import { replyAsReporter } from '../../src/app/reporter/reply-as-reporter.js';
import { reportIdForToken } from '../../src/app/reporter/reporter-access.js';
import { reporterAttachment } from '../../src/app/reporter/reporter-attachment.js';
import { viewAsReporter } from '../../src/app/reporter/view-as-reporter.js';
import { submitReport } from '../../src/app/submit-report.js';
import { hashToken } from '../../src/app/tokens.js';
import { reportFieldsSchema } from '../../src/domain/reports/report-input.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('submitReport and the reporter use cases', () => {
  let desk: TestDesk;
  const fields = (over: Record<string, unknown> = {}) =>
    reportFieldsSchema({ images: ['docker.io/mautic/mautic'], languages: ['en'], allowAnonymous: true, creditOffered: true }).parse({
      title: 'Secrets in the image layers',
      description: 'The build copies .env into the image.',
      image: 'docker.io/mautic/mautic',
      tag: '5.2.1-apache',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      reporterName: 'Rita',
      reporterEmail: 'rita@example.org',
      credit: { wish: 'name', name: 'Rita R.' },
      ...over,
    });
  const count = async (table: 'reports' | 'attachments' | 'report_events' | 'audit_log' | 'messages') =>
    Number((await desk.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW });
  });
  afterAll(() => desk?.close());

  it('stores the report, its first timeline entry, its files and an audit record; only the token hash', async () => {
    const r = await submitReport(desk.ctx, { fields: fields(), channel: 'api', attachments: [{ filename: 'layers.png', contentType: 'image/png', data: png }] });
    expect(r.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await desk.ctx.db.selectFrom('reports').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      number: r.number,
      state: 'received',
      channel: 'api',
      received_at: NOW,
      reporter_cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      credit_name: 'Rita R.',
      token_hash: hashToken(r.token),
      acknowledged_at: null,
    });
    expect(row.token_hash).not.toContain(r.token);
    const events = await desk.ctx.db.selectFrom('report_events').selectAll().where('report_id', '=', r.id).execute();
    expect(events).toMatchObject([{ kind: 'received', visible: true, actor_kind: 'reporter', at: NOW }]);
    const files = await desk.ctx.db.selectFrom('attachments').selectAll().where('report_id', '=', r.id).execute();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ filename: 'layers.png', content_type: 'image/png', size: png.length, sha256: createHash('sha256').update(png).digest('hex'), message_id: null });
    expect(Buffer.from(files[0]!.data).equals(png)).toBe(true);
    const audit = await desk.ctx.db.selectFrom('audit_log').selectAll().where('report_id', '=', r.id).execute();
    expect(audit.map((a) => [a.actor_kind, a.action])).toEqual([['reporter', 'report.submit']]);
    expect(JSON.stringify(audit)).not.toContain(r.token);
    expect(await reportIdForToken(desk.ctx.db, r.token)).toBe(r.id);
    expect(await reportIdForToken(desk.ctx.db, `${r.token.slice(0, -1)}${r.token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(await reportIdForToken(desk.ctx.db, 'short')).toBeNull();
  });

  it('refuses a whole submission when one file is too large or not allowed: nothing is stored', async () => {
    const before = await Promise.all([count('reports'), count('attachments'), count('report_events'), count('audit_log')]);
    const big = Buffer.alloc(desk.ctx.config.limits.attachmentBytes + 1, 65);
    const tooLarge = await submitReport(desk.ctx, { fields: fields(), channel: 'web', attachments: [{ filename: 'ok.png', contentType: 'image/png', data: png }, { filename: 'big.txt', contentType: 'text/plain', data: big }] }).catch((e: unknown) => e);
    expect(isAppError(tooLarge) && tooLarge.code).toBe('too_large');
    const badType = await submitReport(desk.ctx, { fields: fields(), channel: 'web', attachments: [{ filename: 'run.exe', contentType: 'application/octet-stream', data: Buffer.from('MZ') }] }).catch((e: unknown) => e);
    expect(isAppError(badType) && badType.code).toBe('invalid_input');
    expect(isAppError(badType) && badType.details).toEqual([{ field: 'attachments', message: expect.stringMatching(/run\.exe: this kind of file is not accepted/) }]);
    const tooMany = Array.from({ length: desk.ctx.config.limits.attachmentsPerReport + 1 }, (_, i) => ({ filename: `${i}.png`, contentType: 'image/png', data: png }));
    const many = await submitReport(desk.ctx, { fields: fields(), channel: 'web', attachments: tooMany }).catch((e: unknown) => e);
    expect(isAppError(many) && many.code).toBe('too_large');
    expect(await Promise.all([count('reports'), count('attachments'), count('report_events'), count('audit_log')])).toEqual(before);
  });

  it('a reply while waiting on the reporter resumes the report and ends the pause, in one go', async () => {
    const r = await submitReport(desk.ctx, { fields: fields(), channel: 'web', attachments: [] });
    const paused = new Date('2026-11-24T09:00:00Z');
    await desk.ctx.db.updateTable('reports').set({ state: 'waiting_on_reporter', acknowledged_at: NOW }).where('id', '=', r.id).execute();
    await desk.ctx.db.insertInto('report_pauses').values({ report_id: r.id, started_at: paused, ended_at: null }).execute();
    const replyAt = new Date('2026-11-25T12:00:00Z');
    desk.setNow(replyAt);
    const reply = await replyAsReporter(desk.ctx, { reportId: r.id, body: 'Here is the PoC.', attachments: [{ filename: 'poc.txt', contentType: 'text/plain', data: Buffer.from('curl -s ...') }] });
    expect(reply.resumed).toBe(true);
    const row = await desk.ctx.db.selectFrom('reports').select(['state', 'acknowledged_at', 'updated_at']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'acknowledged', acknowledged_at: NOW, updated_at: replyAt });
    expect(await desk.ctx.db.selectFrom('report_pauses').select(['started_at', 'ended_at']).where('report_id', '=', r.id).execute()).toEqual([{ started_at: paused, ended_at: replyAt }]);
    const state = await desk.ctx.db.selectFrom('report_events').select(['kind', 'data', 'actor_kind']).where('report_id', '=', r.id).where('kind', '=', 'state').execute();
    expect(state).toEqual([{ kind: 'state', actor_kind: 'reporter', data: { from: 'waiting_on_reporter', to: 'acknowledged', action: 'reporter_replied' } }]);
    const files = await desk.ctx.db.selectFrom('attachments').select(['message_id', 'filename']).where('report_id', '=', r.id).execute();
    expect(files).toEqual([{ message_id: reply.messageId, filename: 'poc.txt' }]);
    // a second reply changes no state
    expect((await replyAsReporter(desk.ctx, { reportId: r.id, body: 'And another detail.', attachments: [] })).resumed).toBe(false);
    const audit = await desk.ctx.db.selectFrom('audit_log').select(['action', 'detail']).where('report_id', '=', r.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['report.submit', 'report.reply', 'report.reply']);
    expect(audit[1]!.detail).toMatchObject({ resumed: true, attachments: 1 });
    desk.setNow(NOW);
  });

  it("the reporter's view leaves out internal notes, their files and hidden events; attachments of notes cannot be fetched", async () => {
    const r = await submitReport(desk.ctx, { fields: fields(), channel: 'web', attachments: [{ filename: 'own.png', contentType: 'image/png', data: png }] });
    const user = await desk.ctx.db
      .insertInto('users')
      .values({ id: desk.ctx.newId(), email: `t-${Date.now()}@example.org`, name: 'Tess Team', role: 'member', password_hash: 'x', totp_secret: null, totp_enabled_at: null, created_at: NOW, last_active_at: null, removed_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const note = desk.ctx.newId();
    const message = desk.ctx.newId();
    await desk.ctx.db
      .insertInto('messages')
      .values([
        { id: note, report_id: r.id, at: NOW, author_kind: 'user', author_id: user.id, internal: true, body: 'INTERNAL: reporter seems to be a competitor' },
        { id: message, report_id: r.id, at: NOW, author_kind: 'user', author_id: user.id, internal: false, body: 'Thanks, we are looking at it.' },
      ])
      .execute();
    const noteFile = desk.ctx.newId();
    await desk.ctx.db.insertInto('attachments').values({ id: noteFile, report_id: r.id, message_id: note, filename: 'internal-triage.txt', content_type: 'text/plain', size: 3, sha256: 'x', data: Buffer.from('abc'), created_at: NOW }).execute();
    await desk.ctx.db.insertInto('report_events').values({ report_id: r.id, at: NOW, actor_kind: 'user', actor_id: user.id, kind: 'assign', data: { assignee: 'Tess' }, visible: false }).execute();

    const view = await viewAsReporter(desk.ctx, r.id);
    const text = JSON.stringify(view);
    expect(text).not.toContain('INTERNAL');
    expect(text).not.toContain('internal-triage.txt');
    expect(text).not.toContain('assign');
    expect(text).not.toContain('Tess');
    expect(view.messages).toEqual([{ id: message, at: NOW, by: 'team', body: 'Thanks, we are looking at it.', attachments: [] }]);
    expect(view.attachments.map((a) => a.filename)).toEqual(['own.png']);
    expect(view.timeline).toEqual([{ at: NOW, kind: 'received', by: 'reporter' }]);
    expect(view.report.credit).toEqual({ wish: 'name', name: 'Rita R.' });
    expect(view.clocks.map((c) => c.stage)).toEqual(['acknowledge', 'triage', 'fix', 'patch']);

    expect(await reporterAttachment(desk.ctx, { reportId: r.id, attachmentId: noteFile })).toBeNull();
    expect(await reporterAttachment(desk.ctx, { reportId: r.id, attachmentId: view.attachments[0]!.id })).toMatchObject({ filename: 'own.png', contentType: 'image/png' });
    const other = await submitReport(desk.ctx, { fields: fields(), channel: 'web', attachments: [] });
    expect(await reporterAttachment(desk.ctx, { reportId: other.id, attachmentId: view.attachments[0]!.id })).toBeNull();
    const reads = await desk.ctx.db.selectFrom('audit_log').select(['actor_kind', 'action']).where('report_id', '=', r.id).orderBy('seq').execute();
    expect(reads.map((a) => a.action)).toEqual(['report.submit', 'report.read', 'report.attachment.read']);
  });

  it('changing the credit is stored, shown on the timeline and audited; the same choice again changes nothing', async () => {
    const r = await submitReport(desk.ctx, { fields: fields(), channel: 'web', attachments: [] });
    await changeCredit(desk.ctx, { reportId: r.id, credit: { wish: 'none' } });
    await changeCredit(desk.ctx, { reportId: r.id, credit: { wish: 'none' } });
    expect((await desk.ctx.db.selectFrom('reports').select('credit_name').where('id', '=', r.id).executeTakeFirstOrThrow()).credit_name).toBeNull();
    const events = await desk.ctx.db.selectFrom('report_events').select(['kind', 'data']).where('report_id', '=', r.id).orderBy('id').execute();
    expect(events).toEqual([
      { kind: 'received', data: { channel: 'web', attachments: 0 } },
      { kind: 'credit', data: { credit: 'none' } },
    ]);
    const audit = await desk.ctx.db.selectFrom('audit_log').select('action').where('report_id', '=', r.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['report.submit', 'report.credit']);
  });
});
