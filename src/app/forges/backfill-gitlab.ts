import { createGitLabClient, type GitLabIssue } from '../../adapters/forges/gitlab.js';
import type { Context } from '../../context.js';
import { isAppError } from '../errors.js';
import { forgeSources, type GitLabSource } from './forge-sources.js';
import { importForgeReport, type ForgeItem, type ImportDeps } from './import-forge-report.js';
import type { PollOptions } from './poll-github.js';
import { pollEachSource, type SourcePollResult } from './source-status.js';

type Deps = ImportDeps & Pick<Context, 'config' | 'policy' | 'log'>;

/**
 * The GitLab webhook's safety net: for each `gitlab-confidential-issue` contact of the policy, the
 * project's open confidential issues that are not in the desk yet become reports (channel gitlab),
 * e.g. those filed while the desk was down or before the webhook was set up.
 */
export async function backfillGitLabIssues(deps: Deps, options: PollOptions = {}): Promise<SourcePollResult[]> {
  return pollEachSource(deps, forgeSources(deps.policy, deps.config.forges).gitlab, (source) => backfillSource(deps, source, options), {
    imported: 'imported GitLab confidential issues',
    failed: 'GitLab issues could not be read',
  });
}

async function backfillSource(deps: Deps, source: GitLabSource, options: PollOptions): Promise<SourcePollResult> {
  const result: SourcePollResult = { source: source.key, imported: [], existing: 0, problems: [], error: null };
  const token = deps.config.forges.gitlabToken;
  if (!token) {
    result.error = `CVDESK_GITLAB_TOKEN is not set: the confidential issues of ${source.path} on ${source.host} cannot be read (the policy names it as a channel); only the webhook brings them in`;
    return result;
  }
  const client = createGitLabClient({ apiUrl: source.apiUrl, token, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  let list;
  try {
    list = await client.listConfidentialIssues(source.path);
  } catch (e) {
    if (!isAppError(e)) throw e;
    result.error = e.message;
    return result;
  }
  result.problems.push(...list.problems);
  for (const issue of list.issues) {
    try {
      const r = await importForgeReport(deps, issueItem(source, issue), 'backfill');
      if (r.outcome === 'imported') result.imported.push(r.number);
      else result.existing++;
    } catch (e) {
      if (!isAppError(e)) throw e;
      result.problems.push(e.message);
    }
  }
  return result;
}

/** A GitLab issue as a forge item; its key is instance-wide, so the webhook and the back-fill agree. */
export function issueItem(source: Pick<GitLabSource, 'host' | 'path'>, i: Pick<GitLabIssue, 'id' | 'iid' | 'projectId' | 'title' | 'description' | 'webUrl' | 'authorUsername' | 'createdAt' | 'labels'>): ForgeItem {
  return {
    forge: 'gitlab',
    externalId: `${source.host}:${i.id}`,
    project: source.path,
    projectId: String(i.projectId),
    issueIid: i.iid,
    url: i.webUrl,
    reporterLogin: i.authorUsername,
    title: i.title,
    description: i.description,
    cvss: null,
    data: { iid: i.iid, projectId: i.projectId, labels: i.labels, createdAt: i.createdAt },
  };
}
