import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideReportOutOfCycle } from '../../src/app/releases/decide-out-of-cycle.js';
import { listReleasePlan } from '../../src/app/releases/list-release-plan.js';
import { markShipped } from '../../src/app/releases/mark-shipped.js';
import { recordFixBuild } from '../../src/app/releases/record-fix-build.js';
import { releaseOfReport } from '../../src/app/releases/release-of-report.js';
import { verifyAuditLog } from '../../src/app/verify-audit-log.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertReport, insertUser } from '../support/fixtures.js';
import { digest, insertFixedReport, MAUTIC, releaseTrail, seedInventory } from './support.js';

const t = (s: string) => new Date(s);
// The Mautic policy (UTC): windows on 2026-11-11, 2026-11-25, 2026-12-09, 2026-12-23; critical goes out of cycle.
const NOW = t('2026-11-16T10:00:00Z');

describe(`release plan use cases on ${testEngine()}`, () => {
  let desk: TestDesk;
  let member: { id: string; name: string };
  let high: { id: string; number: number };
  let critical: { id: string; number: number };
  let late: { id: string; number: number };
  let fixing: { id: string; number: number };
  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW });
    member = await insertUser(desk.ctx.db, { role: 'member', name: 'Mara Member' });
    high = await insertFixedReport(desk.ctx.db, t('2026-11-12T10:00:00Z'), { title: 'Session fixation' });
    critical = await insertFixedReport(desk.ctx.db, t('2026-11-13T10:00:00Z'), { title: 'RCE in the entrypoint', severity: 'critical', cvss_score: 9.8 });
    late = await insertFixedReport(desk.ctx.db, t('2026-11-05T10:00:00Z'), { title: 'Weak default secret', severity: 'medium', cvss_score: 5.3 });
    fixing = await insertReport(desk.ctx.db, { title: 'Still being fixed', state: 'fixing', triaged_at: t('2026-11-02T10:00:00Z') });
    await seedInventory(desk.ctx.db, MAUTIC, { '5.2.2-apache': digest('a'), '5.2.2-fpm': digest('b'), latest: digest('a') }, t('2026-11-14T08:00:00Z'));
  }, 60_000); // opening the database and starting the desks takes seconds on a busy machine
  afterAll(() => desk?.close());

  const plan = async () => (await listReleasePlan(desk.ctx)).groups.map((g) => [g.key, g.items.map((i) => i.item.number)]);

  it('groups fixed reports by their next window: a report whose window passed is carried over; unfixed ones are not planned', async () => {
    expect(await plan()).toEqual([['2026-11-25', [late.number, high.number, critical.number]]]);
    const view = await releaseOfReport(desk.ctx, late.id);
    expect(view?.planned).toMatchObject({ kind: 'window', window: { date: '2026-11-25' }, dueWindow: { date: '2026-11-11' }, carriedOver: true });
    expect(view?.report.patch).toMatchObject({ stage: 'patch', status: 'overdue', deadline: t('2026-11-11T00:00:00Z') });
    expect(view?.shippable.map((w) => w.date)).toEqual(['2026-11-11']);
    expect(await releaseOfReport(desk.ctx, fixing.id)).toBeNull();
  });

  it('out of cycle needs a reason, and a severity the policy names or an urgent mark; a refusal writes nothing', async () => {
    const noReason = await decideReportOutOfCycle(desk.ctx, { reportId: critical.id, actorId: member.id, outOfCycle: true, reason: '  ' });
    expect(noReason).toEqual({ ok: false, code: 'invalid_input', field: 'reason', reason: 'say why: an out-of-cycle decision is recorded with its reason' });
    const notUrgent = await decideReportOutOfCycle(desk.ctx, { reportId: high.id, actorId: member.id, outOfCycle: true, reason: 'customer asked' });
    expect(notUrgent).toMatchObject({ ok: false, code: 'invalid_input', field: 'urgent' });
    const notFixed = await decideReportOutOfCycle(desk.ctx, { reportId: fixing.id, actorId: member.id, outOfCycle: true, reason: 'x', urgent: true });
    expect(notFixed).toEqual({ ok: false, code: 'conflict', reason: `report #${fixing.number} is fixing, not fixed: only a fixed report is planned for a release` });
    for (const r of [critical, high, fixing]) expect(await releaseTrail(desk.ctx.db, r.id)).toEqual({ releases: [], events: [], audit: [] });
  });

  it('moves a critical report out of cycle with who, when and why, on the timeline and in the audit log; and back the same way', async () => {
    const reason = 'Exploited in the wild; coordinated with the Mautic Security Team';
    expect(await decideReportOutOfCycle(desk.ctx, { reportId: critical.id, actorId: member.id, outOfCycle: true, reason })).toEqual({ ok: true });
    expect(await plan()).toEqual([
      ['out-of-cycle', [critical.number]],
      ['2026-11-25', [late.number, high.number]],
    ]);
    const trail = await releaseTrail(desk.ctx.db, critical.id);
    expect(trail.releases).toMatchObject([{ out_of_cycle: true, out_of_cycle_basis: 'severity', decided_by: member.id, decided_at: NOW, decision_reason: reason }]);
    expect(trail.events).toEqual([{ kind: 'release_out_of_cycle', data: { basis: 'severity', severity: 'critical', reason }, visible: false, actor_id: member.id }]);
    expect(trail.audit).toEqual([{ action: 'report.release.out_of_cycle', actor_id: member.id, detail: { basis: 'severity', severity: 'critical', reason } }]);
    expect(await decideReportOutOfCycle(desk.ctx, { reportId: critical.id, actorId: member.id, outOfCycle: true, reason })).toMatchObject({ ok: false, code: 'conflict', reason: `report #${critical.number} is out of cycle already` });

    // A high report goes too once a member marks it urgent; then back into the windows, with a reason.
    desk.setNow(t('2026-11-16T11:00:00Z'));
    expect(await decideReportOutOfCycle(desk.ctx, { reportId: high.id, actorId: member.id, outOfCycle: true, reason: 'public PoC', urgent: true })).toEqual({ ok: true });
    expect(await decideReportOutOfCycle(desk.ctx, { reportId: high.id, actorId: member.id, outOfCycle: false, reason: '' })).toMatchObject({ ok: false, field: 'reason' });
    expect(await decideReportOutOfCycle(desk.ctx, { reportId: high.id, actorId: member.id, outOfCycle: false, reason: 'the PoC was withdrawn' })).toEqual({ ok: true });
    const back = await releaseTrail(desk.ctx.db, high.id);
    expect(back.releases).toMatchObject([{ out_of_cycle: false, out_of_cycle_basis: null, decision_reason: 'the PoC was withdrawn' }]);
    expect(back.events.map((e) => [e.kind, e.data])).toEqual([
      ['release_out_of_cycle', { basis: 'urgent', severity: 'high', reason: 'public PoC' }],
      ['release_in_cycle', { reason: 'the PoC was withdrawn' }],
    ]);
    expect(back.audit.map((a) => a.action)).toEqual(['report.release.out_of_cycle', 'report.release.in_cycle']);
    expect((await releaseOfReport(desk.ctx, high.id))?.report.release.decision).toEqual({ at: t('2026-11-16T11:00:00Z'), by: 'Mara Member', reason: 'the PoC was withdrawn' });
  });

  it('the fix build is a tag of the inventory with the digest it has then; unknown tags and repositories are refused', async () => {
    const unknownTag = await recordFixBuild(desk.ctx, { reportId: high.id, actorId: member.id, repository: MAUTIC, tag: '5.2.3-apache' });
    expect(unknownTag).toEqual({
      ok: false,
      code: 'invalid_input',
      field: 'tag',
      reason: 'the image inventory has no tag "5.2.3-apache" in docker.io/mautic/mautic (the last sync was 2026-11-14T08:00:00.000Z); sync the images (cvdesk images sync) once the build is pushed',
    });
    expect(await recordFixBuild(desk.ctx, { reportId: high.id, actorId: member.id, repository: 'docker.io/evil/other', tag: 'latest' })).toMatchObject({ ok: false, field: 'repository' });
    expect(await recordFixBuild(desk.ctx, { reportId: high.id, actorId: member.id, repository: MAUTIC, tag: 'bad tag!' })).toMatchObject({ ok: false, field: 'tag' });
    expect(await recordFixBuild(desk.ctx, { reportId: high.id, actorId: member.id, repository: MAUTIC, tag: '' })).toMatchObject({ ok: false, field: 'tag', reason: 'name the tag of the fix build' });
    expect(await recordFixBuild(desk.ctx, { reportId: fixing.id, actorId: member.id, repository: MAUTIC, tag: '5.2.2-apache' })).toMatchObject({ ok: false, code: 'conflict' });
    expect((await releaseTrail(desk.ctx.db, high.id)).events).toHaveLength(2); // the two decisions above, nothing more
    expect(await releaseTrail(desk.ctx.db, fixing.id)).toEqual({ releases: [], events: [], audit: [] });

    expect(await recordFixBuild(desk.ctx, { reportId: high.id, actorId: member.id, repository: MAUTIC, tag: ' 5.2.2-fpm ' })).toEqual({ ok: true });
    expect(await recordFixBuild(desk.ctx, { reportId: high.id, actorId: member.id, repository: MAUTIC, tag: '5.2.2-apache' })).toEqual({ ok: true });
    // the same build again changes nothing
    expect(await recordFixBuild(desk.ctx, { reportId: high.id, actorId: member.id, repository: MAUTIC, tag: '5.2.2-apache' })).toEqual({ ok: true });
    // The tag moves on in the registry later: the build recorded keeps the digest it had.
    await seedInventory(desk.ctx.db, MAUTIC, { '5.2.2-apache': digest('c') }, t('2026-11-16T12:00:00Z'));
    const trail = await releaseTrail(desk.ctx.db, high.id);
    expect(trail.releases).toMatchObject([{ build_repository: MAUTIC, build_tag: '5.2.2-apache', build_digest: digest('a'), build_recorded_by: member.id }]);
    expect(trail.events.slice(2).map((e) => e.data)).toEqual([
      { repository: MAUTIC, tag: '5.2.2-fpm', digest: digest('b') },
      { repository: MAUTIC, tag: '5.2.2-apache', digest: digest('a'), replaced: { repository: MAUTIC, tag: '5.2.2-fpm', digest: digest('b') } },
    ]);
    expect(trail.audit.at(-1)).toMatchObject({ action: 'report.release.fix_build', detail: { tag: '5.2.2-apache', digest: digest('a') } });
    expect(trail.events).toHaveLength(4);
  });

  it('marks shipped in the window it went out in, once that window has come; needs the fix build first', async () => {
    expect(await markShipped(desk.ctx, { reportId: late.id, actorId: member.id })).toEqual({
      ok: false,
      code: 'conflict',
      reason: `record the fix build of report #${late.number} (the image tag that carries the fix) before marking it shipped`,
    });
    expect(await markShipped(desk.ctx, { reportId: high.id, actorId: member.id })).toEqual({ ok: false, code: 'conflict', reason: `no security window has come since report #${high.number} was fixed; it is planned for 2026-11-25` });
    expect(await markShipped(desk.ctx, { reportId: high.id, actorId: member.id, date: '2026-11-16' })).toMatchObject({ ok: false, code: 'invalid_input', field: 'date' });
    expect(await markShipped(desk.ctx, { reportId: fixing.id, actorId: member.id })).toMatchObject({ ok: false, code: 'conflict' });
    expect((await releaseTrail(desk.ctx.db, high.id)).releases[0]?.shipped_at).toBeNull();

    desk.setNow(t('2026-11-25T15:00:00Z')); // the window's day
    expect(await markShipped(desk.ctx, { reportId: high.id, actorId: member.id })).toEqual({ ok: true });
    const trail = await releaseTrail(desk.ctx.db, high.id);
    expect(trail.releases).toMatchObject([{ shipped_in: 'window', shipped_date: '2026-11-25', shipped_by: member.id, shipped_at: t('2026-11-25T15:00:00Z'), build_digest: digest('a') }]);
    expect(trail.events.at(-1)).toMatchObject({ kind: 'release_shipped', data: { shippedIn: 'window', date: '2026-11-25', repository: MAUTIC, tag: '5.2.2-apache', digest: digest('a') } });
    expect(trail.audit.at(-1)).toMatchObject({ action: 'report.release.shipped' });

    // shipped is history: no second shipment, no other build, no out-of-cycle move
    expect(await markShipped(desk.ctx, { reportId: high.id, actorId: member.id })).toMatchObject({ ok: false, code: 'conflict', reason: `report #${high.number} has shipped already (2026-11-25)` });
    expect(await recordFixBuild(desk.ctx, { reportId: high.id, actorId: member.id, repository: MAUTIC, tag: '5.2.2-fpm' })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await decideReportOutOfCycle(desk.ctx, { reportId: high.id, actorId: member.id, outOfCycle: true, reason: 'x', urgent: true })).toMatchObject({ ok: false, code: 'conflict' });

    // The late report missed 2026-11-11; recorded the day after 2026-11-25, it is offered both windows.
    desk.setNow(t('2026-11-26T09:00:00Z'));
    await recordFixBuild(desk.ctx, { reportId: late.id, actorId: member.id, repository: MAUTIC, tag: '5.2.2-fpm' });
    expect((await releaseOfReport(desk.ctx, late.id))?.shippable.map((w) => w.date)).toEqual(['2026-11-25', '2026-11-11']);
    expect(await markShipped(desk.ctx, { reportId: late.id, actorId: member.id, date: '2026-11-24' })).toMatchObject({ ok: false, reason: expect.stringContaining('2026-11-24 is not a security window of the policy') });
    expect(await markShipped(desk.ctx, { reportId: late.id, actorId: member.id })).toEqual({ ok: true });
    expect((await releaseTrail(desk.ctx.db, late.id)).releases).toMatchObject([{ shipped_in: 'window', shipped_date: '2026-11-25' }]);

    // The out-of-cycle report ships out of cycle on a day of its own.
    await recordFixBuild(desk.ctx, { reportId: critical.id, actorId: member.id, repository: MAUTIC, tag: '5.2.2-apache' });
    expect(await markShipped(desk.ctx, { reportId: critical.id, actorId: member.id, date: '2026-11-17' })).toEqual({ ok: true });
    expect((await releaseTrail(desk.ctx.db, critical.id)).releases).toMatchObject([{ shipped_in: 'out_of_cycle', shipped_date: '2026-11-17', build_digest: digest('c') }]);

    const p = await listReleasePlan(desk.ctx);
    expect(p.groups).toEqual([]);
    expect(p.shipped.map((r) => [r.number, r.release.shipped?.in, r.release.shipped?.date, r.release.build?.tag])).toEqual([
      [late.number, 'window', '2026-11-25', '5.2.2-fpm'],
      [critical.number, 'out_of_cycle', '2026-11-17', '5.2.2-apache'],
      [high.number, 'window', '2026-11-25', '5.2.2-apache'],
    ]);
  });

  it('a coordinator\'s plan holds only the reports they were invited to; the audit chain holds', async () => {
    const coordinator = await insertUser(desk.ctx.db, { role: 'coordinator' });
    const mine = await insertFixedReport(desk.ctx.db, t('2026-11-26T08:00:00Z'), { title: 'Invited one' });
    await insertFixedReport(desk.ctx.db, t('2026-11-26T08:00:00Z'), { title: 'Not invited' });
    await desk.ctx.db.insertInto('coordinator_grants').values({ user_id: coordinator.id, report_id: mine.id, granted_by: null, created_at: NOW }).execute();
    const theirs = await listReleasePlan(desk.ctx, { onlyGrantedTo: coordinator.id });
    expect(theirs.groups.map((g) => [g.key, g.items.map((i) => i.item.title)])).toEqual([['2026-12-09', ['Invited one']]]);
    expect(theirs.shipped).toEqual([]);
    expect((await listReleasePlan(desk.ctx)).groups.map((g) => [g.key, g.items.map((i) => i.item.title)])).toEqual([['2026-12-09', ['Invited one', 'Not invited']]]);
    expect(await verifyAuditLog(desk.ctx.db)).toMatchObject({ intact: true });
  });

  it('the schema itself refuses half a build, half a shipment, a malformed date and an out-of-cycle row without its basis', async () => {
    const r = await insertFixedReport(desk.ctx.db, t('2026-11-26T08:00:00Z'));
    const base = { report_id: r.id, out_of_cycle: false, updated_at: NOW };
    const bad = [
      { ...base, build_repository: MAUTIC, build_tag: 'latest' },
      { ...base, shipped_in: 'window' as const, shipped_date: '2026-11-25' },
      { ...base, shipped_in: 'window' as const, shipped_date: '25.11.2026', shipped_at: NOW },
      { ...base, out_of_cycle: true },
    ];
    for (const values of bad) await expect(desk.ctx.db.insertInto('report_releases').values(values).execute()).rejects.toThrow(/check constraint/);
    await desk.ctx.db.insertInto('report_releases').values({ ...base, shipped_in: 'window', shipped_date: '2026-11-25', shipped_at: NOW }).execute();
  });
});
