import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/adapters/ci/webhook.js';
import { listAdminNotices } from '../../src/app/admin-notices.js';
import { announcePublished } from '../../src/app/announcements/announce-published.js';
import { deliverWebhooks } from '../../src/app/announcements/deliver-webhooks.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { createMember, loginAs, type TeamAgent } from '../support/team.js';
import { advisory, digest, MAUTIC, NOW, prepareDesk, startReceiver, type HookRequest } from './support.js';

const MINUTE = 60_000;
const header = (r: HookRequest, name: string) => String(r.headers[name] ?? '');

describe(`signed webhooks: added by an admin, each publication POSTed once, signed, retried (${testEngine()})`, () => {
  let desk: TestDesk;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: { id: string; role: 'admin' };
  let as: TeamAgent;
  let secret: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    desk = await startTestDesk({ now: NOW });
    admin = await prepareDesk(desk);
    as = await loginAs(desk, await createMember(desk, { role: 'admin' }));
  }, 60_000);
  afterAll(async () => {
    await desk?.close();
    await receiver?.close();
  });

  it('refuses URLs that are not http(s) or carry credentials, and shows the new key once', async () => {
    for (const [url, says] of [
      ['ftp://hooks.example.org/x', 'Only http and https URLs'],
      ['https://user:secret@hooks.example.org/x', 'must not contain a user name or password'],
      ['javascript:alert(1)', 'Only http and https URLs'],
      ['hooks.example.org/x', 'This is not a URL'],
      ['', 'Enter the URL'],
    ] as const) {
      const r = await as.post('/team/webhooks', { url });
      expect(r.statusCode, url).toBe(400);
      expect(r.body).toContain(says);
    }
    expect(await desk.ctx.db.selectFrom('webhooks').selectAll().execute()).toEqual([]);

    const added = await as.post('/team/webhooks', { url: receiver.url });
    expect(added.statusCode).toBe(200);
    secret = /<code class="secret" id="webhook-secret">([^<]+)<\/code>/.exec(added.body)?.[1] ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await desk.ctx.db.selectFrom('webhooks').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ url: receiver.url, active: true, created_by: as.member.id });
    expect(row.secret).not.toContain(secret);
    const again = await as.get('/team/webhooks');
    expect(again.body).toContain(receiver.url);
    expect(again.body).not.toContain(secret);
    expect(desk.logs.join('\n')).not.toContain(secret);
    const audit = await desk.ctx.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'webhook.add').execute();
    expect(audit).toEqual([{ action: 'webhook.add', actor_id: as.member.id }]);
  });

  it('POSTs the published advisory once, signed in the CI webhook scheme; a 500 is tried again a minute later', async () => {
    await advisory(desk, admin, 'A draft only', 'draft');
    const published = await advisory(desk, admin, 'Apache variant serves the log folder');
    expect((await announcePublished(desk.ctx)).announced).toEqual([{ ident: published.ident, mails: 0, webhooks: 1 }]);
    expect((await announcePublished(desk.ctx)).announced).toEqual([]);

    receiver.answer(500);
    const first = await deliverWebhooks(desk.ctx);
    expect(first).toEqual([expect.objectContaining({ outcome: 'retry', status: 500 })]);
    expect(await deliverWebhooks(desk.ctx)).toEqual([]); // not due yet
    desk.setNow(new Date(NOW.getTime() + MINUTE));
    expect(await deliverWebhooks(desk.ctx)).toEqual([expect.objectContaining({ outcome: 'delivered', status: 200 })]);
    expect(await deliverWebhooks(desk.ctx)).toEqual([]);

    expect(receiver.requests).toHaveLength(2);
    const delivery = await desk.ctx.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, last_status: 200, last_error: null });
    for (const [i, r] of receiver.requests.entries()) {
      const now = i === 0 ? NOW : new Date(NOW.getTime() + MINUTE);
      expect(header(r, 'content-type')).toBe('application/json');
      expect(header(r, 'x-cvdesk-event')).toBe('advisory.published');
      expect(header(r, 'x-cvdesk-delivery')).toBe(delivery.id);
      expect(header(r, 'x-cvdesk-timestamp')).toBe(String(Math.floor(now.getTime() / 1000)));
      expect(verifyWebhookSignature({ secret, body: r.body, timestamp: header(r, 'x-cvdesk-timestamp'), signature: header(r, 'x-cvdesk-signature-256'), now })).toEqual({ ok: true });
      expect(verifyWebhookSignature({ secret, body: r.body.replace('Apache', 'Nginx'), timestamp: header(r, 'x-cvdesk-timestamp'), signature: header(r, 'x-cvdesk-signature-256'), now })).toMatchObject({ ok: false });
      expect(verifyWebhookSignature({ secret: 'another key', body: r.body, timestamp: header(r, 'x-cvdesk-timestamp'), signature: header(r, 'x-cvdesk-signature-256'), now })).toMatchObject({ ok: false });
    }
    const body = JSON.parse(receiver.requests[1]!.body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(body).toMatchObject({
      event: 'advisory.published',
      delivery: delivery.id,
      advisory: {
        id: published.ident,
        title: 'Apache variant serves the log folder',
        severity: { rating: 'medium', score: 5.3, cvss31: { score: 5.3, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N' }, cvss40: null },
        // every tag on an affected digest (5.2.1 is the Apache image), each with where to move
        affected: [
          { image: MAUTIC, tag: '5.2.1', digest: digest('2'), remedy: { kind: 'move', tag: '5.2.2', digest: digest('4') } },
          { image: MAUTIC, tag: '5.2.1-apache', digest: digest('2'), remedy: { kind: 'move', tag: '5.2.2-apache', digest: digest('4') } },
          { image: MAUTIC, tag: '5.2.0-apache', digest: digest('1'), remedy: { kind: 'move', tag: '5.2.2-apache', digest: digest('4') } },
        ],
        fixed: [
          { image: MAUTIC, tag: '5.2.2', digest: digest('4') },
          { image: MAUTIC, tag: '5.2.2-apache', digest: digest('4') },
        ],
        remediation: 'Move to 5.2.2-apache.',
        urls: {
          html: `https://desk.example.test/advisories/${published.ident}`,
          json: `https://desk.example.test/advisories/${published.ident}.json`,
          osv: `https://desk.example.test/advisories/${published.ident}.osv.json`,
          csaf: expect.stringMatching(/^https:\/\/desk\.example\.test\/\.well-known\/csaf\/white\/2026\/cvdesk-2026-\d{4}\.json$/),
        },
      },
    });
    expect(receiver.requests[1]!.body).not.toContain('A draft only');

    const page = await as.get('/team/webhooks');
    expect(page.body).toContain(published.ident);
    expect(page.body).toContain('delivered');
    expect(page.body).toContain('2 attempts');
  });

  it('gives up after the last attempt with an admin notice; a removed webhook gets nothing more', async () => {
    const second = await advisory(desk, admin, 'A second flaw');
    await announcePublished(desk.ctx);
    receiver.answer(503, 503);
    const rule = { maxAttempts: 2, baseDelayMs: MINUTE, maxDelayMs: MINUTE };
    expect(await deliverWebhooks(desk.ctx, { rule })).toEqual([expect.objectContaining({ outcome: 'retry', status: 503 })]);
    desk.setNow(new Date(desk.ctx.clock().getTime() + MINUTE));
    const [failed] = await deliverWebhooks(desk.ctx, { rule });
    expect(failed).toMatchObject({ outcome: 'failed', status: 503 });
    expect(failed!.error).toContain('answered 503 (receiver is down)');
    expect((await listAdminNotices(desk.ctx.db)).map((n) => n.key)).toContain('webhook-failed');
    const page = await as.get('/team/webhooks');
    expect(page.body).toContain(second.ident);
    expect(page.body).toContain('HTTP 503');

    // removed: waiting deliveries are cancelled and the next publication has none
    const third = await advisory(desk, admin, 'A third flaw');
    await announcePublished(desk.ctx);
    const hook = await desk.ctx.db.selectFrom('webhooks').select('id').executeTakeFirstOrThrow();
    const removed = await as.post('/team/webhooks/remove', { id: hook.id });
    expect(removed.statusCode).toBe(303);
    expect((await as.post('/team/webhooks/remove', { id: hook.id })).statusCode).toBe(404);
    const fourth = await advisory(desk, admin, 'A fourth flaw');
    expect((await announcePublished(desk.ctx)).announced).toEqual([{ ident: fourth.ident, mails: 0, webhooks: 0 }]);
    const before = receiver.requests.length;
    expect(await deliverWebhooks(desk.ctx)).toEqual([]);
    expect(receiver.requests).toHaveLength(before);
    const rows = await desk.ctx.db.selectFrom('webhook_deliveries as d').innerJoin('advisories as a', 'a.id', 'd.advisory_id').select(['a.ident', 'd.status']).orderBy('a.ident').execute();
    expect(rows.find((r) => r.ident === third.ident)?.status).toBe('cancelled');
  });
});
