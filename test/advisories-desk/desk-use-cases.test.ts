import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAdminNotices } from '../../src/app/admin-notices.js';
import { draftAdvisory } from '../../src/app/advisories/draft-advisory.js';
import { publishAdvisory } from '../../src/app/advisories/publish-advisory.js';
import { publishDueAdvisories } from '../../src/app/advisories/publish-due-advisories.js';
import { scheduleAdvisory } from '../../src/app/advisories/schedule-advisory.js';
import { listPublicAdvisories } from '../../src/app/advisories/store.js';
import { unscheduleAdvisory } from '../../src/app/advisories/unschedule-advisory.js';
import { updateAdvisory } from '../../src/app/advisories/update-advisory.js';
import { warnExpiringEmbargoes } from '../../src/app/advisories/warn-embargo.js';
import { withdrawAdvisory } from '../../src/app/advisories/withdraw-advisory.js';
import { verifyAuditLog } from '../../src/app/verify-audit-log.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertReport, insertUser } from '../support/fixtures.js';
import { advisoryTrail, BEFORE, digest, editorDocument, FIXED, insertFixedReport, MAUTIC, seedInventory } from './support.js';

const t = (s: string) => new Date(s);
// Mautic policy (UTC): publish in the next security window (2026-11-25, then 2026-12-09); maximum embargo 90 days, warned 14 days ahead.
const NOW = t('2026-11-16T10:00:00Z');

describe(`advisories on the desk: draft, check, schedule, publish, revise, withdraw (${testEngine()})`, () => {
  let desk: TestDesk;
  let member: { id: string; role: 'member' };
  let admin: { id: string; role: 'admin' };
  let report: { id: string; number: number };
  let anonymous: { id: string; number: number };
  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW });
    member = { id: (await insertUser(desk.ctx.db, { role: 'member' })).id, role: 'member' };
    admin = { id: (await insertUser(desk.ctx.db, { role: 'admin' })).id, role: 'admin' };
    report = await insertFixedReport(desk.ctx.db, t('2026-11-12T10:00:00Z'), { title: 'Logs readable over HTTP', received_at: t('2026-11-02T10:00:00Z') });
    anonymous = await insertFixedReport(desk.ctx.db, t('2026-11-12T11:00:00Z'), { title: 'Same flaw, found again', credit_name: null });
    await seedInventory(desk.ctx.db, MAUTIC, BEFORE, t('2026-11-01T00:00:00Z'));
  }, 60_000);
  afterAll(() => desk?.close());
  const at = (s: string) => desk.setNow(t(s));

  it('a draft is checked by the model, named CVDESK-<year>-<n>, linked to its reports and audited; fixed tags take the inventory digest', async () => {
    at('2026-11-16T10:00:00Z');
    await seedInventory(desk.ctx.db, MAUTIC, FIXED, t('2026-11-14T00:00:00Z'));
    const r = await draftAdvisory(desk.ctx, { actorId: member.id, reportNumbers: [report.number, anonymous.number], document: editorDocument() });
    expect(r).toMatchObject({ ok: true, ident: 'CVDESK-2026-0001' });
    const { row, revisions, audit } = await advisoryTrail(desk.ctx.db, 'CVDESK-2026-0001');
    expect(row).toMatchObject({ state: 'draft', revision: 0, scheduled_for: null, published_at: null, created_by: member.id });
    expect(row?.document).toMatchObject({ id: 'CVDESK-2026-0001', status: 'draft', images: [{ name: MAUTIC, fixed: [{ tag: '5.2.2-apache', digest: FIXED['5.2.2-apache'] }] }] });
    expect(row?.document.published).toBeUndefined();
    expect(revisions).toEqual([]);
    expect(audit).toEqual([{ action: 'advisory.draft', actor_id: member.id, detail: { advisory: 'CVDESK-2026-0001', reports: [report.number, anonymous.number] } }]);
    const links = await desk.ctx.db.selectFrom('advisory_reports').select('report_id').where('advisory_id', '=', row!.id).execute();
    expect(links.map((l) => l.report_id).sort()).toEqual([report.id, anonymous.id].sort());
    const second = await draftAdvisory(desk.ctx, { actorId: member.id, reportNumbers: [], document: editorDocument({ title: 'Another one' }) });
    expect(second).toMatchObject({ ok: true, ident: 'CVDESK-2026-0002' });
  });

  it('a wrong document is refused with the path of each problem, and nothing is stored', async () => {
    const before = await desk.ctx.db.selectFrom('advisories').select('id').execute();
    const r = await draftAdvisory(desk.ctx, {
      actorId: member.id,
      reportNumbers: [],
      document: editorDocument({ title: '', severity: { cvss31: 'CVSS:3.1/AV:N' }, cwe: ['CWE-99999999'] }, ['9.9.9-apache']),
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('invalid_input');
    const byPath = Object.fromEntries((r.problems ?? []).map((p) => [p.path.join('.'), p.message]));
    expect(Object.keys(byPath).sort()).toEqual(['cwe.0', 'images.0.fixed.0', 'severity.cvss31', 'title']);
    expect(byPath['images.0.fixed.0']).toContain('9.9.9-apache is not in the image inventory of docker.io/mautic/mautic');
    const unknownReport = await draftAdvisory(desk.ctx, { actorId: member.id, reportNumbers: [999_999], document: editorDocument() });
    expect(unknownReport).toMatchObject({ ok: false, code: 'invalid_input', problems: [{ path: ['reports'], message: 'there is no report #999999' }] });
    // the resolver's problems too: a repository outside the policy
    const foreign = await draftAdvisory(desk.ctx, { actorId: member.id, reportNumbers: [], document: editorDocument({ images: [{ name: 'docker.io/library/nginx', affected: { tags: [`1.0@${digest('9')}`] } }] }) });
    expect(foreign.ok === false && foreign.problems?.[0]?.message).toContain("is not one of the policy's images");
    expect(await desk.ctx.db.selectFrom('advisories').select('id').execute()).toHaveLength(before.length);
  });

  it('publishing needs a fixed build: refused without one; an admin overrides with a reason, audited', async () => {
    const noFix = await draftAdvisory(desk.ctx, { actorId: member.id, reportNumbers: [], document: editorDocument({ title: 'No fix yet' }, []) });
    if (!noFix.ok) throw new Error(noFix.reason);
    const refused = await scheduleAdvisory(desk.ctx, { id: noFix.id, actor: member });
    expect(refused).toMatchObject({ ok: false, code: 'conflict' });
    expect(refused.ok === false && refused.reason).toContain('no fixed build yet: docker.io/mautic/mautic names no fixed tag');
    await expect(scheduleAdvisory(desk.ctx, { id: noFix.id, actor: member, override: { reason: 'users need to know' } })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await scheduleAdvisory(desk.ctx, { id: noFix.id, actor: admin, override: { reason: '  ' } })).toMatchObject({ ok: false, code: 'invalid_input', problems: [{ path: ['overrideReason'] }] });
    expect((await advisoryTrail(desk.ctx.db, noFix.ident)).row?.state).toBe('draft');
    const ok = await scheduleAdvisory(desk.ctx, { id: noFix.id, actor: admin, override: { reason: 'Exploited in the wild; the workaround helps now.' } });
    expect(ok).toMatchObject({ ok: true, override: true, plan: { at: t('2026-11-25T00:00:00Z'), basis: 'window' } });
    const { row, audit } = await advisoryTrail(desk.ctx.db, noFix.ident);
    expect(row).toMatchObject({ state: 'scheduled', scheduled_for: t('2026-11-25T00:00:00Z'), override_by: admin.id, override_reason: 'Exploited in the wild; the workaround helps now.' });
    expect(audit.map((a) => a.action)).toEqual(['advisory.draft', 'advisory.schedule', 'advisory.override']);
    expect(audit[2]).toMatchObject({ actor_id: admin.id, detail: { reason: 'Exploited in the wild; the workaround helps now.', missing: ['docker.io/mautic/mautic names no fixed tag'] } });
    // back to draft drops the schedule and the override
    expect(await unscheduleAdvisory(desk.ctx, { id: noFix.id, actorId: admin.id })).toEqual({ ok: true });
    expect((await advisoryTrail(desk.ctx.db, noFix.ident)).row).toMatchObject({ state: 'draft', scheduled_for: null, override_by: null, override_reason: null });
  });

  it('scheduled for the next security window; the job publishes it then, once, and discloses its fixed reports', async () => {
    const first = (await advisoryTrail(desk.ctx.db, 'CVDESK-2026-0001')).row!;
    const s = await scheduleAdvisory(desk.ctx, { id: first.id, actor: member });
    expect(s).toMatchObject({ ok: true, override: false, plan: { at: t('2026-11-25T00:00:00Z'), window: { date: '2026-11-25' } } });
    // not due: a member cannot publish it early; the job leaves it
    expect(await publishAdvisory(desk.ctx, { id: first.id, actor: member })).toMatchObject({ ok: false, code: 'conflict' });
    at('2026-11-24T23:59:00Z');
    expect(await publishDueAdvisories(desk.ctx)).toEqual({ published: [], held: [] });
    expect(await listPublicAdvisories(desk.ctx.db)).toEqual([]);
    at('2026-11-25T00:01:00Z');
    expect(await publishDueAdvisories(desk.ctx)).toEqual({ published: ['CVDESK-2026-0001'], held: [] });
    expect(await publishDueAdvisories(desk.ctx)).toEqual({ published: [], held: [] });
    const { row, revisions, audit } = await advisoryTrail(desk.ctx.db, 'CVDESK-2026-0001');
    expect(row).toMatchObject({ state: 'published', published_at: t('2026-11-25T00:01:00Z'), revision: 1 });
    expect(row?.document).toMatchObject({ status: 'final', published: '2026-11-25T00:01:00Z', revisions: [{ date: '2026-11-25T00:01:00Z', summary: 'Initial publication.' }] });
    expect(revisions).toEqual([{ revision: 1, summary: 'Initial publication.', by: null, at: t('2026-11-25T00:01:00Z') }]);
    expect(audit.at(-1)).toMatchObject({ action: 'advisory.publish', actor_id: null, detail: { early: false, override: false, disclosed: [report.number, anonymous.number] } });
    const reports = await desk.ctx.db.selectFrom('reports').select(['number', 'state', 'disclosed_at']).where('id', 'in', [report.id, anonymous.id]).orderBy('number').execute();
    expect(reports).toEqual([
      { number: report.number, state: 'disclosed', disclosed_at: t('2026-11-25T00:01:00Z') },
      { number: anonymous.number, state: 'disclosed', disclosed_at: t('2026-11-25T00:01:00Z') },
    ]);
    const pub = await listPublicAdvisories(desk.ctx.db);
    expect(pub.map((a) => [a.ident, a.state])).toEqual([['CVDESK-2026-0001', 'published']]);
    expect(pub[0]).toMatchObject({ revisions: [{ revision: 1, summary: 'Initial publication.' }], withdrawn_at: null });
  });

  it('a change after publication needs a summary and writes a revision; a withdrawal keeps it public, marked withdrawn', async () => {
    at('2026-11-26T09:00:00Z');
    const id = (await advisoryTrail(desk.ctx.db, 'CVDESK-2026-0001')).row!.id;
    const doc = editorDocument({ workarounds: ['Deny /var/www/html/var in the Apache configuration.'] }, ['5.2.2-apache']);
    expect(await updateAdvisory(desk.ctx, { id, actorId: member.id, reportNumbers: [report.number, anonymous.number], document: doc })).toMatchObject({ ok: false, code: 'invalid_input', problems: [{ path: ['changeSummary'] }] });
    expect(await updateAdvisory(desk.ctx, { id, actorId: member.id, reportNumbers: [report.number, anonymous.number], document: doc, changeSummary: 'nul \u0000' })).toMatchObject({ ok: false, code: 'invalid_input', problems: [{ path: ['changeSummary'], message: 'must not contain a NUL character' }] });
    expect(await updateAdvisory(desk.ctx, { id, actorId: member.id, reportNumbers: [report.number, anonymous.number], document: doc, changeSummary: 'Added a workaround.' })).toEqual({ ok: true, revision: 2 });
    let trail = await advisoryTrail(desk.ctx.db, 'CVDESK-2026-0001');
    expect(trail.row).toMatchObject({ state: 'published', revision: 2, published_at: t('2026-11-25T00:01:00Z') });
    expect(trail.row?.document).toMatchObject({ status: 'final', published: '2026-11-25T00:01:00Z', workarounds: ['Deny /var/www/html/var in the Apache configuration.'] });
    expect((trail.row?.document.revisions as unknown[]).length).toBe(2);
    expect(trail.revisions.map((r) => [r.revision, r.summary, r.by])).toEqual([
      [1, 'Initial publication.', null],
      [2, 'Added a workaround.', member.id],
    ]);
    expect(trail.audit.at(-1)).toMatchObject({ action: 'advisory.update', detail: { revision: 2, summary: 'Added a workaround.' } });

    at('2026-11-27T09:00:00Z');
    expect(await withdrawAdvisory(desk.ctx, { id, actorId: admin.id, reason: '' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await withdrawAdvisory(desk.ctx, { id, actorId: admin.id, reason: 'nul \u0000' })).toMatchObject({ ok: false, code: 'invalid_input', problems: [{ path: ['withdrawReason'] }] });
    expect(await withdrawAdvisory(desk.ctx, { id, actorId: admin.id, reason: 'Not a vulnerability: the folder holds no logs in production.' })).toEqual({ ok: true, revision: 3 });
    trail = await advisoryTrail(desk.ctx.db, 'CVDESK-2026-0001');
    expect(trail.row).toMatchObject({ state: 'withdrawn', withdrawn_at: t('2026-11-27T09:00:00Z'), withdrawn_reason: 'Not a vulnerability: the folder holds no logs in production.', revision: 3 });
    expect(trail.row?.document.withdrawn).toEqual({ date: '2026-11-27T09:00:00Z', reason: 'Not a vulnerability: the folder holds no logs in production.' });
    expect(trail.revisions.at(-1)).toMatchObject({ revision: 3, summary: 'Withdrawn: Not a vulnerability: the folder holds no logs in production.', by: admin.id });
    expect(trail.audit.at(-1)).toMatchObject({ action: 'advisory.withdraw', actor_id: admin.id });
    const pub = await listPublicAdvisories(desk.ctx.db);
    expect(pub[0]).toMatchObject({ ident: 'CVDESK-2026-0001', state: 'withdrawn', withdrawn_at: t('2026-11-27T09:00:00Z') });
    expect(pub[0]!.revisions.map((r) => r.revision)).toEqual([1, 2, 3]);
    // withdrawn is final
    expect(await updateAdvisory(desk.ctx, { id, actorId: member.id, reportNumbers: [], document: doc, changeSummary: 'x' })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await withdrawAdvisory(desk.ctx, { id, actorId: admin.id, reason: 'again' })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await verifyAuditLog(desk.ctx.db)).toMatchObject({ intact: true });
  });

  it('an admin may publish ahead of schedule; a due advisory whose fixed build left the inventory is held back with a notice', async () => {
    at('2026-11-27T10:00:00Z');
    const early = await draftAdvisory(desk.ctx, { actorId: member.id, reportNumbers: [], document: editorDocument({ title: 'Early one' }) });
    if (!early.ok) throw new Error(early.reason);
    expect(await scheduleAdvisory(desk.ctx, { id: early.id, actor: member })).toMatchObject({ ok: true, plan: { at: t('2026-12-09T00:00:00Z') } });
    expect(await publishAdvisory(desk.ctx, { id: early.id, actor: member })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await publishAdvisory(desk.ctx, { id: early.id, actor: admin })).toMatchObject({ ok: true, ident: early.ident });
    expect((await advisoryTrail(desk.ctx.db, early.ident)).audit.at(-1)).toMatchObject({ action: 'advisory.publish', actor_id: admin.id, detail: { early: true } });

    const held = await draftAdvisory(desk.ctx, { actorId: member.id, reportNumbers: [], document: editorDocument({ title: 'Held back' }, ['5.2.2-fpm']) });
    if (!held.ok) throw new Error(held.reason);
    expect(await scheduleAdvisory(desk.ctx, { id: held.id, actor: member })).toMatchObject({ ok: true });
    await desk.ctx.db.deleteFrom('image_tags').where('repository', '=', MAUTIC).where('digest', '=', FIXED['5.2.2-fpm']).execute();
    await desk.ctx.db.deleteFrom('image_manifests').where('repository', '=', MAUTIC).where('digest', '=', FIXED['5.2.2-fpm']).execute();
    at('2026-12-09T00:00:30Z');
    const run = await publishDueAdvisories(desk.ctx);
    expect(run.published).toEqual([]);
    expect(run.held.map((h) => h.ident)).toEqual([held.ident]);
    expect((await advisoryTrail(desk.ctx.db, held.ident)).row?.state).toBe('scheduled');
    const notices = await listAdminNotices(desk.ctx.db);
    expect(notices.find((n) => n.key === `advisory-publish:${held.ident}`)).toMatchObject({ level: 'bad' });
    expect(notices.find((n) => n.key === `advisory-publish:${held.ident}`)?.message).toContain('holds none of the fixed images');
  });

  it('the maximum embargo raises an admin notice before it runs out, and a worse one after', async () => {
    at('2026-12-10T10:00:00Z');
    const old = await insertReport(desk.ctx.db, { title: 'Old report', received_at: t('2026-09-20T10:00:00Z') });
    const a = await draftAdvisory(desk.ctx, { actorId: member.id, reportNumbers: [old.number], document: editorDocument({ title: 'Long embargo' }) });
    if (!a.ok) throw new Error(a.reason);
    // ends 2026-12-19T10:00Z (90 days); warned from 2026-12-05
    expect(await warnExpiringEmbargoes(desk.ctx)).toContainEqual({ ident: a.ident, kind: 'warn' });
    let notice = (await listAdminNotices(desk.ctx.db)).find((n) => n.key === `advisory-embargo:${a.ident}`);
    expect(notice).toMatchObject({ level: 'warn', message: `The maximum embargo of 90 days for ${a.ident} (draft) ends on 2026-12-19, in 9 days.` });
    at('2026-12-20T10:00:00Z');
    await warnExpiringEmbargoes(desk.ctx);
    notice = (await listAdminNotices(desk.ctx.db)).find((n) => n.key === `advisory-embargo:${a.ident}`);
    expect(notice).toMatchObject({ level: 'bad', count: 2 });
    expect(notice?.message).toContain('ended on 2026-12-19');
  });
});
