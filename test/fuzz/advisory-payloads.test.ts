/**
 * Issue #7: the payload corpus (payloads.ts) through every free-text field of an advisory (title,
 * summary, details, remediation, workarounds, a not-affected statement, a reference's summary,
 * the upstream component's name, a credit's name, organization and contact), drafted, scheduled and
 * published through the desk's use cases, then every output that shows the text: the public page
 * and index (parsed HTML: no script, handler or javascript: link the desk did not write; title and
 * summary shown as text), the Atom feed (well-formed XML, the title as text), the model JSON, OSV
 * and the CSAF documents (valid JSON that round-trips each text exactly), the announcement mail to
 * subscribers (headers without line breaks, the text in the plain-text body), and the team's advisory
 * page. A text the model refuses (a line break in a title or summary, NUL anywhere) is refused
 * with a problem naming the field, and nothing is stored.
 */
import type { LightMyRequestResponse } from 'fastify';
import { parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftAdvisory } from '../../src/app/advisories/draft-advisory.js';
import { publishAdvisory } from '../../src/app/advisories/publish-advisory.js';
import { scheduleAdvisory } from '../../src/app/advisories/schedule-advisory.js';
import { announcePublished } from '../../src/app/announcements/announce-published.js';
import { confirmSubscription } from '../../src/app/announcements/confirm-subscription.js';
import { subscribe } from '../../src/app/announcements/subscribe.js';
import { openOutboxSecret } from '../../src/app/notifications/outbox.js';
import { renderOutboxMail } from '../../src/app/notifications/render-outbox-mail.js';
import { baseImageDocument, digest, get, MAUTIC, REBUILT, seedInventory } from '../csaf-provider/support.js';
import { testEngine } from '../support/database.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { insertUser } from '../support/fixtures.js';
import { createMember, loginAs, type TeamAgent } from '../support/team.js';
import { unsafeHtml, visibleText } from './html-check.js';
import { PAYLOADS, type Payload } from './payloads.js';

const NOW = new Date('2026-11-16T10:00:00Z');
const CSAF = '/.well-known/csaf/white/2026';

/** The single-line form of a payload (titles and summaries refuse line breaks). */
const oneLine = (p: Payload) => p.text.replace(/[\r\n]+/g, ' ');

/** The editor's document with the payload in every free-text field. */
function hostileDocument(p: Payload, text = p.text): Record<string, unknown> {
  const line = oneLine(p).slice(0, 200);
  const base = baseImageDocument();
  const [image] = base.images as Array<{ notAffected: Array<Record<string, unknown>> } & Record<string, unknown>>;
  return baseImageDocument({
    title: line,
    summary: line,
    details: text,
    remediation: text,
    workarounds: [text],
    component: { name: line, purl: 'pkg:deb/debian/openssl', fixedVersion: '3.0.14-1~deb12u2' },
    images: [{ ...image, notAffected: [{ ...image!.notAffected[0], statement: text }] }],
    references: [{ url: 'https://example.org/advisory', type: 'web', summary: text }],
    credits: [{ name: line, organization: line, contact: [line], type: 'finder' }],
  });
}

/**
 * Is the text well-formed XML of elements, attributes and text (what the Atom feed is made of)?
 * Tags balance, attribute values are quoted, text and values hold no raw "<" and only the
 * predefined or numeric entities. Returns the first fault, or null.
 */
function xmlFault(xml: string): string | null {
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  const entity = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i;
  const stack: string[] = [];
  let at = 0;
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const text = body.slice(at, m.index);
    if (text.includes('<') || text.includes('>') || entity.test(text)) return `text before <${m[2]}> at ${m.index}: ${text.slice(0, 80)}`;
    if (entity.test(m[3] ?? '')) return `attribute of <${m[2]}>: ${m[3]?.slice(0, 80)}`;
    if (m[1]) {
      if (stack.pop() !== m[2]) return `</${m[2]}> closes nothing open at ${m.index}`;
    } else if (!m[4]) stack.push(m[2]!);
    at = m.index + m[0].length;
  }
  if (body.slice(at).trim() !== '') return `trailing text: ${body.slice(at, at + 80)}`;
  return stack.length ? `unclosed <${stack.join('>, <')}>` : null;
}

/** Every string value in a JSON document. */
const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);

/** The text of each <title> of the Atom feed's entries, entities decoded. */
function atomTitles(xml: string): string[] {
  const doc = parseDocument(xml, { xmlMode: true, decodeEntities: true });
  const feed = doc.children.find((n) => 'name' in n && n.name === 'feed') as unknown as { children: Array<{ name?: string; children?: Array<{ name?: string; children?: Array<{ data?: string }> }> }> };
  return feed.children.filter((e) => e.name === 'entry').map((e) => (e.children ?? []).find((c) => c.name === 'title')?.children?.map((c) => c.data ?? '').join('') ?? '');
}

describe(`payload corpus through every advisory text field on ${testEngine()}: escaped everywhere`, () => {
  let desk: TestDesk;
  let member: { id: string; role: 'member' };
  let admin: { id: string; role: 'admin' };
  let team: TeamAgent;
  const published: Array<{ payload: Payload; ident: string; title: string }> = [];

  function clean(page: LightMyRequestResponse, what: string): string {
    expect(page.statusCode, `${what}: ${page.body.slice(0, 200)}`).toBe(200);
    expect(unsafeHtml(page.body), what).toEqual([]);
    return visibleText(page.body);
  }

  async function advisoryCount(): Promise<number> {
    const row = await desk.ctx.db.selectFrom('advisories').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  beforeAll(async () => {
    desk = await startTestDesk({ now: NOW, env: { CVDESK_LOG_LEVEL: 'warn' } });
    member = { id: (await insertUser(desk.ctx.db, { role: 'member' })).id, role: 'member' };
    admin = { id: (await insertUser(desk.ctx.db, { role: 'admin' })).id, role: 'admin' };
    await seedInventory(desk.ctx.db, MAUTIC, { '5.2.1-apache': digest('a'), '5.2.1': digest('a'), '5.2.1-fpm': digest('b'), '5.2.0-apache': digest('c') }, new Date('2026-11-01T00:00:00Z'));
    await seedInventory(desk.ctx.db, MAUTIC, REBUILT, new Date('2026-11-16T00:00:00Z'));
    team = await loginAs(desk, await createMember(desk, { role: 'admin' }));
  }, 120_000);
  afterAll(() => desk?.close());

  it('an advisory with the payload in every free-text field is drafted, scheduled and published', async () => {
    for (const payload of PAYLOADS.filter((p) => !p.refused)) {
      const drafted = await draftAdvisory(desk.ctx, { actorId: member.id, reportNumbers: [], document: hostileDocument(payload) });
      expect(drafted, payload.name).toMatchObject({ ok: true });
      if (!drafted.ok) continue;
      expect(await scheduleAdvisory(desk.ctx, { id: drafted.id, actor: member }), payload.name).toMatchObject({ ok: true });
      expect(await publishAdvisory(desk.ctx, { id: drafted.id, actor: admin }), payload.name).toMatchObject({ ok: true });
      published.push({ payload, ident: drafted.ident, title: oneLine(payload).slice(0, 200).trim() });
    }
    expect(published.length).toBe(PAYLOADS.filter((p) => !p.refused).length);
  }, 240_000);

  it('a line break in the title or the summary, or NUL in any text, is refused with a problem naming the field, and nothing is stored', async () => {
    const before = await advisoryCount();
    const nul = PAYLOADS.find((p) => p.refused)!;
    const multiline = PAYLOADS.filter((p) => p.multiline);
    expect(multiline.length).toBeGreaterThan(0);
    const cases: Array<[string, Record<string, unknown>, string]> = [];
    for (const p of multiline) {
      cases.push([`${p.name} in the title`, { ...hostileDocument(p), title: p.text }, 'title']);
      cases.push([`${p.name} in the summary`, { ...hostileDocument(p), summary: p.text }, 'summary']);
    }
    const good = hostileDocument(PAYLOADS[0]!);
    const withNul: Array<[string, Record<string, unknown>]> = [
      ['title', { title: nul.text }],
      ['summary', { summary: nul.text }],
      ['details', { details: nul.text }],
      ['remediation', { remediation: nul.text }],
      ['workarounds', { workarounds: ['fine', nul.text] }],
      ['component', { component: { ...(good.component as object), name: nul.text } }],
      ['references', { references: [{ url: 'https://example.org/a', summary: nul.text }] }],
      ['credits', { credits: [{ name: nul.text }] }],
      ['images', { images: [{ ...(good.images as object[])[0], notAffected: [{ ...((good.images as Array<{ notAffected: object[] }>)[0]!.notAffected[0]), statement: nul.text }] }] }],
    ];
    for (const [field, over] of withNul) cases.push([`NUL in ${field}`, { ...good, ...over }, field]);
    for (const [what, document, field] of cases) {
      const r = await draftAdvisory(desk.ctx, { actorId: member.id, reportNumbers: [], document });
      expect(r.ok, what).toBe(false);
      if (r.ok) continue;
      expect(r.code, what).toBe('invalid_input');
      expect(r.problems?.map((p) => p.path[0]), `${what}: ${JSON.stringify(r.problems)}`).toContain(field);
      expect(r.problems?.every((p) => p.message.length > 0 && !p.message.includes('\u0000')), what).toBe(true);
    }
    expect(await advisoryCount()).toBe(before);
  });

  it('the announcement mail (en and de): headers without line breaks, title and summary as plain text in the body', async () => {
    for (const [email, language] of [['ada@example.org', 'en'], ['bea@example.org', 'de']] as const) {
      expect(await subscribe(desk.ctx, { email, language })).toEqual({ kind: 'accepted' });
      const row = await desk.ctx.db.selectFrom('mail_outbox').select(['id', 'secret']).where('recipient', '=', email).executeTakeFirstOrThrow();
      expect(await confirmSubscription(desk.ctx, openOutboxSecret(desk.ctx.secretKey, row.id, row.secret!).split('/').at(-1)!)).toMatchObject({ kind: 'confirmed' });
    }
    await announcePublished(desk.ctx);
    const rows = await desk.ctx.db.selectFrom('mail_outbox').selectAll().where('kind', '=', 'announcement').execute();
    expect(rows).toHaveLength(published.length * 2);
    const asMailLine = (s: string) => s.replace(/\s+/g, ' ').trim();
    for (const row of rows) {
      const { payload, title } = published.find((p) => p.ident === row.payload.ident)!;
      const mail = await renderOutboxMail(desk.ctx, row);
      expect(mail.kind, payload.name).toBe('send');
      if (mail.kind !== 'send') continue;
      for (const [name, value] of Object.entries({ subject: mail.subject, ...mail.headers })) {
        expect(value, `${name}: ${payload.name}`).not.toMatch(/[\r\n]/);
        expect(value.includes('\u0000'), `${name}: ${payload.name}`).toBe(false);
      }
      expect(mail.subject, payload.name).toContain(asMailLine(title));
      expect(mail.text, payload.name).toContain(asMailLine(title));
      expect(mail.text, payload.name).toContain(oneLine(payload).slice(0, 200).trim());
    }
  });

  it('each advisory page and the index hold no markup of the payload, and show title and summary as text', async () => {
    const index = clean(await get(desk, '/advisories'), 'index');
    for (const { payload, ident, title } of published) {
      const page = clean(await get(desk, `/advisories/${ident}`), `page: ${payload.name}`);
      expect(page, payload.name).toContain(title);
      expect(index, payload.name).toContain(title);
    }
  });

  it('the Atom feed is well-formed XML with each title as text', async () => {
    const r = await get(desk, '/advisories.atom');
    expect(r.statusCode).toBe(200);
    expect(xmlFault(r.body)).toBeNull();
    const titles = atomTitles(r.body);
    for (const { payload, ident, title } of published) expect(titles, payload.name).toContain(`${ident}: ${title}`);
    const names = new Set([...r.body.matchAll(/<([A-Za-z][\w:.-]*)/g)].map((m) => m[1]!));
    for (const name of names) expect(['feed', 'id', 'title', 'subtitle', 'updated', 'published', 'link', 'author', 'name', 'uri', 'generator', 'entry', 'summary', 'content', 'category'], name).toContain(name);
  });

  it('the model JSON, OSV and CSAF documents are valid JSON that round-trips each text exactly', async () => {
    for (const { payload, ident } of published) {
      const text = payload.text.trim();
      const line = oneLine(payload).slice(0, 200).trim();
      const model = await get(desk, `/advisories/${ident}.json`);
      expect(model.statusCode).toBe(200);
      const a = JSON.parse(model.body) as Record<string, unknown> & { credits: Array<Record<string, unknown>>; references: Array<Record<string, unknown>>; component: { name: string }; images: Array<{ notAffected: Array<{ statement: string }> }> };
      expect({ title: a.title, summary: a.summary, details: a.details, remediation: a.remediation, workarounds: a.workarounds }, payload.name).toEqual({ title: line, summary: line, details: text, remediation: text, workarounds: [text] });
      expect(a.credits[0], payload.name).toMatchObject({ name: line, organization: line, contact: [line] });
      expect(a.references[0]?.summary, payload.name).toBe(text);
      expect(a.component.name, payload.name).toBe(line);
      expect(a.images[0]?.notAffected[0]?.statement, payload.name).toBe(text);

      const osv = JSON.parse((await get(desk, `/advisories/${ident}.osv.json`)).body) as { summary: string; details: string; credits?: Array<{ name: string }> };
      expect(osv.summary, payload.name).toBe(line);
      expect(osv.details, payload.name).toContain(text);
      expect(osv.credits?.map((c) => c.name), payload.name).toContain(line);

      const csaf = await get(desk, `${CSAF}/${ident.toLowerCase()}.json`);
      expect(csaf.statusCode, payload.name).toBe(200);
      const doc = JSON.parse(csaf.body) as { document: { title: string } };
      expect(doc.document.title, payload.name).toBe(line);
      const texts = strings(doc);
      expect(texts, payload.name).toContain(line); // the summary note and the credit's name
      expect(texts.some((n) => n.includes(text)), payload.name).toBe(true); // the details
      for (const path of (await get(desk, '/.well-known/csaf/white/index.txt')).body.trim().split('\n').filter((p) => p.startsWith(`2026/${ident.toLowerCase()}`))) {
        const r = await get(desk, `/.well-known/csaf/white/${path}`);
        expect(() => JSON.parse(r.body) as unknown, path).not.toThrow();
      }
    }
  });

  it("the team's advisory pages hold no markup of the payload and show the title as text", async () => {
    const list = clean(await team.get('/team/advisories'), 'team advisory list');
    for (const { payload, ident, title } of published) {
      const page = clean(await team.get(`/team/advisories/${ident}`), `team page: ${payload.name}`);
      expect(page, payload.name).toContain(ident);
      expect(list, payload.name).toContain(title.slice(0, 60));
    }
  });
});
