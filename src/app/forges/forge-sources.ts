import type { ForgesConfig } from '../../config.js';
import type { Policy } from '../../domain/policy/schema.js';

/**
 * The forge channels a policy names, as the desk reaches them:
 * - `github-advisory` https://github.com/<owner>/<repo>/security → that repository's advisories, read
 *   through CVDESK_GITHUB_API_URL (https://api.github.com; a GitHub Enterprise Server's /api/v3);
 * - `gitlab-confidential-issue` https://<host>/<group>/<project>/-/issues/new → that project's
 *   issues, through CVDESK_GITLAB_API_URL or else https://<host>/api/v4.
 */
export interface GitHubSource {
  forge: 'github';
  /** "github:owner/repo": the key of its row in forge_sources and of its admin notice. */
  key: string;
  owner: string;
  repo: string;
  apiUrl: string;
}

export interface GitLabSource {
  forge: 'gitlab';
  /** "gitlab:host/group/project". */
  key: string;
  host: string;
  /** The project's full path, as GitLab's path_with_namespace. */
  path: string;
  apiUrl: string;
}

export interface ForgeSources {
  github: GitHubSource[];
  gitlab: GitLabSource[];
}

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

export function forgeSources(policy: Pick<Policy, 'contacts'>, config: ForgesConfig): ForgeSources {
  const github: GitHubSource[] = [];
  const gitlab: GitLabSource[] = [];
  for (const c of policy.contacts) {
    if (c.type === 'github-advisory') {
      const [owner, repo] = new URL(c.url).pathname.split('/').filter(Boolean);
      if (!owner || !repo || !SEGMENT.test(owner) || !SEGMENT.test(repo)) continue;
      const key = `github:${owner}/${repo}`.toLowerCase();
      if (!github.some((s) => s.key === key)) github.push({ forge: 'github', key, owner, repo, apiUrl: config.githubApiUrl });
    } else if (c.type === 'gitlab-confidential-issue') {
      const u = new URL(c.url);
      const path = gitlabProjectPath(u.pathname);
      if (!path) continue;
      const key = `gitlab:${u.host}/${path}`.toLowerCase();
      if (!gitlab.some((s) => s.key === key)) gitlab.push({ forge: 'gitlab', key, host: u.host.toLowerCase(), path, apiUrl: config.gitlabApiUrl ?? `${u.origin}/api/v4` });
    }
  }
  return { github, gitlab };
}

/** "/group/sub/project/-/issues/new" (or the older "/group/project/issues/new") → "group/sub/project". */
export function gitlabProjectPath(pathname: string): string | null {
  const cut = pathname.includes('/-/') ? pathname.slice(0, pathname.indexOf('/-/')) : pathname.replace(/\/issues(\/new)?\/?$/, '');
  const parts = cut.split('/').filter(Boolean);
  if (parts.length < 2 || !parts.every((p) => SEGMENT.test(p))) return null;
  return parts.join('/');
}

/** The GitLab source a webhook's project belongs to: same host and full path (GitLab paths are case-insensitive). */
export function gitlabSourceFor(sources: ForgeSources, project: { webUrl: string; path: string }): GitLabSource | null {
  let host: string;
  try {
    host = new URL(project.webUrl).host.toLowerCase();
  } catch {
    return null;
  }
  return sources.gitlab.find((s) => s.host === host && s.path.toLowerCase() === project.path.toLowerCase()) ?? null;
}
