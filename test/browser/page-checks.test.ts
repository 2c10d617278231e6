import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, inspectPage, launchBrowser, type BrowserHandle, type BrowserSession } from '../support/browser.js';

/**
 * The page checks of the browser tests must fail for real problems: here a page made of them
 * (served by the browser's own request interception, so no desk is needed) and a clean page.
 */
const ORIGIN = 'http://127.0.0.1:9';
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:";
const CSS = readFileSync('assets/app.css', 'utf8');
const DOT = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const page = (body: string) => `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title><link rel="stylesheet" href="/assets/app.css"></head><body><main class="wrap">${body}</main></body></html>`;

const BROKEN = page(`
  <img src="${DOT}" width="900" height="10" alt="">
  <img src="/missing.png">
  <input type="text" name="q">
  <label for="a">A</label><input id="a" type="text"><input id="a" type="text" aria-label="again">
  <script>document.title = 'inline';</script>
  <script src="/assets/boom.js"></script>
  <img src="http://tracker.example/pixel.png" alt="pixel">`);

const CLEAN = page(`
  <h1>Fine</h1>
  <img src="${DOT}" width="10" height="10" alt="a dot">
  <form><div class="field"><label for="name">Name</label><input id="name" type="text"></div>
  <label class="choice"><input type="radio" name="r"> Wrapped label</label>
  <input type="text" aria-label="Search"><input type="hidden" name="_csrf" value="x"><button>Go</button></form>`);

describeBrowser('the page checks of the browser tests', () => {
  let b: BrowserHandle;
  beforeAll(async () => {
    b = await launchBrowser(ORIGIN);
  }, 30_000);
  afterAll(() => b?.close());

  async function serve(viewport: 'desktop' | 'phone'): Promise<BrowserSession> {
    const s = await b.open(viewport);
    await s.context.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      const html = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP };
      if (path === '/broken') return route.fulfill({ status: 200, headers: html, body: BROKEN });
      if (path === '/clean') return route.fulfill({ status: 200, headers: html, body: CLEAN });
      if (path === '/assets/app.css') return route.fulfill({ status: 200, contentType: 'text/css', body: CSS });
      if (path === '/assets/boom.js') return route.fulfill({ status: 200, contentType: 'text/javascript', body: "console.error('boom'); throw new Error('uncaught boom');" });
      return route.fulfill({ status: 404, contentType: 'text/plain', body: 'none' });
    });
    return s;
  }

  it('finds every kind of problem on a broken page, on a phone too (where window.innerWidth grows with the page)', async () => {
    const s = await serve('phone');
    await s.page.goto(`${ORIGIN}/broken`);
    const r = await inspectPage(s, 'zz-check-broken');
    expect(r.basics).toEqual([]);
    expect(r.overflow).toHaveLength(1);
    expect(r.overflow[0]).toMatch(/^\d+ px wide on a 390 px screen; past the edge: .*<img/);
    expect(r.unlabelled).toEqual(['<img>', '<input[name=q][type=text]>']);
    expect(r.duplicateIds).toEqual(['a']);
    expect(r.csp.join('\n')).toMatch(/script-src/);
    expect(r.console.join('\n')).toContain('boom');
    expect(r.console.join('\n')).toContain('uncaught: uncaught boom');
    expect(r.offsite).toEqual(['http://tracker.example/pixel.png']);
    expect(r.failed.join('\n')).toContain(`${ORIGIN}/missing.png: HTTP 404`);
  });

  it('finds nothing on a clean page (labels by for, by wrapping and by aria-label all count)', async () => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const s = await serve(viewport);
      await s.page.goto(`${ORIGIN}/clean`);
      expect(await inspectPage(s, 'zz-check-clean')).toEqual({ basics: [], overflow: [], unlabelled: [], duplicateIds: [], csp: [], console: [], offsite: [], failed: [] });
    }
  });
});
