/**
 * GitHub Actions workflow_dispatch: POST {apiUrl}/repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches
 * with {"ref", "inputs"}; GitHub answers 204 No Content. Inputs are strings, at most 10, and each
 * must be declared by the workflow (GitHub answers 422 "Unexpected inputs provided" otherwise): cvdesk
 * sends the policy's own inputs and one of its own, `cvdesk`, a compact JSON string
 * {"run","reason","images":{"<repository>":["<tag>",...]}} naming the drifted tags. Declare it:
 *
 *   on:
 *     workflow_dispatch:
 *       inputs:
 *         cvdesk: { type: string, required: false }
 */
import type { RebuildTrigger } from '../../domain/policy/schema-releases.js';
import { jsonBody, messageOf, REDACTED, USER_AGENT, type PreparedRequest, type RebuildPayload } from './common.js';

type Workflow = Extract<RebuildTrigger, { type: 'github-workflow' }>;

/** GitHub's limit on workflow_dispatch inputs. */
export const GITHUB_MAX_INPUTS = 10;
/** The input cvdesk adds; longer tag lists are cut to stay well within GitHub's payload limits. */
export const CVDESK_INPUT = 'cvdesk';
const MAX_INPUT_CHARS = 8_000;

export function githubHeaders(token: string): Record<string, string> {
  return {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${token}`,
    'x-github-api-version': '2022-11-28',
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
  };
}

export const githubApi = (apiUrl: string, path: string) => `${apiUrl.replace(/\/+$/, '')}${path}`;

export const repoPath = (repository: string) =>
  repository
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');

/** GitHub's answers in words: what the status means for the one who set up the trigger. */
export function explainGitHub(status: number, body: string, what: string, permission: string): string {
  const said = messageOf(body);
  const quoted = said ? ` (${said})` : '';
  switch (status) {
    case 401:
      return `GitHub refused the token with 401${quoted}: CVDESK_REBUILD_TOKEN is wrong, expired or revoked.`;
    case 403:
      return `GitHub answered 403${quoted}: the token may not do this; it needs ${permission}.`;
    case 404:
      return `GitHub answered 404${quoted}: ${what} does not exist, or the token cannot see it.`;
    case 422:
      return `GitHub rejected the request with 422${quoted}.`;
    default:
      return `GitHub answered ${status}${quoted}.`;
  }
}

/** The compact JSON of the `cvdesk` input; a long tag list is cut and the rest counted. */
export function compactInput(payload: RebuildPayload): string {
  const full = JSON.stringify({ run: payload.run, reason: payload.reason, images: payload.images });
  if (full.length <= MAX_INPUT_CHARS) return full;
  const images: Record<string, string[]> = {};
  let omitted = 0;
  let size = 200;
  for (const [repo, tags] of Object.entries(payload.images)) {
    for (const tag of tags) {
      if (size + repo.length + tag.length + 6 > MAX_INPUT_CHARS) {
        omitted++;
        continue;
      }
      size += tag.length + 3 + (images[repo] ? 0 : repo.length + 6);
      (images[repo] ??= []).push(tag);
    }
  }
  return JSON.stringify({ run: payload.run, reason: payload.reason, images, omitted });
}

export type Prepared = { ok: true; request: PreparedRequest } | { ok: false; error: string };

export function prepareGithubWorkflow(trigger: Workflow, payload: RebuildPayload, token: string): Prepared {
  const inputs: Record<string, string> = { [CVDESK_INPUT]: compactInput(payload), ...trigger.inputs };
  const count = Object.keys(inputs).length;
  if (count > GITHUB_MAX_INPUTS) {
    return { ok: false, error: `GitHub accepts at most ${GITHUB_MAX_INPUTS} workflow inputs; the policy's releases.rebuild.trigger.inputs name ${Object.keys(trigger.inputs).length}, and cvdesk adds "${CVDESK_INPUT}". Remove some.` };
  }
  const body = JSON.stringify({ ref: trigger.ref, inputs });
  const url = githubApi(trigger.apiUrl, `/repos/${repoPath(trigger.repository)}/actions/workflows/${encodeURIComponent(trigger.workflow)}/dispatches`);
  const headers = githubHeaders(token);
  return {
    ok: true,
    request: {
      method: 'POST',
      url,
      headers,
      body,
      summary: { method: 'POST', url, headers: { ...headers, authorization: `Bearer ${REDACTED}` }, body: jsonBody(body) },
      service: 'GitHub',
      explain: (status, text) => explainGitHub(status, text, `the workflow ${trigger.workflow} in ${trigger.repository}`, 'the "Actions: write" permission on the repository'),
    },
  };
}
