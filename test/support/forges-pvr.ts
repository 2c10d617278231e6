import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Small local stand-ins for the two forges' documented REST endpoints that the private-report
 * channels use (GitHub private vulnerability reporting, GitLab confidential issues), on 127.0.0.1.
 * They check what the real ones check (the token, GitHub's API version header), page like the
 * real ones (GitHub: cursors in Link; GitLab: page/per_page with X-Next-Page and Link), and record
 * every request. `answer` lets a test replace any answer with a malformed one.
 * (test/support/forges.ts is another engineer's: the CI-trigger endpoints.)
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface CannedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

interface FakeBase {
  url: string;
  requests: RecordedRequest[];
  /** Return an answer to send instead of the normal one; null for the normal one. */
  answer: ((r: RecordedRequest) => CannedAnswer | null) | null;
  /** The largest page the server gives, whatever per_page asks (100 on both forges; tests lower it). */
  maxPerPage: number;
  close(): Promise<void>;
}

async function listen(handle: (r: RecordedRequest, res: ServerResponse, base: string) => void, fake: Pick<FakeBase, 'answer' | 'requests'>): Promise<{ server: Server; url: string }> {
  let base = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', base);
      // the raw path: GitLab's :id is a URL-encoded full path (group%2Fproject) and must stay one segment
      const r: RecordedRequest = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      fake.requests.push(r);
      const canned = fake.answer?.(r) ?? null;
      if (canned) {
        res.writeHead(canned.status, { 'content-type': 'application/json; charset=utf-8', ...canned.headers });
        res.end(canned.body);
        return;
      }
      handle(r, res, base);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url: base };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

// ---------------------------------------------------------------------------------------------
// GitHub

export interface FakeGitHub extends FakeBase {
  /** Repository advisories by "owner/repo" (any state; the server filters by ?state=). */
  advisories: Map<string, Array<Record<string, unknown>>>;
}

/** GET /repos/{owner}/{repo}/security-advisories, as documented for API version 2022-11-28. */
export async function startFakeGitHub(o: { token: string }): Promise<FakeGitHub> {
  const fake = { advisories: new Map<string, Array<Record<string, unknown>>>(), requests: [] as RecordedRequest[], answer: null as FakeBase['answer'], maxPerPage: 100 };
  const { server, url } = await listen((r, res, base) => {
    if (r.headers.authorization !== `Bearer ${o.token}`) return json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    if (r.headers['x-github-api-version'] !== '2022-11-28') return json(res, 400, { message: 'Unsupported API version', documentation_url: 'https://docs.github.com/rest/about-the-rest-api/api-versions' });
    const m = /^\/repos\/([^/]+)\/([^/]+)\/security-advisories$/.exec(r.path);
    if (r.method !== 'GET' || !m) return json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    const list = fake.advisories.get(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`);
    if (!list) return json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    const state = r.query.get('state');
    const matching = state ? list.filter((a) => a.state === state) : list;
    const perPage = Math.min(fake.maxPerPage, Number(r.query.get('per_page') ?? 30));
    // an opaque cursor, as GitHub's: base64 of the index to start from
    const start = r.query.get('after') ? Number(Buffer.from(r.query.get('after')!, 'base64url').toString()) : 0;
    const page = matching.slice(start, start + perPage);
    const headers: Record<string, string> = {};
    if (start + perPage < matching.length) {
      const next = new URL(r.path, base);
      for (const [k, v] of r.query) if (k !== 'after') next.searchParams.set(k, v);
      next.searchParams.set('after', Buffer.from(String(start + perPage)).toString('base64url'));
      headers.link = `<${next.href}>; rel="next"`;
    }
    json(res, 200, page, headers);
  }, fake);
  return Object.assign(fake, { url, close: () => closeServer(server) });
}

let ghsaCounter = 0;
const GHSA_CHARS = '23456789cfghjmpqrvwx';

/** A repository advisory as the API documents it, in triage (a private vulnerability report). */
export function advisory(over: Record<string, unknown> = {}): Record<string, unknown> {
  const n = ++ghsaCounter;
  // n in base 20 over GitHub's alphabet, 12 digits: GHSA-xxxx-xxxx-xxxx
  let digits = '';
  for (let v = n * 7919 + process.pid, i = 0; i < 12; i++, v = Math.floor(v / 20)) digits = GHSA_CHARS[v % 20]! + digits;
  const ghsa = `GHSA-${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8)}`;
  return {
    ghsa_id: ghsa,
    cve_id: null,
    url: `https://api.github.com/repos/acme/widget/security-advisories/${ghsa}`,
    html_url: `https://github.com/acme/widget/security/advisories/${ghsa}`,
    summary: `Stored XSS in widget titles ${n}`,
    description: `A title with <script> runs in the admin view.\n\nSteps: create a widget named <script>alert(${n})</script>.`,
    severity: 'high',
    author: { login: `researcher${n}`, id: 1000 + n, type: 'User' },
    publisher: null,
    identifiers: [{ type: 'GHSA', value: ghsa }],
    state: 'triage',
    created_at: '2026-11-20T09:00:00Z',
    updated_at: '2026-11-20T09:00:00Z',
    published_at: null,
    closed_at: null,
    withdrawn_at: null,
    submission: { accepted: false },
    vulnerabilities: [{ package: { ecosystem: 'npm', name: 'acme-widget' }, vulnerable_version_range: '< 2.4.1', patched_versions: '2.4.1', vulnerable_functions: [] }],
    cvss: { vector_string: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N', score: 5.4 },
    cvss_severities: { cvss_v3: { vector_string: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N', score: 5.4 }, cvss_v4: { vector_string: null, score: null } },
    cwes: [{ cwe_id: 'CWE-79', name: 'Cross-site Scripting' }],
    cwe_ids: ['CWE-79'],
    credits: [],
    credits_detailed: [],
    collaborating_users: null,
    collaborating_teams: null,
    private_fork: null,
    ...over,
  };
}

// ---------------------------------------------------------------------------------------------
// GitLab

export interface FakeProject {
  id: number;
  path: string;
  issues: Array<Record<string, unknown>>;
  notes: Array<{ id: number; iid: number; body: string; internal: boolean }>;
}

export interface FakeGitLab extends FakeBase {
  /** The API's base, as CVDESK_GITLAB_API_URL: <url>/api/v4. */
  apiUrl: string;
  projects: FakeProject[];
  addProject(path: string): FakeProject;
}

let noteCounter = 500;

/** The REST API v4 endpoints: list project issues, get one issue, create an issue note. */
export async function startFakeGitLab(o: { token: string }): Promise<FakeGitLab> {
  const fake = { projects: [] as FakeProject[], requests: [] as RecordedRequest[], answer: null as FakeBase['answer'], maxPerPage: 100 };
  const { server, url } = await listen((r, res, base) => {
    const given = r.headers['private-token'] ?? (/^Bearer (.+)$/.exec(String(r.headers.authorization ?? ''))?.[1] ?? null);
    if (given !== o.token) return json(res, 401, { message: '401 Unauthorized' });
    const m = /^\/api\/v4\/projects\/([^/]+)\/issues(?:\/(\d+)(\/notes)?)?$/.exec(r.path);
    const ref = m ? decodeURIComponent(m[1]!) : null;
    const project = ref === null ? undefined : fake.projects.find((p) => String(p.id) === ref || p.path.toLowerCase() === ref.toLowerCase());
    if (!m || !project) return json(res, 404, { message: '404 Project Not Found' });
    if (!m[2]) {
      if (r.method !== 'GET') return json(res, 405, { message: '405 Method Not Allowed' });
      let list = project.issues;
      if (r.query.get('confidential') === 'true') list = list.filter((i) => i.confidential === true);
      if (r.query.get('state') && r.query.get('state') !== 'all') list = list.filter((i) => i.state === r.query.get('state'));
      const perPage = Math.min(fake.maxPerPage, Number(r.query.get('per_page') ?? 20));
      const pageNo = Math.max(1, Number(r.query.get('page') ?? 1));
      const pages = Math.max(1, Math.ceil(list.length / perPage));
      const headers: Record<string, string> = { 'x-page': String(pageNo), 'x-per-page': String(perPage), 'x-total': String(list.length), 'x-total-pages': String(pages), 'x-next-page': pageNo < pages ? String(pageNo + 1) : '', 'x-prev-page': pageNo > 1 ? String(pageNo - 1) : '' };
      const link = (p: number) => {
        const u = new URL(r.path, base);
        for (const [k, v] of r.query) u.searchParams.set(k, v);
        u.searchParams.set('page', String(p));
        return u.href;
      };
      headers.link = [pageNo < pages && `<${link(pageNo + 1)}>; rel="next"`, `<${link(1)}>; rel="first"`, `<${link(pages)}>; rel="last"`].filter(Boolean).join(', ');
      return json(res, 200, list.slice((pageNo - 1) * perPage, pageNo * perPage), headers);
    }
    const issue = project.issues.find((i) => i.iid === Number(m[2]));
    if (!issue) return json(res, 404, { message: '404 Not found' });
    if (!m[3]) return r.method === 'GET' ? json(res, 200, issue) : json(res, 405, { message: '405 Method Not Allowed' });
    if (r.method !== 'POST') return json(res, 405, { message: '405 Method Not Allowed' });
    let body: { body?: unknown; internal?: unknown };
    try {
      body = JSON.parse(r.body) as typeof body;
    } catch {
      return json(res, 400, { message: '400 Bad request' });
    }
    if (typeof body.body !== 'string' || body.body === '') return json(res, 400, { error: 'body is missing' });
    const note = { id: ++noteCounter, iid: Number(m[2]), body: body.body, internal: body.internal === true };
    project.notes.push(note);
    json(res, 201, { id: note.id, type: null, body: note.body, author: { id: 1, username: 'cvdesk-bot' }, created_at: '2026-11-23T12:00:00Z', system: false, noteable_id: issue.id, noteable_type: 'Issue', noteable_iid: note.iid, internal: note.internal, confidential: note.internal });
  }, fake);
  const projects = fake.projects;
  let projectCounter = 40;
  return Object.assign(fake, {
    url,
    apiUrl: `${url}/api/v4`,
    addProject(path: string) {
      const p: FakeProject = { id: ++projectCounter, path, issues: [], notes: [] };
      projects.push(p);
      return p;
    },
    close: () => closeServer(server),
  });
}

let issueCounter = 7000;

/** An issue as GET /projects/:id/issues documents it (confidential and open unless told). */
export function gitlabIssue(project: FakeProject, webBase: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const id = ++issueCounter;
  const iid = project.issues.length + 1;
  return {
    id,
    iid,
    project_id: project.id,
    title: `Token leak in the scanner's logs ${iid}`,
    description: `The scanner writes the API token to its log at debug level.\n\n/label ~security`,
    state: 'opened',
    created_at: '2026-11-20T09:00:00.000Z',
    updated_at: '2026-11-20T09:00:00.000Z',
    closed_at: null,
    labels: ['security'],
    author: { id: 300 + iid, username: `finder${iid}`, name: `Finder ${iid}`, state: 'active' },
    assignees: [],
    type: 'ISSUE',
    confidential: true,
    web_url: `${webBase}/${project.path}/-/issues/${iid}`,
    ...over,
  };
}

/** The "Confidential Issue Hook" body GitLab posts for an issue (action open unless told). */
export function issueHookPayload(project: FakeProject, webBase: string, issue: Record<string, unknown>, action = 'open'): Record<string, unknown> {
  const author = issue.author as { id: number; username: string; name: string };
  return {
    object_kind: 'issue',
    event_type: issue.confidential ? 'confidential_issue' : 'issue',
    user: { id: author.id, name: author.name, username: author.username, avatar_url: null, email: '[REDACTED]' },
    project: { id: project.id, name: project.path.split('/').at(-1), web_url: `${webBase}/${project.path}`, path_with_namespace: project.path, default_branch: 'main' },
    object_attributes: {
      id: issue.id,
      iid: issue.iid,
      title: issue.title,
      description: issue.description,
      confidential: issue.confidential,
      state: issue.state,
      action,
      author_id: author.id,
      project_id: project.id,
      created_at: '2026-11-20 09:00:00 UTC',
      updated_at: '2026-11-20 09:00:00 UTC',
      url: issue.web_url,
    },
    labels: (issue.labels as string[]).map((t, i) => ({ id: i + 1, title: t })),
    repository: { name: project.path.split('/').at(-1), url: `git@example:${project.path}.git` },
  };
}
