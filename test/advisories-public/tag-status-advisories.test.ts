import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { REPO, exampleAdvisory, insertPublished, insertUnpublished, markWithdrawn, seedInventory } from './support.js';

/** The tag status (API and public page) names the published advisories that affect a tag, and nothing unpublished. */
describe('tag status with published advisories', () => {
  let desk: TestDesk;
  const at = new Date('2026-11-25T10:00:00Z');
  const status = async (tag: string) => (await desk.app.inject({ method: 'GET', url: `/api/v1/images/${REPO}/tags/${tag}/status` })).json() as { advisories: Array<{ id: string; title: string; severity: string | null; url: string | null }> };

  beforeAll(async () => {
    desk = await startTestDesk({ now: new Date('2026-11-26T00:00:00Z') });
    const { advisory, inventory } = exampleAdvisory();
    await seedInventory(desk.ctx.db, REPO, inventory);
    await insertPublished(desk.ctx.db, 'CVDESK-2026-0001', advisory, at);
    await insertUnpublished(desk.ctx.db, 'CVDESK-2026-0002', { ...advisory, title: 'Draft that must stay secret' }, 'scheduled', at);
    const withdrawn = await insertPublished(desk.ctx.db, 'CVDESK-2026-0003', { ...advisory, title: 'Withdrawn one' }, at);
    await markWithdrawn(desk.ctx.db, withdrawn, new Date('2026-11-25T12:00:00Z'), 'not a vulnerability after all');
  });
  afterAll(() => desk?.close());

  it('lists the published advisory for an affected tag, by its name and for a tag sharing its image', async () => {
    const expected = [{ id: 'CVDESK-2026-0001', title: exampleAdvisory().advisory.title, severity: expect.stringMatching(/^(low|medium|high|critical)$/), url: 'https://desk.example.test/advisories/CVDESK-2026-0001' }];
    expect((await status('5.2.1-apache')).advisories).toEqual(expected);
    expect((await status('5.2.1')).advisories).toEqual(expected);
    expect((await status('6.0.0-apache')).advisories).toEqual(expected);
  });

  it('lists nothing for fixed, not affected or unsupported tags, and never a scheduled or withdrawn advisory', async () => {
    for (const tag of ['5.2.2-apache', '6.0.1-apache', '5.2.1-fpm', '4.4.13-apache']) expect((await status(tag)).advisories, tag).toEqual([]);
    const all = JSON.stringify(await status('5.2.1-apache'));
    expect(all).not.toContain('CVDESK-2026-0002');
    expect(all).not.toContain('CVDESK-2026-0003');
  });

  it('shows the advisory on the public tag page', async () => {
    const page = await desk.app.inject({ method: 'GET', url: `/images/${REPO}/tags/5.2.1-apache` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('CVDESK-2026-0001');
    expect(page.body).not.toContain('Draft that must stay secret');
  });
});
