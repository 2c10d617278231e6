import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSecurityTxtText } from '../../src/formats/security-txt/index.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

describe('public files and the frame of every page', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ now: new Date('2026-11-23T10:00:00Z') });
  });
  afterAll(() => desk?.close());

  it('serves security.txt at both RFC 9116 paths: valid, stored, with Expires from the policy', async () => {
    const a = await desk.app.inject('/.well-known/security.txt');
    const b = await desk.app.inject('/security.txt');
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(b.body).toBe(a.body);
    const check = checkSecurityTxtText(a.body, { now: new Date('2026-11-23T10:00:00Z'), canonicalUrls: [] });
    expect(check.errors).toEqual([]);
    expect(check.fields.expires).toEqual(['2027-05-22T10:00:00Z']); // 180 calendar days
    // a later request serves the same stored file, not a new Expires
    desk.setNow(new Date('2026-12-01T10:00:00Z'));
    expect((await desk.app.inject('/.well-known/security.txt')).body).toBe(a.body);
  });

  it('serves SECURITY.md as markdown', async () => {
    const r = await desk.app.inject('/SECURITY.md');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(r.body).toMatch(/^# Mautic Docker image security policy/);
  });

  it('sets strict security headers on every answer', async () => {
    const r = await desk.app.inject('/security.txt');
    const csp = String(r.headers['content-security-policy']);
    for (const d of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"]) expect(csp).toContain(d);
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains'); // https base URL
  });

  it('an unknown page is a 404 page in the frame; an unknown API path is a JSON 404', async () => {
    const page = await desk.app.inject('/no/such/page');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('There is nothing at this address.');
    const api = await desk.app.inject('/api/v1/nothing');
    expect(api.statusCode).toBe(404);
    expect(api.json()).toEqual({ error: { code: 'not_found', message: 'There is nothing at this address.' } });
  });

  it('pages are in English only when the policy prefers only English', async () => {
    const r = await desk.app.inject({ url: '/nowhere', headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    expect(r.body).toContain('<html lang="en">');
  });

  it('serves the stylesheet and script from our own origin', async () => {
    const css = await desk.app.inject('/assets/app.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect((await desk.app.inject('/assets/app.js')).statusCode).toBe(200);
  });
});

describe('a policy in English and German', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ env: { CVDESK_POLICY: 'examples/policies/ozg-security-scanner.yaml', CVDESK_BASE_URL: 'http://localhost:8080' } });
  });
  afterAll(() => desk?.close());

  it('the 404 page speaks German to a German browser, and ?lang= overrides the browser', async () => {
    const de = await desk.app.inject({ url: '/nowhere', headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' } });
    expect(de.body).toContain('<html lang="de">');
    expect(de.body).toContain('Unter dieser Adresse gibt es nichts.');
    const en = await desk.app.inject({ url: '/nowhere?lang=en', headers: { 'accept-language': 'de' } });
    expect(en.body).toContain('<html lang="en">');
  });

  it('sends no HSTS over plain http', async () => {
    expect((await desk.app.inject('/security.txt')).headers['strict-transport-security']).toBeUndefined();
  });
});
