import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../../src/adapters/db/open-database.js';
import { verifyAuditLog } from '../../src/app/verify-audit-log.js';
import { csrfOf, multipart, trackingLinkOf, type Part } from '../support/reporter.js';

/**
 * Intake load for the durability tests: reports that each carry a unique canary in their title, sent
 * over HTTP to a real `cvdesk serve` by the API (JSON, base64 attachments) or by the form (multipart,
 * with CSRF), and the checks that a stored report is complete: every field, every attachment byte,
 * its timeline entry, its audit entry and its acknowledgement in the outbox.
 */
export interface Canary {
  key: string;
  channel: 'api' | 'web';
  fields: {
    title: string;
    image: string;
    tag: string;
    description: string;
    steps: string;
    impact: string;
    cvss: string;
    reporterName?: string;
    reporterEmail?: string;
    credit: { wish: 'name'; name: string } | { wish: 'none' };
  };
  files: Array<{ filename: string; contentType: string; data: Buffer }>;
}

export interface Answer {
  canary: Canary;
  /** The HTTP status, or null when no answer came (the desk died, the connection broke). */
  status: number | null;
  token?: string;
  id?: string;
}

const png = (bytes: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(bytes)]);

/** The i-th report of a run: a third by the form, every other one with files, every fourth anonymous. */
export function canary(run: string, i: number): Canary {
  const key = `${run}-${i}`;
  const files: Canary['files'] = [];
  if (i % 2 === 0) files.push({ filename: `screenshot-${i}.png`, contentType: 'image/png', data: png(20_000 + i * 997) });
  if (i % 5 === 0) files.push({ filename: `server-${i}.log`, contentType: 'text/plain', data: Buffer.from(`canary ${key}\n${'GET /upload?f=../../etc/passwd 500\n'.repeat(300)}`) });
  return {
    key,
    channel: i % 3 === 2 ? 'web' : 'api',
    fields: {
      title: `Canary ${key}: path traversal in the upload handler`,
      image: 'docker.io/mautic/mautic',
      tag: '5.2.1-apache',
      description: `Canary ${key}.\n${'The upload handler joins the file name to the media folder without normalising it. '.repeat(25).trimEnd()}`,
      steps: `1. Upload a file named ../../${key}.php\n2. Request it`,
      impact: `Remote code execution (canary ${key})`,
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      ...(i % 4 === 0 ? {} : { reporterName: `Finder ${key}`, reporterEmail: `finder-${key}@example.net` }),
      credit: i % 2 === 0 ? { wish: 'name', name: `Finder ${key}` } : { wish: 'none' },
    },
    files,
  };
}

/** The canary a stored title carries. */
export const keyOfTitle = (title: string) => /^Canary (\S+):/.exec(title)?.[1] ?? null;

async function answered(canary: Canary, send: () => Promise<Response>, read: (r: Response) => Promise<{ token: string; id?: string }>): Promise<Answer> {
  let res: Response;
  try {
    res = await send();
  } catch {
    return { canary, status: null };
  }
  if (res.status < 200 || res.status > 299) {
    await res.arrayBuffer().catch(() => undefined);
    return { canary, status: res.status };
  }
  try {
    return { canary, status: res.status, ...(await read(res)) };
  } catch {
    // the head came, the body did not: no complete answer
    return { canary, status: null };
  }
}

export function submitByApi(base: string, c: Canary): Promise<Answer> {
  const body = JSON.stringify({ ...c.fields, attachments: c.files.map((f) => ({ filename: f.filename, contentType: f.contentType, dataBase64: f.data.toString('base64') })) });
  return answered(
    c,
    () => fetch(`${base}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
    async (r) => {
      const j = (await r.json()) as { id: string; token: string };
      return { id: j.id, token: j.token };
    },
  );
}

/** Opens the form like a browser: its CSRF cookie and token. */
export async function formSession(base: string): Promise<{ cookie: string; csrf: string }> {
  const page = await fetch(`${base}/report`);
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrf: csrfOf(await page.text()) };
}

export function submitByForm(base: string, c: Canary, session: { cookie: string; csrf: string }): Promise<Answer> {
  const { credit, ...text } = c.fields;
  const parts: Part[] = [
    { name: '_csrf', value: session.csrf },
    ...Object.entries(text).map(([name, value]) => ({ name, value })),
    { name: 'credit', value: credit.wish },
    ...(credit.wish === 'name' ? [{ name: 'creditName', value: credit.name }] : []),
    ...c.files.map((f) => ({ name: 'attachments', filename: f.filename, contentType: f.contentType, data: f.data })),
  ];
  const body = multipart(parts);
  return answered(
    c,
    () => fetch(`${base}/report`, { method: 'POST', headers: { ...body.headers, cookie: session.cookie }, body: new Uint8Array(body.payload) }),
    async (r) => ({ token: trackingLinkOf(await r.text()).split('/').at(-1)! }),
  );
}

/** Through the desk: the token opens the report, every field is there, every file is byte-identical. */
export async function expectCompleteThroughDesk(base: string, a: Answer): Promise<void> {
  const c = a.canary;
  const auth = { authorization: `Bearer ${a.token}` };
  const res = await fetch(`${base}/api/v1/reporter/report`, { headers: auth });
  expect(res.status, `the token of ${c.key} opens its report`).toBe(200);
  const view = (await res.json()) as Record<string, unknown> & { timeline: Array<{ kind: string }>; attachments: Array<{ filename: string; url: string; size: number }> };
  if (a.id) expect(view.id, c.key).toBe(a.id);
  const { reporterName = null, reporterEmail = null, cvss, ...rest } = c.fields;
  expect(view, c.key).toMatchObject({ ...rest, cvss, reporterName, reporterEmail, state: 'received', language: 'en' });
  expect(view.timeline.map((e) => e.kind), c.key).toContain('received');
  expect(view.attachments.map((f) => f.filename).sort(), c.key).toEqual(c.files.map((f) => f.filename).sort());
  for (const f of view.attachments) {
    const bytes = Buffer.from(await (await fetch(`${base}${f.url}`, { headers: auth })).arrayBuffer());
    expect(bytes.equals(c.files.find((x) => x.filename === f.filename)!.data), `${c.key}: ${f.filename} byte-identical`).toBe(true);
  }
}

/**
 * In the database: every report is one of the canaries sent, at most once, and complete in every
 * table (report row, its "received" event, its files, its audit entry, its acknowledgement when it
 * gave an address); every answered canary is there; nothing refers to a report that is not; the
 * audit chain holds. Returns how many reports there are.
 */
export async function expectCompleteInDatabase(db: Db, sent: ReadonlyMap<string, Canary>, answers: readonly Answer[]): Promise<number> {
  const reports = await db.selectFrom('reports').selectAll().execute();
  const byKey = new Map<string, (typeof reports)[number]>();
  for (const r of reports) {
    const key = keyOfTitle(r.title);
    expect(key !== null && sent.has(key), `report ${r.number} (${r.title}) is one that was sent`).toBe(true);
    expect(byKey.has(key!), `${key} stored once`).toBe(false);
    byKey.set(key!, r);
  }
  for (const a of answers.filter((x) => x.status !== null && x.status >= 200 && x.status < 300)) {
    const r = byKey.get(a.canary.key);
    expect(r, `${a.canary.key} got ${a.status}: it must be stored`).toBeDefined();
    if (a.id) expect(r!.id).toBe(a.id);
    expect(r!.token_hash, `${a.canary.key}: the token answered is the one stored`).toBe(createHash('sha256').update(a.token!).digest('hex'));
  }
  const ids = reports.map((r) => r.id);
  const [events, files, audit, outbox] = ids.length
    ? await Promise.all([
        db.selectFrom('report_events').select(['report_id', 'kind', 'data']).where('report_id', 'in', ids).execute(),
        db.selectFrom('attachments').select(['report_id', 'message_id', 'filename', 'content_type', 'size', 'sha256', 'data']).where('report_id', 'in', ids).execute(),
        db.selectFrom('audit_log').select(['report_id', 'action']).where('report_id', 'in', ids).execute(),
        db.selectFrom('mail_outbox').select(['report_id', 'kind', 'dedupe_key', 'recipient']).where('report_id', 'in', ids).execute(),
      ])
    : [[], [], [], []];
  for (const [key, r] of byKey) {
    const c = sent.get(key)!;
    const f = c.fields;
    expect(
      {
        title: r.title,
        image: r.image,
        tag: r.tag,
        description: r.description,
        steps: r.steps,
        impact: r.impact,
        cvss: r.reporter_cvss,
        name: r.reporter_name,
        email: r.reporter_email,
        credit: r.credit_name,
        channel: r.channel,
        state: r.state,
      },
      key,
    ).toEqual({
      title: f.title,
      image: f.image,
      tag: f.tag,
      description: f.description,
      steps: f.steps,
      impact: f.impact,
      cvss: f.cvss,
      name: f.reporterName ?? null,
      email: f.reporterEmail ?? null,
      credit: f.credit.wish === 'name' ? f.credit.name : null,
      channel: c.channel,
      state: 'received',
    });
    const received = events.filter((e) => e.report_id === r.id && e.kind === 'received');
    expect(received.map((e) => (e.data as { attachments?: number }).attachments), `${key}: one "received" event`).toEqual([c.files.length]);
    const stored = files.filter((x) => x.report_id === r.id);
    expect(stored.map((x) => x.filename).sort(), `${key}: its files`).toEqual(c.files.map((x) => x.filename).sort());
    for (const s of stored) {
      const want = c.files.find((x) => x.filename === s.filename)!;
      expect(Buffer.from(s.data).equals(want.data), `${key}: ${s.filename} byte-identical`).toBe(true);
      expect([s.size, s.sha256, s.content_type, s.message_id], `${key}: ${s.filename}`).toEqual([want.data.length, createHash('sha256').update(want.data).digest('hex'), want.contentType, null]);
    }
    expect(audit.filter((x) => x.report_id === r.id && x.action === 'report.submit'), `${key}: one audit entry`).toHaveLength(1);
    const acks = outbox.filter((x) => x.report_id === r.id && x.kind === 'ack');
    expect(
      acks.map((x) => [x.dedupe_key, x.recipient]),
      `${key}: ${f.reporterEmail ? 'its acknowledgement is queued' : 'anonymous: no acknowledgement'}`,
    ).toEqual(f.reporterEmail ? [[`ack:${r.id}`, f.reporterEmail]] : []);
  }
  // nothing left behind by a report that is not there
  for (const table of ['report_events', 'attachments', 'messages', 'mail_outbox', 'audit_log'] as const) {
    const orphans = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} t where t.report_id is not null and not exists (select 1 from reports r where r.id = t.report_id)`.execute(db);
    expect(orphans.rows[0]!.n, `${table} rows of a report that is not stored`).toBe(0);
  }
  const chain = await verifyAuditLog(db);
  expect(chain, 'the audit chain holds').toMatchObject({ intact: true });
  return reports.length;
}
