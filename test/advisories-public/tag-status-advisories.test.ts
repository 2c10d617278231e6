import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeUnfrozen } from '../../src/app/advisories/freeze-advisory.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { REPO, exampleAdvisory, insertPublished, insertUnpublished, markWithdrawn, seedInventory } from './support.js';

/**
 * The tag status (API and public page) names the published advisories that affect a tag, and
 * nothing unpublished: for an advisory published before freezing (resolved against the inventory
 * as it is), and for a frozen one (found through the affected images written when it was frozen).
 */
describe.each([
  ['published before freezing', false],
  ['frozen', true],
])('tag status with published advisories (%s)', (_, frozen) => {
  let desk: TestDesk;
  const at = new Date('2026-11-25T10:00:00Z');
  const status = async (tag: string) => (await desk.app.inject({ method: 'GET', url: `/api/v1/images/${REPO}/tags/${tag}/status` })).json() as { advisories: Array<{ id: string; title: string; severity: string | null; url: string | null }> };
  const expected = () => [{ id: 'CVDESK-2026-0001', title: exampleAdvisory().advisory.title, severity: 'medium', url: 'https://desk.example.test/advisories/CVDESK-2026-0001' }];

  beforeAll(async () => {
    desk = await startTestDesk({ now: new Date('2026-11-26T00:00:00Z') });
    const { advisory, inventory } = exampleAdvisory();
    await seedInventory(desk.ctx.db, REPO, inventory);
    await insertPublished(desk.ctx.db, 'CVDESK-2026-0001', advisory, at);
    await insertUnpublished(desk.ctx.db, 'CVDESK-2026-0002', { ...advisory, title: 'Draft that must stay secret' }, 'scheduled', at);
    const withdrawn = await insertPublished(desk.ctx.db, 'CVDESK-2026-0003', { ...advisory, title: 'Withdrawn one' }, at);
    await markWithdrawn(desk.ctx.db, withdrawn, new Date('2026-11-25T12:00:00Z'), 'not a vulnerability after all');
    if (frozen) expect(await freezeUnfrozen(desk.ctx)).toEqual(['CVDESK-2026-0001', 'CVDESK-2026-0003']);
  });
  afterAll(() => desk?.close());

  it('lists the published advisory for an affected tag, by its name and for a tag sharing its image', async () => {
    expect((await status('5.2.1-apache')).advisories).toEqual(expected());
    expect((await status('5.2.1')).advisories).toEqual(expected());
    expect((await status('6.0.0-apache')).advisories).toEqual(expected());
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

  it('a later release that ends support of 6.0 leaves a frozen advisory as published; one not frozen is resolved anew', async () => {
    const later = [
      { tag: '6.1.0', digest: `sha256:${'a'.repeat(64)}` },
      { tag: '6.1.0-apache', digest: `sha256:${'a'.repeat(64)}` },
    ];
    await seedInventory(desk.ctx.db, REPO, later);
    try {
      // the published revision named 6.0.0-apache affected, and it still is; a tag status resolved
      // against today's inventory would call 6.0 unsupported and name nothing
      expect((await status('6.0.0-apache')).advisories).toEqual(frozen ? expected() : []);
    } finally {
      await desk.ctx.db.deleteFrom('image_tags').where('tag', 'in', later.map((t) => t.tag)).execute();
    }
  });
});
