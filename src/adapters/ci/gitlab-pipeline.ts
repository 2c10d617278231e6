/**
 * GitLab pipeline trigger: POST {apiUrl}/api/v4/projects/{id or URL-encoded path}/trigger/pipeline
 * with the form fields token, ref and variables[KEY]=value; GitLab answers 201 with the pipeline
 * ({"id", "web_url", ...}). cvdesk sets the policy's variables and its own (the policy cannot
 * override these): CVDESK_REBUILD_RUN, CVDESK_REBUILD_REASON ("drift" or "scheduled"),
 * CVDESK_REBUILD_TAGS (the drifted tags as "repository:tag", space-separated) and
 * CVDESK_REBUILD_PAYLOAD (the whole payload as JSON).
 */
import type { RebuildTrigger } from '../../domain/policy/schema-releases.js';
import { messageOf, REDACTED, USER_AGENT, type PreparedRequest, type RebuildPayload } from './common.js';
import type { Prepared } from './github-workflow.js';

type Pipeline = Extract<RebuildTrigger, { type: 'gitlab-pipeline' }>;

export function gitlabVariables(trigger: Pipeline, payload: RebuildPayload): Record<string, string> {
  return {
    ...trigger.variables,
    CVDESK_REBUILD_RUN: payload.run,
    CVDESK_REBUILD_REASON: payload.reason,
    CVDESK_REBUILD_TAGS: payload.drifted.map((d) => `${d.repository}:${d.tag}`).join(' '),
    CVDESK_REBUILD_PAYLOAD: JSON.stringify(payload),
  };
}

function explainGitLab(status: number, body: string, project: string, ref: string): string {
  const said = messageOf(body);
  const quoted = said ? ` (${said})` : '';
  switch (status) {
    case 400:
      return `GitLab rejected the request with 400${quoted}: check the ref ${ref} and the variables.`;
    case 401:
    case 403:
      return `GitLab answered ${status}${quoted}: the trigger token may not run pipelines of ${project} on ${ref}.`;
    case 404:
      return `GitLab answered 404${quoted}: the project ${project} does not exist, or the trigger token (CVDESK_REBUILD_TOKEN) is wrong; GitLab answers 404 for both.`;
    default:
      return `GitLab answered ${status}${quoted}.`;
  }
}

export function prepareGitlabPipeline(trigger: Pipeline, payload: RebuildPayload, token: string): Prepared {
  const variables = gitlabVariables(trigger, payload);
  const form = new URLSearchParams({ token, ref: trigger.ref });
  for (const [k, v] of Object.entries(variables)) form.append(`variables[${k}]`, v);
  const url = `${trigger.apiUrl.replace(/\/+$/, '')}/api/v4/projects/${encodeURIComponent(trigger.project)}/trigger/pipeline`;
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': USER_AGENT };
  const request: PreparedRequest = {
    method: 'POST',
    url,
    headers,
    body: form.toString(),
    summary: { method: 'POST', url, headers, body: { token: REDACTED, ref: trigger.ref, variables } },
    service: 'GitLab',
    explain: (status, text) => explainGitLab(status, text, trigger.project, trigger.ref),
  };
  return { ok: true, request };
}
