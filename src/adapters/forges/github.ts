/**
 * GitHub private vulnerability reporting, read through the REST API: the repository security
 * advisories in the `triage` state are the reports people filed with "Report a vulnerability".
 *
 *   GET {api}/repos/{owner}/{repo}/security-advisories?state=triage&per_page=100
 *   Authorization: Bearer <token>, X-GitHub-Api-Version: 2022-11-28
 *
 * Pages follow the Link header's rel="next" (GitHub pages this list with cursors). The token needs
 * the repository_advisories permission (fine-grained: "Repository security advisories: read";
 * classic: repo). GitHub has no API to comment on an advisory, so nothing is ever written back.
 */
import { z } from 'zod';
import { AppError } from '../../app/errors.js';
import { forgeExchange, forgeMessage, jsonOf, nextLink, type ForgeHttpOptions } from './http.js';

export interface GitHubAdvisory {
  ghsaId: string;
  cveId: string | null;
  htmlUrl: string;
  summary: string;
  description: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | null;
  /** The reporter: who filed the private report. */
  authorLogin: string | null;
  createdAt: string | null;
  /** CVSS 4.0 when given, else 3.x. */
  cvssVector: string | null;
  cweIds: string[];
  packages: Array<{ ecosystem: string | null; name: string | null; vulnerableVersions: string | null; patchedVersions: string | null }>;
}

export interface AdvisoryList {
  advisories: GitHubAdvisory[];
  /** Items that were not advisories as documented: named, and left out. */
  problems: string[];
}

export interface GitHubClientOptions {
  apiUrl: string;
  token: string;
  timeoutMs?: number;
  maxPages?: number;
}

const GHSA = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;
const vector = z.object({ vector_string: z.string().nullish() }).nullish();

const advisorySchema = z.object({
  ghsa_id: z.string().regex(GHSA, 'is not a GHSA id'),
  cve_id: z.string().nullish(),
  html_url: z.url({ protocol: /^https?$/ }),
  summary: z.string(),
  description: z.string().nullish(),
  severity: z.enum(['critical', 'high', 'medium', 'low']).nullish(),
  state: z.string(),
  author: z.object({ login: z.string() }).nullish(),
  created_at: z.string().nullish(),
  cvss: vector,
  cvss_severities: z.object({ cvss_v3: vector, cvss_v4: vector }).nullish(),
  cwe_ids: z.array(z.string()).nullish(),
  vulnerabilities: z
    .array(
      z.object({
        package: z.object({ ecosystem: z.string().nullish(), name: z.string().nullish() }).nullish(),
        vulnerable_version_range: z.string().nullish(),
        patched_versions: z.string().nullish(),
      }),
    )
    .nullish(),
});

export function createGitHubClient(o: GitHubClientOptions) {
  const http: ForgeHttpOptions = { forge: 'GitHub', ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }) };
  const maxPages = o.maxPages ?? 50;
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${o.token}`,
    'x-github-api-version': '2022-11-28',
  };

  /** Every advisory of the repository in the triage state, along all pages. */
  async function listTriageAdvisories(owner: string, repo: string): Promise<AdvisoryList> {
    const base = o.apiUrl.replace(/\/+$/, '');
    const first = `${base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/security-advisories?state=triage&per_page=100`;
    const origin = new URL(first).origin;
    const advisories: GitHubAdvisory[] = [];
    const problems: string[] = [];
    const seen = new Set<string>();
    const visited = new Set<string>();
    let url: string | null = first;
    for (let page = 1; url; page++) {
      const what = `the triage advisories of ${owner}/${repo}${page > 1 ? ` (page ${page})` : ''}`;
      if (page > maxPages) throw new AppError('unreadable', `GitHub: ${owner}/${repo} has more than ${maxPages} pages of advisories in triage`);
      visited.add(url);
      const answer = await forgeExchange(http, { method: 'GET', url, headers, what });
      if (answer.status !== 200) throw new AppError(answer.status === 401 || answer.status === 403 ? 'forbidden' : 'unreadable', explain(answer.status, answer.text, answer.headers, `${owner}/${repo}`));
      const json = jsonOf(http, { what }, answer);
      if (!Array.isArray(json)) throw new AppError('invalid_input', `GitHub: ${what}: the answer is not a list of advisories`);
      json.forEach((item, i) => {
        const parsed = advisorySchema.safeParse(item);
        if (!parsed.success) {
          const id = typeof (item as { ghsa_id?: unknown })?.ghsa_id === 'string' ? String((item as { ghsa_id: string }).ghsa_id).slice(0, 40) : `item ${i + 1}`;
          const issue = parsed.error.issues[0]!;
          problems.push(`GitHub: ${what}: ${id} is not an advisory as documented (${issue.path.join('.') || 'item'}: ${issue.message}); left out`);
          return;
        }
        const a = parsed.data;
        if (a.state !== 'triage' || seen.has(a.ghsa_id)) return;
        seen.add(a.ghsa_id);
        advisories.push(toAdvisory(a));
      });
      const next = nextLink(answer.headers.get('link'));
      if (!next || json.length === 0) break;
      const resolved = new URL(next, answer.url);
      if (resolved.origin !== origin) throw new AppError('unreadable', `GitHub: ${what}: the next page is on another origin (${resolved.origin}); not following`);
      if (visited.has(resolved.href)) throw new AppError('unreadable', `GitHub: ${what}: the next page links back to a page already read`);
      url = resolved.href;
    }
    return { advisories, problems };
  }

  return { listTriageAdvisories };
}

export type GitHubClient = ReturnType<typeof createGitHubClient>;

function toAdvisory(a: z.output<typeof advisorySchema>): GitHubAdvisory {
  const cvss = a.cvss_severities?.cvss_v4?.vector_string || a.cvss_severities?.cvss_v3?.vector_string || a.cvss?.vector_string || null;
  return {
    ghsaId: a.ghsa_id,
    cveId: a.cve_id ?? null,
    htmlUrl: a.html_url,
    summary: a.summary,
    description: a.description ?? '',
    severity: a.severity ?? null,
    authorLogin: a.author?.login ?? null,
    createdAt: a.created_at ?? null,
    cvssVector: cvss,
    cweIds: a.cwe_ids ?? [],
    packages: (a.vulnerabilities ?? []).map((v) => ({
      ecosystem: v.package?.ecosystem ?? null,
      name: v.package?.name ?? null,
      vulnerableVersions: v.vulnerable_version_range ?? null,
      patchedVersions: v.patched_versions ?? null,
    })),
  };
}

/** GitHub's refusals in words, for the one who set up the token. */
function explain(status: number, body: string, headers: Headers, repo: string): string {
  const said = forgeMessage(body);
  const quoted = said ? ` (${said})` : '';
  if ((status === 403 || status === 429) && headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(headers.get('x-ratelimit-reset'));
    return `GitHub is rate limiting the token${Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : ''}; the next poll tries again`;
  }
  switch (status) {
    case 401:
      return `GitHub refused the token with 401${quoted}: CVDESK_GITHUB_TOKEN is wrong, expired or revoked`;
    case 403:
      return `GitHub answered 403${quoted} for the advisories of ${repo}: the token needs the "Repository security advisories" read permission on it`;
    case 404:
      return `GitHub answered 404${quoted}: ${repo} does not exist, or the token cannot see it`;
    default:
      return `GitHub answered ${status}${quoted} for the advisories of ${repo}`;
  }
}
