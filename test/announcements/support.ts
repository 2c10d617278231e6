import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { draftAdvisory } from '../../src/app/advisories/draft-advisory.js';
import { publishAdvisory } from '../../src/app/advisories/publish-advisory.js';
import { scheduleAdvisory } from '../../src/app/advisories/schedule-advisory.js';
import type { TestDesk } from '../support/desk.js';
import { insertUser } from '../support/fixtures.js';
import { csrfFieldOf, setCookie } from '../support/team.js';
import { BEFORE, editorDocument, FIXED, insertFixedReport, MAUTIC, seedInventory } from '../advisories-desk/support.js';

export { BEFORE, digest, FIXED, MAUTIC } from '../advisories-desk/support.js';

/** Sign-ups count against the report form's per-address limit: these tests post more than a person would. */
export const MANY_REQUESTS = { CVDESK_LIMIT_SUBMIT_PER_ADDRESS: '1000', CVDESK_LIMIT_SUBMIT_OVERALL: '1000' };

/** The Mautic policy (UTC): advisories are scheduled for the next security window, 2026-11-25 00:00. */
export const NOW = new Date('2026-11-16T10:00:00Z');

/** An admin (as the desk's use cases see one) and the inventory with the fixed image. */
export async function prepareDesk(desk: TestDesk): Promise<{ id: string; role: 'admin' }> {
  await seedInventory(desk.ctx.db, MAUTIC, { ...BEFORE, ...FIXED }, new Date('2026-11-14T00:00:00Z'));
  return { id: (await insertUser(desk.ctx.db, { role: 'admin' })).id, role: 'admin' };
}

/** A drafted advisory of a fixed report; `to` takes it on to scheduled or published (an admin publishes before the window). */
export async function advisory(desk: TestDesk, admin: { id: string; role: 'admin' }, title: string, to: 'draft' | 'scheduled' | 'published' = 'published'): Promise<{ id: string; ident: string }> {
  const report = await insertFixedReport(desk.ctx.db, new Date('2026-11-12T10:00:00Z'), { title });
  const d = await draftAdvisory(desk.ctx, { actorId: admin.id, reportNumbers: [report.number], document: editorDocument({ title, remediation: 'Move to 5.2.2-apache.' }) });
  if (!d.ok) throw new Error(d.reason);
  if (to === 'draft') return d;
  const s = await scheduleAdvisory(desk.ctx, { id: d.id, actor: admin });
  if (!s.ok) throw new Error(s.reason);
  if (to === 'scheduled') return d;
  const p = await publishAdvisory(desk.ctx, { id: d.id, actor: admin });
  if (!p.ok) throw new Error(p.reason);
  return d;
}

/** A visitor's form post to /advisories/subscribe, with the CSRF cookie and token of the form page. */
export async function subscribeForm(desk: TestDesk, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const page = await desk.app.inject({ url: '/advisories/subscribe', headers });
  expect(page.statusCode).toBe(200);
  const cookie = `cvdesk_csrf=${setCookie(page, 'cvdesk_csrf')}`;
  return desk.app.inject({
    method: 'POST',
    url: '/advisories/subscribe',
    headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfFieldOf(page.body), ...fields }).toString(),
  });
}

/** Opens a mailed confirmation link and presses its button, as a browser would. */
export async function confirmByLink(desk: TestDesk, link: string) {
  const path = new URL(link).pathname;
  const page = await desk.app.inject({ url: path });
  expect(page.statusCode, page.body).toBe(200);
  const cookie = `cvdesk_csrf=${setCookie(page, 'cvdesk_csrf')}`;
  return desk.app.inject({ method: 'POST', url: path, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrfFieldOf(page.body) }).toString() });
}

/** The link on its own line in a plain-text mail that starts with this URL. */
export const linkIn = (text: string, prefix: string): string => {
  const line = text.split(/\r?\n/).find((l) => l.trim().startsWith(prefix));
  if (!line) throw new Error(`no link starting with ${prefix} in:\n${text}`);
  return line.trim();
};

/** The Mautic example policy, offered in English and German (the example speaks English only). */
export async function bilingualPolicy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cvdesk-announce-policy-'));
  const file = join(dir, 'policy.yaml');
  const text = await readFile('examples/policies/mautic-docker.yaml', 'utf8');
  if (!/^languages: \[en\]$/m.test(text)) throw new Error('the example policy changed: languages');
  await writeFile(file, text.replace(/^languages: \[en\]$/m, 'languages: [en, de]'));
  return file;
}

export interface HookRequest {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that keeps every request and answers with the next queued status (200 when none). */
export async function startReceiver(): Promise<{ url: string; requests: HookRequest[]; answer(...statuses: number[]): void; close(): Promise<void> }> {
  const requests: HookRequest[] = [];
  let queue: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = queue.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'receiver is down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/cvdesk`,
    requests,
    answer: (...statuses) => (queue = [...queue, ...statuses]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
