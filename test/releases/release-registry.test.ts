/**
 * The fix build end to end: images pushed to Debian's docker-registry, synced into the inventory,
 * picked on the report page; when the tag is pushed again and re-synced, the recorded build keeps
 * the digest the tag had when it was picked.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncImages } from '../../src/app/images/sync-images.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { registryMissing, startRegistry, type Pushed, type TestRegistry } from '../support/registry.js';
import { createMember, loginAs, type TeamAgent } from '../support/team.js';
import { insertFixedReport, releaseTrail } from './support.js';

const skip = registryMissing();
const t = (s: string) => new Date(s);

describe.skipIf(skip)(`the fix build from a synced docker-registry on ${testEngine()}`, () => {
  let dir: string;
  let reg: TestRegistry;
  let desk: TestDesk;
  let member: TeamAgent;
  let repo: string;
  let first: Pushed;
  let report: { id: string; number: number };
  beforeAll(async () => {
    reg = await startRegistry('none');
    repo = `${reg.host}/acme/app`;
    first = await reg.push.image('acme/app', ['5.2.2-apache', 'latest'], { layerText: 'fixed build', created: '2026-11-14T08:00:00Z' });
    await reg.push.image('acme/app', ['5.2.1-apache'], { layerText: 'vulnerable build', created: '2026-10-01T08:00:00Z' });
    dir = await mkdtemp(join(tmpdir(), 'cvdesk-release-registry-'));
    // The Mautic policy, watching the test registry's repository instead of Docker Hub.
    const policy = (await readFile('examples/policies/mautic-docker.yaml', 'utf8')).replace('name: docker.io/mautic/mautic', `name: ${repo}`);
    await writeFile(join(dir, 'policy.yaml'), policy);
    desk = await startTestDesk({ now: t('2026-11-16T10:00:00Z'), env: { CVDESK_POLICY: join(dir, 'policy.yaml') } });
    member = await loginAs(desk, await createMember(desk, { role: 'member' }));
    report = await insertFixedReport(desk.ctx.db, t('2026-11-13T10:00:00Z'), { image: repo, tag: '5.2.1-apache' });
  }, 60_000);
  afterAll(async () => {
    await desk?.close();
    await reg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('offers the synced tags, records the digest the tag has, and keeps it when the tag moves on', async () => {
    const [synced] = await syncImages(desk.ctx);
    expect(synced).toMatchObject({ repository: repo, status: 'succeeded' });
    const page = await member.get(`/team/reports/${report.number}`);
    expect(page.body).toContain(`<option value="${repo}">${repo}</option>`); // the policy's repository
    expect(page.body).toContain('<option value="5.2.2-apache">');
    expect(page.body).toContain('<option value="5.2.1-apache">');

    const refused = await member.post(`/team/reports/${report.number}/release/build`, { repository: repo, tag: '5.2.3-apache' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('the image inventory has no tag &quot;5.2.3-apache&quot;');
    expect((await member.post(`/team/reports/${report.number}/release/build`, { repository: repo, tag: '5.2.2-apache' })).statusCode).toBe(303);
    expect((await releaseTrail(desk.ctx.db, report.id)).releases).toMatchObject([{ build_repository: repo, build_tag: '5.2.2-apache', build_digest: first.digest }]);

    // The tag is pushed again (a weekly rebuild) and synced: the inventory moves, the recorded build does not.
    const rebuilt = await reg.push.image('acme/app', ['5.2.2-apache'], { layerText: 'weekly rebuild', created: '2026-11-16T00:00:00Z' });
    expect(rebuilt.digest).not.toBe(first.digest);
    desk.setNow(t('2026-11-16T11:00:00Z'));
    await syncImages(desk.ctx);
    const tag = await desk.ctx.db.selectFrom('image_tags').select('digest').where('repository', '=', repo).where('tag', '=', '5.2.2-apache').executeTakeFirstOrThrow();
    expect(tag.digest).toBe(rebuilt.digest);
    expect((await releaseTrail(desk.ctx.db, report.id)).releases).toMatchObject([{ build_digest: first.digest }]);
    const plan = await member.get('/team/releases');
    expect(plan.body).toContain(`<code>${repo}:5.2.2-apache</code>`);
    expect(plan.body).toContain(`title="${first.digest}"`);
  });
});
