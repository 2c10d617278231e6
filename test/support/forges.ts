/**
 * Small local stand-ins for the CI services the rebuild job triggers, on 127.0.0.1. They speak
 * the documented endpoints and answers, and record every request as received:
 *
 * - GitHub (https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event and
 *   https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event):
 *   POST /repos/{owner}/{repo}/actions/workflows/{workflow file or id}/dispatches {"ref","inputs"} → 204,
 *   POST /repos/{owner}/{repo}/dispatches {"event_type","client_payload"} → 204; a token as
 *   "Authorization: Bearer" (or "token"); 401 "Requires authentication" / "Bad credentials",
 *   404 "Not Found" for an unknown repository or workflow, 422 for a missing or unknown ref,
 *   undeclared or more than 10 inputs, a bad event_type or more than 10 client_payload keys.
 * - GitLab (https://docs.gitlab.com/api/pipeline_triggers/#trigger-a-pipeline-with-a-token):
 *   POST /api/v4/projects/{id or URL-encoded path}/trigger/pipeline with token, ref and
 *   variables[KEY]=value as a form, JSON or query → 201 with the pipeline; 400 "token is missing" /
 *   "ref is missing" / {"base":["Reference not found"]}, 404 for an unknown project or a wrong token.
 * - A webhook receiver that checks cvdesk's signature its own way (HMAC-SHA256 over
 *   "<X-Cvdesk-Timestamp>.<raw body>", constant-time compare, 5 minutes of tolerance, no replays).
 *
 * `failNext(status, times)` makes the next answers fail (503 for transient-failure tests).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';

export interface ReceivedRequest {
  method: string;
  /** The path and query as sent (still URL-encoded). */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The answer given. */
  status: number;
}

interface Failure {
  status: number;
  times: number;
  headers: Record<string, string>;
  body: string;
}

export interface FakeServer {
  url: string;
  requests: ReceivedRequest[];
  /** The next `times` requests are answered with `status` (default 503), then normal service resumes. */
  failNext(status?: number, times?: number, options?: { headers?: Record<string, string>; body?: string }): void;
  /** Forgets failures not yet used up. */
  clearFailures(): void;
  close(): Promise<void>;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (req: { method: string; url: URL; rawUrl: string; headers: IncomingHttpHeaders; body: string }) => Answer;

async function startFake(handle: Handler): Promise<FakeServer> {
  const requests: ReceivedRequest[] = [];
  const failures: Failure[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const rawUrl = req.url ?? '/';
      let answer: Answer;
      const failure = failures[0];
      if (failure) {
        if (--failure.times <= 0) failures.shift();
        answer = { status: failure.status, body: failure.body, headers: failure.headers };
      } else {
        answer = handle({ method: req.method ?? 'GET', url: new URL(rawUrl, 'http://127.0.0.1'), rawUrl, headers: req.headers, body });
      }
      requests.push({ method: req.method ?? 'GET', url: rawUrl, headers: req.headers, body, status: answer.status });
      const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { ...(text ? { 'content-type': typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' } : {}), ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(status = 503, times = 1, options = {}) {
      failures.push({ status, times, headers: options.headers ?? {}, body: options.body ?? JSON.stringify({ message: 'Service Unavailable' }) });
    },
    clearFailures: () => void failures.splice(0),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

// ---------------------------------------------------------------- GitHub

export interface GitHubRepositorySpec {
  /** Workflows by file name, each with its numeric id and the inputs it declares. */
  workflows?: Record<string, { id: number; inputs: string[] }>;
  /** Branches and tags that exist (default: main). */
  refs?: string[];
}

const GH_DOCS = 'https://docs.github.com/rest';
const ghError = (status: number, message: string, docs = GH_DOCS): Answer => ({ status, body: { message, documentation_url: docs, status: String(status) } });

/** A GitHub REST API for the two dispatch endpoints; `repositories` keyed "owner/repo". */
export async function startFakeGitHub(options: { token: string; repositories: Record<string, GitHubRepositorySpec> }): Promise<FakeServer> {
  return startFake(({ method, url, headers, body }) => {
    const auth = headers.authorization;
    if (!auth) return ghError(401, 'Requires authentication');
    const m = /^(?:Bearer|token) (.+)$/i.exec(auth);
    if (!m || m[1] !== options.token) return ghError(401, 'Bad credentials');
    const version = headers['x-github-api-version'];
    if (version !== undefined && !['2022-11-28', '2026-03-10'].includes(String(version))) {
      return ghError(400, `Unsupported 'X-GitHub-Api-Version' header. The requested version ${String(version)} is not supported.`);
    }
    const workflowPath = /^\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+)\/dispatches$/.exec(url.pathname);
    const dispatchPath = /^\/repos\/([^/]+)\/([^/]+)\/dispatches$/.exec(url.pathname);
    if (method !== 'POST' || (!workflowPath && !dispatchPath)) return ghError(404, 'Not Found');
    const [, owner, repo] = (workflowPath ?? dispatchPath)!;
    const spec = options.repositories[`${decodeURIComponent(owner!)}/${decodeURIComponent(repo!)}`];
    if (!spec) return ghError(404, 'Not Found');
    const payload = json(body);
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return ghError(400, 'Problems parsing JSON');
    const p = payload as Record<string, unknown>;

    if (workflowPath) {
      const id = decodeURIComponent(workflowPath[3]!);
      const workflow = Object.entries(spec.workflows ?? {}).find(([file, w]) => file === id || String(w.id) === id)?.[1];
      if (!workflow) return ghError(404, 'Not Found', `${GH_DOCS}/actions/workflows#create-a-workflow-dispatch-event`);
      if (typeof p.ref !== 'string') return ghError(422, 'Invalid request.\n\n"ref" wasn\'t supplied.');
      if (!(spec.refs ?? ['main']).includes(p.ref)) return ghError(422, `No ref found for: ${p.ref}`);
      const inputs = p.inputs ?? {};
      if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) return ghError(422, 'Invalid request.\n\nFor \'properties/inputs\', is not an object.');
      const keys = Object.keys(inputs);
      if (keys.length > 10) return ghError(422, `Invalid request.\n\nFor 'properties/inputs', ${JSON.stringify(inputs)} has too many properties (maximum 10).`);
      const unexpected = keys.filter((k) => !workflow.inputs.includes(k));
      if (unexpected.length) return ghError(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
      return { status: 204 };
    }
    const eventType = p.event_type;
    if (typeof eventType !== 'string' || eventType.length < 1 || eventType.length > 100) return ghError(422, 'Invalid request.\n\n"event_type" wasn\'t supplied.');
    const clientPayload = p.client_payload;
    if (clientPayload !== undefined && (typeof clientPayload !== 'object' || clientPayload === null || Array.isArray(clientPayload))) return ghError(422, 'Invalid request.\n\nFor \'properties/client_payload\', is not an object.');
    if (clientPayload && Object.keys(clientPayload).length > 10) return ghError(422, 'Invalid request.\n\nFor \'properties/client_payload\', it has too many properties (maximum 10).');
    return { status: 204 };
  });
}

// ---------------------------------------------------------------- GitLab

export interface GitLabProjectSpec {
  id: number;
  /** namespace/project */
  path: string;
  refs?: string[];
}

/** The fields of a trigger request, whichever way they were sent (query, form or JSON). */
export function gitlabTriggerFields(rawUrl: string, headers: IncomingHttpHeaders, body: string): { token?: string; ref?: string; variables: Record<string, string> } {
  const out: { token?: string; ref?: string; variables: Record<string, string> } = { variables: {} };
  const take = (params: URLSearchParams) => {
    for (const [k, v] of params) {
      const variable = /^variables\[(.+)\]$/.exec(k);
      if (variable) out.variables[variable[1]!] = v;
      else if (k === 'token') out.token = v;
      else if (k === 'ref') out.ref = v;
    }
  };
  take(new URL(rawUrl, 'http://x').searchParams);
  const type = String(headers['content-type'] ?? '');
  if (type.startsWith('application/x-www-form-urlencoded')) take(new URLSearchParams(body));
  if (type.startsWith('application/json')) {
    const j = json(body) as { token?: unknown; ref?: unknown; variables?: unknown } | undefined;
    if (typeof j?.token === 'string') out.token = j.token;
    if (typeof j?.ref === 'string') out.ref = j.ref;
    if (j?.variables && typeof j.variables === 'object') for (const [k, v] of Object.entries(j.variables)) out.variables[k] = String(v);
  }
  return out;
}

export async function startFakeGitLab(options: { token: string; projects: GitLabProjectSpec[] }): Promise<FakeServer & { pipelines: { id: number; project: string; ref: string; variables: Record<string, string> }[] }> {
  const pipelines: { id: number; project: string; ref: string; variables: Record<string, string> }[] = [];
  let nextId = 1000;
  let baseUrl = '';
  const server = await startFake(({ method, url, rawUrl, headers, body }) => {
    const m = /^\/api\/v4\/projects\/([^/]+)\/trigger\/pipeline$/.exec(url.pathname);
    if (method !== 'POST' || !m) return { status: 404, body: { error: '404 Not Found' } };
    const key = decodeURIComponent(m[1]!);
    const project = options.projects.find((p) => String(p.id) === key || p.path === key);
    const f = gitlabTriggerFields(rawUrl, headers, body);
    if (!f.token) return { status: 400, body: { error: 'token is missing' } };
    if (!f.ref) return { status: 400, body: { error: 'ref is missing' } };
    if (!project) return { status: 404, body: { message: '404 Project Not Found' } };
    if (f.token !== options.token) return { status: 404, body: { message: '404 Not Found' } };
    if (!(project.refs ?? ['main']).includes(f.ref)) return { status: 400, body: { message: { base: ['Reference not found'] } } };
    const id = nextId++;
    pipelines.push({ id, project: project.path, ref: f.ref, variables: f.variables });
    const now = new Date().toISOString();
    return {
      status: 201,
      body: {
        id,
        iid: id - 999,
        project_id: project.id,
        sha: 'a91957a858320c0e17f3a0eca7cfacbff50ea29a',
        ref: f.ref,
        status: 'created',
        source: 'trigger',
        created_at: now,
        updated_at: now,
        web_url: `${baseUrl}/${project.path}/-/pipelines/${id}`,
        before_sha: '0000000000000000000000000000000000000000',
        tag: false,
        yaml_errors: null,
        user: null,
        started_at: null,
        finished_at: null,
        committed_at: null,
        duration: null,
        queued_duration: null,
        coverage: null,
      },
    };
  });
  baseUrl = server.url;
  return Object.assign(server, { pipelines });
}

// ---------------------------------------------------------------- webhook

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
  /** Why a delivery was refused. */
  problem: string | null;
}

/**
 * A receiver as a project would write it from cvdesk's documentation, independent of cvdesk's
 * own signing code: refuses (401) a missing, stale, replayed or wrong signature; accepts with 202.
 */
export async function startWebhookReceiver(options: { secret: string; now?: () => Date; toleranceSeconds?: number }): Promise<FakeServer & { deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const seen = new Set<string>();
  const server = await startFake(({ method, headers, body }) => {
    if (method !== 'POST') return { status: 405 };
    const timestamp = String(headers['x-cvdesk-timestamp'] ?? '');
    const signature = String(headers['x-cvdesk-signature-256'] ?? '');
    const now = (options.now?.() ?? new Date()).getTime() / 1000;
    let problem: string | null = null;
    if (!/^\d+$/.test(timestamp)) problem = 'no timestamp';
    else if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) problem = 'stale timestamp';
    else {
      const expected = Buffer.from(`sha256=${createHmac('sha256', options.secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`);
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) problem = 'bad signature';
      else if (seen.has(signature)) problem = 'replayed';
    }
    deliveries.push({ headers, body, verified: problem === null, problem });
    if (problem) return { status: 401, body: { error: problem } };
    seen.add(signature);
    return { status: 202, body: { accepted: true } };
  });
  return Object.assign(server, { deliveries });
}
