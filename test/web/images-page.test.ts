import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { MAUTIC, MAUTIC_TAGS, digestOf, insertInventory, writeImagesPolicy } from './images-support.js';

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
/** What a reader sees: the text of the page without markup. */
const textOf = (html: string) => decode(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').replace(/ ([.,:)])/g, '$1');
const hrefsOf = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => decode(m[1] ?? ''));

describe('the public image pages (/images)', () => {
  let desk: TestDesk;
  const get = (url: string, headers: Record<string, string> = {}) => desk.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    desk = await startTestDesk({ env: { CVDESK_POLICY: writeImagesPolicy([MAUTIC, 'ghcr.io/acme/never-synced']) } });
    await insertInventory(desk.ctx.db, MAUTIC, MAUTIC_TAGS, new Date('2026-11-23T11:00:00Z'));
  }, 60_000);
  afterAll(() => desk?.close());

  it('is linked from the public navigation', async () => {
    const home = await get('/');
    expect(hrefsOf(home.body)).toContain('/images');
    expect(textOf(home.body)).toContain('Image tags');
  });

  it('asks with a GET form naming the policy images, without inline script or style', async () => {
    const r = await get('/images');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    const html = r.body;
    expect(html).toContain('<form method="get" action="/images"');
    expect(html).toContain(`<option value="${MAUTIC}">${MAUTIC}</option>`);
    expect(html).toContain('<option value="ghcr.io/acme/never-synced">');
    expect(html).toMatch(/<label for="tag">/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toContain('_csrf');
  });

  it('the form answers at the tag\'s own address', async () => {
    const r = await get(`/images?repository=${encodeURIComponent(MAUTIC)}&tag=5.2.0-apache`);
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/images/${MAUTIC}/tags/5.2.0-apache`);
  });

  it('says what is missing or wrong in the form, keeping the input', async () => {
    const noTag = await get(`/images?repository=${encodeURIComponent(MAUTIC)}&tag=`);
    expect(noTag.statusCode).toBe(400);
    expect(textOf(noTag.body)).toContain('Enter a tag.');
    expect(noTag.body).toContain(`<option value="${MAUTIC}" selected>`);
    const other = await get('/images?repository=docker.io%2Fevil%2Fimage&tag=1.0');
    expect(other.statusCode).toBe(400);
    expect(textOf(other.body)).toContain('docker.io/evil/image is not one of the images of this project.');
    const script = await get(`/images?repository=${encodeURIComponent(MAUTIC)}&tag=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(script.statusCode).toBe(400);
    expect(textOf(script.body)).toContain('"<script>alert(1)</script>" is not an image tag');
    expect(script.body).not.toContain('<script>alert(1)');
  });

  it('a supported release: receives advisories, move to the newest patch, with its digest and the API address', async () => {
    const r = await get(`/images/${MAUTIC}/tags/5.2.0-apache`);
    expect(r.statusCode).toBe(200);
    const text = textOf(r.body);
    expect(r.body).toContain(`<h1><code>${MAUTIC}:5.2.0-apache</code></h1>`);
    expect(text).toContain('This tag receives security advisories. Move to 5.2.1-apache, the newest supported release of its variant.');
    expect(text).toContain('5.2 is the newest minor of supported major 5.');
    expect(text).toContain(digestOf('b'));
    expect(text).toContain('No published advisory affects this tag.');
    expect(text).toContain('Registry data as of Mon 23 Nov 2026, 11:00 UTC');
    expect(hrefsOf(r.body)).toContain(`/images/${MAUTIC}/tags/5.2.1-apache`);
    expect(hrefsOf(r.body)).toContain(`/api/v1/images/${MAUTIC}/tags/5.2.0-apache/status`);
  });

  it('an unsupported major and a rolling tag that still carries an old image say so plainly', async () => {
    const old = textOf((await get(`/images/${MAUTIC}/tags/4.4.13-apache`)).body);
    expect(old).toContain('This tag does not receive security advisories. Move to 6.0.0-apache, the newest supported release of its variant.');
    expect(old).toContain('Major 4 is not supported (supported majors: 5, 6).');
    const rolling = textOf((await get(`/images/${MAUTIC}/tags/5-apache`)).body);
    expect(rolling).toContain('This tag does not receive security advisories.');
    expect(rolling).toContain('Points to 5.1.9-apache (same image digest)');
    const newest = textOf((await get(`/images/${MAUTIC}/tags/5.2.1-apache`)).body);
    expect(newest).toContain('This tag receives security advisories. You are on the newest supported release of this variant.');
    const latest = textOf((await get(`/images/${MAUTIC}/tags/latest`)).body);
    expect(latest).toContain('It points to the newest supported release; to pin it, use 6.0.0.');
  });

  it('in German on request', async () => {
    const r = await get(`/images/${MAUTIC}/tags/4.4.13-apache?lang=de`);
    expect(r.headers['content-language']).toBe('de');
    const text = textOf(r.body);
    expect(text).toContain('Dieser Tag erhält keine Sicherheitshinweise. Wechseln Sie zu 6.0.0-apache, dem neuesten unterstützten Release dieser Variante.');
    expect(r.body).toContain('<dd lang="en">Major 4 is not supported');
    expect(textOf((await get('/images', { 'accept-language': 'de' })).body)).toContain('Wird mein Image-Tag unterstützt?');
  });

  it('an unknown tag, an image outside the policy, one not synced yet: a 404 page that says which, with the form', async () => {
    for (const [url, status, message] of [
      [`/images/${MAUTIC}/tags/9.9.9`, 404, `${MAUTIC} has no tag 9.9.9.`],
      ['/images/docker.io/evil/image/tags/1.0', 404, 'docker.io/evil/image is not one of the images of this project.'],
      ['/images/ghcr.io/acme/never-synced/tags/1.0', 404, 'The tags of ghcr.io/acme/never-synced have not been read from the registry yet.'],
      [`/images/${MAUTIC}/tags/..x`, 400, '"..x" is not an image tag'],
      ['/images/Not%20A%20Name/tags/1.0', 400, '"Not A Name" is not an image name.'],
    ] as const) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(status);
      expect(r.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(textOf(r.body), url).toContain(message);
      expect(r.body, url).toContain('<form method="get" action="/images"');
    }
  });

  it('never 500 on odd addresses, and never echoes markup', async () => {
    for (const url of [
      '/images/',
      '/images/x',
      `/images/${MAUTIC}/tags/`,
      `/images/${MAUTIC}/tags/a/b`,
      `/images/${MAUTIC}/tags/%3Cscript%3Ealert(1)%3C%2Fscript%3E`,
      '/images/%3Cimg%20src%3Dx%3E/tags/1',
      '/images/%ZZ/tags/1',
      `/images/${'a/'.repeat(500)}tags/1`,
      '/images?repository[]=x&tag=1',
    ]) {
      const r = await get(url);
      expect(r.statusCode, url).toBeGreaterThanOrEqual(300);
      expect(r.statusCode, url).toBeLessThan(500);
      expect(r.body, url).not.toMatch(/<script>alert|<img src=x>/);
    }
  });
});
