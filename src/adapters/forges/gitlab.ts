/**
 * GitLab confidential issues through the REST API (v4):
 *
 *   GET  {api}/projects/:id/issues?confidential=true&state=opened&per_page=100   (back-fill)
 *   GET  {api}/projects/:id/issues/:iid                                          (still confidential?)
 *   POST {api}/projects/:id/issues/:iid/notes  {"body"}                          (mirror a message)
 *
 * :id is the numeric project id or the URL-encoded full path. Pages follow the Link header's
 * rel="next" when there is one, else X-Next-Page (empty on the last page). The token (a project,
 * group or personal access token with the api scope; read_api is enough without mirroring) is
 * sent as "Authorization: Bearer", which GitLab takes for access tokens.
 */
import { z } from 'zod';
import { AppError } from '../../app/errors.js';
import { forgeExchange, forgeMessage, jsonOf, nextLink, type ForgeHttpOptions } from './http.js';

export interface GitLabIssue {
  /** Instance-wide id. */
  id: number;
  /** The number within the project (#iid). */
  iid: number;
  projectId: number;
  title: string;
  description: string;
  state: string;
  confidential: boolean;
  webUrl: string;
  authorUsername: string | null;
  createdAt: string | null;
  labels: string[];
}

export interface IssueList {
  issues: GitLabIssue[];
  problems: string[];
}

export interface GitLabClientOptions {
  /** https://host/api/v4 */
  apiUrl: string;
  token: string;
  timeoutMs?: number;
  maxPages?: number;
}

const issueSchema = z.object({
  id: z.number().int().positive(),
  iid: z.number().int().positive(),
  project_id: z.number().int().positive(),
  title: z.string(),
  description: z.string().nullish(),
  state: z.string(),
  confidential: z.boolean(),
  web_url: z.url({ protocol: /^https?$/ }),
  author: z.object({ username: z.string() }).nullish(),
  created_at: z.string().nullish(),
  labels: z.array(z.union([z.string(), z.object({ name: z.string() })])).nullish(),
});

const noteSchema = z.object({ id: z.number().int().positive() });

/** The :id of a project path in an API URL: "group/sub/project" as one encoded segment. */
export const projectRef = (pathOrId: string) => encodeURIComponent(pathOrId);

export function createGitLabClient(o: GitLabClientOptions) {
  const base = o.apiUrl.replace(/\/+$/, '');
  const http: ForgeHttpOptions = { forge: `GitLab ${new URL(base).host}`, ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }) };
  const maxPages = o.maxPages ?? 50;
  const headers = { accept: 'application/json', authorization: `Bearer ${o.token}` };

  function refuse(status: number, body: string, subject: string): AppError {
    const said = forgeMessage(body);
    const quoted = said ? ` (${said})` : '';
    const code = status === 401 || status === 403 ? 'forbidden' : status === 404 ? 'not_found' : 'unreadable';
    const text: Record<number, string> = {
      401: `${http.forge} refused the token with 401${quoted}: CVDESK_GITLAB_TOKEN is wrong, expired or revoked`,
      403: `${http.forge} answered 403${quoted} for ${subject}: the token may not do this (it needs the api scope and at least the Reporter role)`,
      404: `${http.forge} answered 404${quoted}: ${subject} does not exist, or the token cannot see it`,
    };
    return new AppError(code, text[status] ?? `${http.forge} answered ${status}${quoted} for ${subject}`);
  }

  /** Every open confidential issue of the project, along all pages. */
  async function listConfidentialIssues(project: string): Promise<IssueList> {
    const first = `${base}/projects/${projectRef(project)}/issues?confidential=true&state=opened&per_page=100&order_by=created_at&sort=asc`;
    const origin = new URL(first).origin;
    const issues: GitLabIssue[] = [];
    const problems: string[] = [];
    const seen = new Set<number>();
    const visited = new Set<string>();
    let url: string | null = first;
    for (let page = 1; url; page++) {
      const what = `the confidential issues of ${project}${page > 1 ? ` (page ${page})` : ''}`;
      if (page > maxPages) throw new AppError('unreadable', `${http.forge}: ${project} has more than ${maxPages} pages of open confidential issues`);
      visited.add(url);
      const answer = await forgeExchange(http, { method: 'GET', url, headers, what });
      if (answer.status !== 200) throw refuse(answer.status, answer.text, `the issues of ${project}`);
      const json = jsonOf(http, { what }, answer);
      if (!Array.isArray(json)) throw new AppError('invalid_input', `${http.forge}: ${what}: the answer is not a list of issues`);
      json.forEach((item, i) => {
        const parsed = issueSchema.safeParse(item);
        if (!parsed.success) {
          const iid = (item as { iid?: unknown })?.iid;
          const issue = parsed.error.issues[0]!;
          problems.push(`${http.forge}: ${what}: ${typeof iid === 'number' ? `issue #${iid}` : `item ${i + 1}`} is not an issue as documented (${issue.path.join('.') || 'item'}: ${issue.message}); left out`);
          return;
        }
        const x = toIssue(parsed.data);
        // the filter is the server's; an answer that ignores it must not pull in public issues
        if (!x.confidential || x.state !== 'opened' || seen.has(x.id)) return;
        seen.add(x.id);
        issues.push(x);
      });
      const next = nextPage(answer.headers, answer.url);
      if (!next || json.length === 0) break;
      const resolved = new URL(next, answer.url);
      if (resolved.origin !== origin) throw new AppError('unreadable', `${http.forge}: ${what}: the next page is on another origin (${resolved.origin}); not following`);
      if (visited.has(resolved.href)) throw new AppError('unreadable', `${http.forge}: ${what}: the next page links back to a page already read`);
      url = resolved.href;
    }
    return { issues, problems };
  }

  async function getIssue(project: string, iid: number): Promise<GitLabIssue> {
    const what = `issue #${iid} of ${project}`;
    const answer = await forgeExchange(http, { method: 'GET', url: `${base}/projects/${projectRef(project)}/issues/${iid}`, headers, what });
    if (answer.status !== 200) throw refuse(answer.status, answer.text, what);
    const parsed = issueSchema.safeParse(jsonOf(http, { what }, answer));
    if (!parsed.success) throw new AppError('invalid_input', `${http.forge}: ${what}: the answer is not an issue as documented`);
    return toIssue(parsed.data);
  }

  /** A comment on the issue; returns the note's id. */
  async function createNote(project: string, iid: number, body: string): Promise<{ id: number }> {
    const what = `a comment on issue #${iid} of ${project}`;
    const answer = await forgeExchange(http, {
      method: 'POST',
      url: `${base}/projects/${projectRef(project)}/issues/${iid}/notes`,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ body }),
      what,
    });
    if (answer.status !== 201 && answer.status !== 200) throw refuse(answer.status, answer.text, what);
    const parsed = noteSchema.safeParse(jsonOf(http, { what }, answer));
    if (!parsed.success) throw new AppError('invalid_input', `${http.forge}: ${what}: the answer is not a note as documented`);
    return { id: parsed.data.id };
  }

  return { listConfidentialIssues, getIssue, createNote };
}

export type GitLabClient = ReturnType<typeof createGitLabClient>;

/** Link rel="next" (keyset pages) or X-Next-Page (offset pages); null on the last page. */
function nextPage(headers: Headers, current: string): string | null {
  const link = nextLink(headers.get('link'));
  if (link) return link;
  const n = (headers.get('x-next-page') ?? '').trim();
  if (!/^[1-9]\d{0,5}$/.test(n)) return null;
  const u = new URL(current);
  u.searchParams.set('page', n);
  return u.href;
}

function toIssue(i: z.output<typeof issueSchema>): GitLabIssue {
  return {
    id: i.id,
    iid: i.iid,
    projectId: i.project_id,
    title: i.title,
    description: i.description ?? '',
    state: i.state,
    confidential: i.confidential,
    webUrl: i.web_url,
    authorUsername: i.author?.username ?? null,
    createdAt: i.created_at ?? null,
    labels: (i.labels ?? []).map((l) => (typeof l === 'string' ? l : l.name)),
  };
}
