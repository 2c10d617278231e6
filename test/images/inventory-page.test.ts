/**
 * The team's inventory page (/team/images): each repository of the policy with its last sync and
 * error, and its tags in display order with kind, support status under the policy's rule (Mautic:
 * newest minor of majors 5 and 6, no pre-releases), digest, platforms, created, revision and the
 * release each rolling tag points to. Members and admins only; everything escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInventory } from '../../src/app/images/describe-inventory.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { createMember, loginAs, type TeamAgent } from '../support/team.js';

const REPO = 'docker.io/mautic/mautic'; // the example policy's image
const d = (c: string) => `sha256:${c.repeat(64)}`;
const T = new Date('2026-03-02T10:00:00Z');
const HOSTILE = 'registry said <script>alert(1)</script>';

describe(`team inventory page on ${testEngine()}`, () => {
  let desk: TestDesk;
  let member: TeamAgent;

  beforeAll(async () => {
    desk = await startTestDesk({ now: new Date('2026-03-03T12:00:00Z') });
    member = await loginAs(desk, await createMember(desk, { role: 'member' }));
    const db = desk.ctx.db;
    await db.insertInto('image_repositories').values({ name: REPO, last_sync_at: new Date('2026-03-03T11:20:00Z'), last_success_at: T, last_error: HOSTILE }).execute();
    await db
      .insertInto('image_syncs')
      .values([
        { id: 's1', repository: REPO, started_at: T, finished_at: T, status: 'succeeded', tags_total: 126, manifests_fetched: 4, tags_added: 126, tags_changed: 0, tags_removed: 0, error: null },
        { id: 's2', repository: REPO, started_at: new Date('2026-03-03T11:20:00Z'), finished_at: new Date('2026-03-03T11:20:01Z'), status: 'failed', tags_total: 0, manifests_fetched: 0, tags_added: 0, tags_changed: 0, tags_removed: 0, error: HOSTILE },
      ])
      .execute();
    const manifest = (digest: string, extra: Partial<{ platforms: string; created: Date; revision: string }> = {}) => ({
      repository: REPO,
      digest,
      media_type: 'application/vnd.oci.image.index.v1+json',
      platforms: extra.platforms ?? '["linux/amd64","linux/arm64/v8"]',
      created: extra.created ?? T,
      revision: extra.revision ?? null,
      version: null,
      base_name: null,
      base_digest: null,
      fetched_at: T,
    });
    await db.insertInto('image_manifests').values([manifest(d('1'), { revision: '0123456789abcdef0123' }), manifest(d('2')), manifest(d('3'), { platforms: '["linux/amd64"]' }), manifest(d('4'))]).execute();
    const tag = (name: string, digest: string) => ({ repository: REPO, tag: name, digest, first_seen_at: T, changed_at: T, seen_at: T });
    await db
      .insertInto('image_tags')
      .values([
        tag('5.2.1-apache', d('1')),
        tag('5.2-apache', d('1')),
        tag('5.1.4-apache', d('2')),
        tag('6.0.0', d('3')),
        tag('latest', d('3')),
        tag('6.0.0-rc1', d('4')),
        tag('4.4.13', d('4')),
        // many old 5.0 releases, to overflow the overview
        ...Array.from({ length: 119 }, (_, i) => tag(`5.0.${i}`, d('2'))),
      ])
      .execute();
  }, 60_000);
  afterAll(() => desk?.close());

  it('reads the inventory with the support rule applied, rolling tags resolved by digest', async () => {
    const [repo] = await describeInventory(desk.ctx, { limit: 7 });
    expect(repo).toMatchObject({ name: REPO, synced: true, lastError: HOSTILE, tagCount: 126, lastSync: { status: 'failed', error: HOSTILE } });
    expect(repo!.tags.map((t) => [t.tag, t.kind, t.receivesAdvisories, t.rolling?.target ?? null])).toEqual([
      ['6.0.0', 'release', true, null],
      ['5.2.1-apache', 'release', true, null],
      ['5.1.4-apache', 'release', false, null],
      ['5.0.118', 'release', false, null],
      ['5.0.117', 'release', false, null],
      ['5.0.116', 'release', false, null],
      ['5.0.115', 'release', false, null],
    ]);
    const all = (await describeInventory(desk.ctx))[0]!;
    expect(all.tags).toHaveLength(126);
    expect(all.receivingAdvisories).toBe(4); // 6.0.0, 5.2.1-apache, and the rolling tags on them
    const byTag = Object.fromEntries(all.tags.map((t) => [t.tag, t]));
    expect(byTag['latest']).toMatchObject({ kind: 'rolling', receivesAdvisories: true, rolling: { target: '6.0.0', via: 'digest' } });
    expect(byTag['5.2-apache']).toMatchObject({ kind: 'rolling', receivesAdvisories: true, rolling: { target: '5.2.1-apache', via: 'digest' } });
    expect(byTag['6.0.0-rc1']).toMatchObject({ kind: 'prerelease', receivesAdvisories: false });
    expect(byTag['4.4.13']).toMatchObject({ receivesAdvisories: false, reason: 'Major 4 is not supported (supported majors: 5, 6).' });
  });

  it('shows each repository with its sync state and the first 100 tags, and links to all of them', async () => {
    const r = await member.get('/team/images');
    expect(r.statusCode).toBe(200);
    const html = r.body;
    expect(html).toContain('<h1>Images</h1>');
    expect(html).toContain(`<code>${REPO}</code>`);
    expect(html).toContain('last sync failed');
    expect(html).toContain('registry said &lt;script>alert(1)&lt;/script>');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('Tue 3 Mar 2026, 11:20 UTC'); // last sync, in the policy's zone (UTC)
    expect(html).toContain('126 stored, 4 receive advisories');
    expect(html).toContain('<code>20 * * * *</code> (UTC)');
    // a supported tag: digest shortened (whole in its title), platforms, created, revision
    expect(html).toMatch(/<code>5\.2\.1-apache<\/code><\/td><td>release<\/td><td><span class="badge ok">yes<\/span><div class="hint">5\.2 is the newest minor of supported major 5\.<\/div><\/td>/);
    expect(html).toContain(`<code title="${d('1')}">sha256:111111111111…</code>`);
    expect(html).toContain('<td>linux/amd64, linux/arm64/v8</td><td class="small">Mon 2 Mar 2026, 10:00 UTC</td><td class="mono"><code title="0123456789abcdef0123">0123456789ab…</code></td>');
    expect(html).toContain('5.1 is not the newest minor of major 5 (5.2 is).');
    expect((html.match(/<tr>/g) ?? []).length).toBe(101); // header + 100 tags
    expect(html).toContain(`<a href="/team/images?repository=docker.io%2Fmautic%2Fmautic">All 126 tags of ${REPO}</a>`);
    expect(html).toContain('<a href="/team/images" aria-current="page">Images</a>');
  });

  it("a repository's own view shows every tag, rolling tags with their target", async () => {
    const r = await member.get(`/team/images?repository=${encodeURIComponent(REPO)}`);
    expect(r.statusCode).toBe(200);
    expect((r.body.match(/<tr>/g) ?? []).length).toBe(127);
    expect(r.body).toContain('<code>latest</code><div class="hint">→ <code>6.0.0</code> (same digest)</div>');
    expect(r.body).toContain('<code>5.2-apache</code><div class="hint">→ <code>5.2.1-apache</code> (same digest)</div>');
    expect(r.body).not.toContain('All 126 tags');
  });

  it('an unknown repository in the query shows the overview', async () => {
    const r = await member.get('/team/images?repository=docker.io%2Fother%2Fthing');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('All 126 tags');
  });
});
