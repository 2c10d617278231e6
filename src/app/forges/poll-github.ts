import { createGitHubClient, type GitHubAdvisory } from '../../adapters/forges/github.js';
import type { Context } from '../../context.js';
import { isAppError } from '../errors.js';
import { forgeSources, type GitHubSource } from './forge-sources.js';
import { importForgeReport, type ForgeItem, type ImportDeps } from './import-forge-report.js';
import { pollEachSource, type SourcePollResult } from './source-status.js';

type Deps = ImportDeps & Pick<Context, 'config' | 'policy' | 'log'>;

export interface PollOptions {
  /** Per request (tests shorten it). */
  timeoutMs?: number;
}

/**
 * Pulls GitHub private vulnerability reports into the inbox: for each `github-advisory` contact of
 * the policy, the repository's advisories in triage become reports (channel github), each once.
 * A source that cannot be read is recorded with its error and the others are still polled.
 */
export async function pollGitHubAdvisories(deps: Deps, options: PollOptions = {}): Promise<SourcePollResult[]> {
  return pollEachSource(deps, forgeSources(deps.policy, deps.config.forges).github, (source) => pollSource(deps, source, options), {
    imported: 'imported GitHub private vulnerability reports',
    failed: 'GitHub advisories could not be polled',
  });
}

async function pollSource(deps: Deps, source: GitHubSource, options: PollOptions): Promise<SourcePollResult> {
  const result: SourcePollResult = { source: source.key, imported: [], existing: 0, problems: [], error: null };
  const token = deps.config.forges.githubToken;
  if (!token) {
    result.error = `CVDESK_GITHUB_TOKEN is not set: the private vulnerability reports of ${source.owner}/${source.repo} cannot be read (the policy names it as a channel)`;
    return result;
  }
  const client = createGitHubClient({ apiUrl: source.apiUrl, token, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  let list;
  try {
    list = await client.listTriageAdvisories(source.owner, source.repo);
  } catch (e) {
    if (!isAppError(e)) throw e;
    result.error = e.message;
    return result;
  }
  result.problems.push(...list.problems);
  for (const advisory of list.advisories) {
    try {
      const r = await importForgeReport(deps, advisoryItem(source, advisory), 'poll');
      if (r.outcome === 'imported') result.imported.push(r.number);
      else result.existing++;
    } catch (e) {
      if (!isAppError(e)) throw e;
      result.problems.push(e.message);
    }
  }
  return result;
}

export function advisoryItem(source: GitHubSource, a: GitHubAdvisory): ForgeItem {
  return {
    forge: 'github',
    externalId: a.ghsaId,
    project: `${source.owner}/${source.repo}`,
    projectId: null,
    issueIid: null,
    url: a.htmlUrl,
    reporterLogin: a.authorLogin,
    title: a.summary,
    description: a.description || a.summary,
    cvss: a.cvssVector,
    data: {
      ghsaId: a.ghsaId,
      severity: a.severity,
      cveId: a.cveId,
      cweIds: a.cweIds,
      packages: a.packages,
      createdAt: a.createdAt,
      ...(a.cvssVector ? { cvssVector: a.cvssVector } : {}),
    },
  };
}
