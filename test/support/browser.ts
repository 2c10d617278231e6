import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { describe, expect } from 'vitest';
import { startTestDesk, type TestDesk, type TestDeskOptions } from './desk.js';

/**
 * Browser tests: a desk served on 127.0.0.1 and Debian's chromium driven by playwright-core (no
 * downloaded browsers). Every page a test looks at goes through checkPage: no horizontal
 * overflow, no console errors or CSP violations, every control labelled, and a screenshot kept
 * in test-artifacts/screenshots/ as <name>-<viewport>.png.
 *
 *   describeBrowser('the reporter', () => {
 *     let b: BrowserDesk;
 *     beforeAll(async () => (b = await startBrowserDesk()));
 *     afterAll(() => b?.close());
 *     it('...', async () => {
 *       const { page } = await b.open('phone');
 *       await page.goto(b.url('/'));
 *       await checkPage(page, 'home');
 *     });
 *   });
 */

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve('test-artifacts/screenshots');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // No name resolves: the browser can reach the desk on 127.0.0.1 and nothing else.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

export type ViewportName = 'desktop' | 'phone';
export const VIEWPORTS: Record<ViewportName, { viewport: { width: number; height: number }; isMobile: boolean; hasTouch: boolean; deviceScaleFactor: number }> = {
  desktop: { viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

const required = process.env.CVDESK_REQUIRE_BROWSER === '1';
const present = existsSync(CHROMIUM);

/** describe, or describe.skip with the reason when chromium is missing (CI sets CVDESK_REQUIRE_BROWSER=1 to fail instead). */
export const describeBrowser = (name: string, fn: () => void) =>
  present || required ? describe(name, fn) : describe.skip(`${name} — skipped: ${CHROMIUM} is missing (apt-get install chromium; CVDESK_REQUIRE_BROWSER=1 makes this a failure)`, fn);

/** What went wrong in a page while the test drove it; checkPage asserts it is empty and clears it. */
interface PageProblems {
  console: string[];
  csp: string[];
  offsite: string[];
  failed: string[];
  /**
   * Loads the browser cancelled, with the navigation of the page that issued them. One cancelled
   * because the page moved on (a click navigated before the favicon arrived) is no failure of the
   * desk; one cancelled while its page is still shown is.
   */
  aborted: Array<{ entry: string; navigation: number }>;
  /** Main-frame navigations so far. */
  navigations: number;
}

const problemsOf = new WeakMap<Page, PageProblems>();

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  viewport: ViewportName;
}

/** Chromium, launched for one origin: pages it opens are watched for problems against that origin. */
export interface BrowserHandle {
  browser: Browser;
  baseUrl: string;
  url(path: string): string;
  /** A new browser context (no cookies) in this viewport, with its one page watched for problems. */
  open(viewport: ViewportName): Promise<BrowserSession>;
  close(): Promise<void>;
}

export interface BrowserDesk extends BrowserHandle {
  desk: TestDesk;
}

/** A free TCP port on 127.0.0.1 (the desk must know its address before it is built, for its links). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

async function listeningDesk(options: TestDeskOptions): Promise<{ desk: TestDesk; baseUrl: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const desk = await startTestDesk({ ...options, env: { HOST: '127.0.0.1', PORT: String(port), CVDESK_BASE_URL: `${baseUrl}/`, ...options.env } });
    try {
      await desk.app.listen({ host: '127.0.0.1', port });
      return { desk, baseUrl };
    } catch (e) {
      await desk.close();
      // Another process took the port between the probe and listen: rare, so try a few times.
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 3) throw e;
    }
  }
}

/** Debian's chromium for pages of `baseUrl` (http://127.0.0.1:PORT). */
export async function launchBrowser(baseUrl: string): Promise<BrowserHandle> {
  if (!present) throw new Error(`CVDESK_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: apt-get install chromium`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // launch() gives each browser a fresh, throw-away user-data dir.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  return {
    browser,
    baseUrl,
    url: (path) => new URL(path, baseUrl).toString(),
    async open(viewport) {
      const context = await browser.newContext({ ...VIEWPORTS[viewport], locale: 'en-GB', timezoneId: 'UTC', serviceWorkers: 'block' });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      watch(page, baseUrl);
      return { context, page, viewport };
    },
    close: () => browser.close(),
  };
}

/** A desk served on 127.0.0.1 (its links point there) and a browser for it. */
export async function startBrowserDesk(options: TestDeskOptions = {}): Promise<BrowserDesk> {
  const { desk, baseUrl } = await listeningDesk(options);
  try {
    const handle = await launchBrowser(baseUrl);
    return {
      ...handle,
      desk,
      close: async () => {
        await handle.close();
        await desk.close();
      },
    };
  } catch (e) {
    await desk.close();
    throw e;
  }
}

/** Collects console errors, uncaught errors, CSP violations, requests that leave the desk, failed loads. */
function watch(page: Page, baseUrl: string): void {
  const p: PageProblems = { console: [], csp: [], offsite: [], failed: [], aborted: [], navigations: 0 };
  const issuedAt = new WeakMap<Request, number>();
  problemsOf.set(page, p);
  // Runs through the DevTools protocol, so the page's CSP (no inline script) does not block it.
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // A load that failed is judged by the network listeners below (a 4xx document may be on purpose).
    if (m.text().startsWith('Failed to load resource')) return;
    const source = m.location().url || page.url();
    (m.text().startsWith('CSP violation') || m.text().includes('Content Security Policy') ? p.csp : p.console).push(`${m.text()} (${source}) on ${page.url()}`);
  });
  page.on('pageerror', (e) => p.console.push(`uncaught: ${e.message} @ ${page.url()}`));
  page.on('request', (r) => {
    issuedAt.set(r, p.navigations);
    const u = r.url();
    if (!u.startsWith(`${baseUrl}/`) && !u.startsWith('data:') && u !== 'about:blank') p.offsite.push(u);
  });
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) p.navigations++;
  });
  page.on('requestfailed', (r) => {
    const entry = `${r.url()}: ${r.failure()?.errorText}`;
    if (r.failure()?.errorText === 'net::ERR_ABORTED') p.aborted.push({ entry, navigation: issuedAt.get(r) ?? p.navigations });
    else p.failed.push(entry);
  });
  page.on('response', (r) => {
    // Subresources (style, script, images) must load; documents may be 4xx pages on purpose.
    if (r.status() >= 400 && r.request().resourceType() !== 'document') p.failed.push(`${r.url()}: HTTP ${r.status()}`);
  });
}

interface LayoutFindings {
  scrollWidth: number;
  /** The width the page has to fit: the layout viewport (a phone widens window.innerWidth to fit an overflowing page, so that alone proves nothing). */
  width: number;
  /** Elements that reach past the right edge of the viewport (the cause of an overflow). */
  wide: string[];
  unlabelled: string[];
  duplicateIds: string[];
  lang: string;
  title: string;
  stylesheetLoaded: boolean;
}

/** Runs in the page: what a user (or a screen reader) would trip over. */
function inspectLayout(): LayoutFindings {
  const tagOf = (el: Element) => {
    const id = el.id ? `#${el.id}` : '';
    const name = el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '';
    const cls = el.classList.length ? `.${Array.from(el.classList).join('.')}` : '';
    const type = el.getAttribute('type') ? `[type=${el.getAttribute('type')}]` : '';
    return `<${el.tagName.toLowerCase()}${id}${cls}${name}${type}>`;
  };
  const width = Math.min(window.innerWidth, document.documentElement.clientWidth);
  const wide: string[] = [];
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 0.5) wide.push(`${tagOf(el)} right=${Math.round(r.right)}`);
  }
  const textOf = (ids: string) =>
    ids
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
      .join(' ')
      .trim();
  const unlabelled: string[] = [];
  for (const el of Array.from(document.querySelectorAll('img, input, select, textarea'))) {
    const aria = el.getAttribute('aria-label')?.trim() || textOf(el.getAttribute('aria-labelledby') ?? '');
    if (el instanceof HTMLImageElement) {
      if (!el.hasAttribute('alt') && !aria) unlabelled.push(tagOf(el));
      continue;
    }
    if (el instanceof HTMLInputElement && ['hidden', 'submit', 'button', 'reset'].includes(el.type)) continue;
    const control = el as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    const byLabel = Array.from(control.labels ?? []).some((l) => (l.textContent ?? '').trim() !== '');
    if (!byLabel && !aria) unlabelled.push(tagOf(el));
  }
  const seen = new Map<string, number>();
  for (const el of Array.from(document.querySelectorAll('[id]'))) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width,
    wide: wide.slice(0, 8),
    unlabelled,
    duplicateIds: [...seen].filter(([, n]) => n > 1).map(([id]) => id),
    lang: document.documentElement.lang,
    title: document.title,
    stylesheetLoaded: Array.from(document.styleSheets).some((s) => (s.href ?? '').endsWith('/assets/app.css') && s.cssRules.length > 0),
  };
}

/** A page's problems, by check; every list empty means the page passed. */
export interface PageProblemReport {
  basics: string[];
  overflow: string[];
  unlabelled: string[];
  duplicateIds: string[];
  csp: string[];
  console: string[];
  offsite: string[];
  failed: string[];
}

/**
 * Looks at the page as it is now, keeps its screenshot (test-artifacts/screenshots/<name>-<viewport>.png)
 * and returns its problems. The page's collected console and network problems are handed over and cleared.
 */
export async function inspectPage(session: BrowserSession, name: string): Promise<PageProblemReport> {
  const { page, viewport } = session;
  await page.waitForLoadState('load');
  const f = await page.evaluate(inspectLayout);
  await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}-${viewport}.png`), fullPage: true });
  const p = problemsOf.get(page)!;
  const cancelledHere = p.aborted.splice(0).filter((a) => a.navigation === p.navigations);
  const taken = { csp: p.csp.splice(0), console: p.console.splice(0), offsite: p.offsite.splice(0), failed: [...p.failed.splice(0), ...cancelledHere.map((a) => a.entry)] };
  return {
    basics: [
      ...(f.stylesheetLoaded ? [] : ['the stylesheet did not load']),
      ...(f.lang ? [] : ['<html> has no lang']),
      ...(f.title.trim() ? [] : ['the page has no <title>']),
    ],
    overflow: f.scrollWidth > f.width ? [`${f.scrollWidth} px wide on a ${f.width} px screen; past the edge: ${f.wide.join(', ')}`] : [],
    unlabelled: f.unlabelled,
    duplicateIds: f.duplicateIds,
    ...taken,
  };
}

const CHECKS: Record<keyof PageProblemReport, string> = {
  basics: 'page basics',
  overflow: 'wider than the screen',
  unlabelled: 'controls and images without an accessible label',
  duplicateIds: 'ids used more than once (a <label for> would name the wrong control)',
  csp: 'CSP violations',
  console: 'console errors',
  offsite: 'requests that left the desk',
  failed: 'failed loads',
};

/**
 * The checks every page must pass, after its screenshot. Fails on real problems only: a page
 * wider than the screen, an error in the console, a CSP violation, a request to anything but the
 * desk, a control without a label. The checks are soft: the journey goes on, and the test
 * reports every page's problems at once.
 */
export async function checkPage(session: BrowserSession, name: string): Promise<void> {
  const report = await inspectPage(session, name);
  const where = `${name} (${session.viewport}, ${session.page.url()})`;
  for (const key of Object.keys(CHECKS) as Array<keyof PageProblemReport>) expect.soft(report[key], `${where}: ${CHECKS[key]}`).toEqual([]);
}
