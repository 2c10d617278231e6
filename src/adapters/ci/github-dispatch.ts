/**
 * GitHub repository_dispatch: POST {apiUrl}/repos/{owner}/{repo}/dispatches with
 * {"event_type", "client_payload"}; GitHub answers 204 No Content. A workflow listens with
 * `on: repository_dispatch: types: [cvdesk-rebuild]` and reads `github.event.client_payload`:
 * {run, slot, reason, source, images, drifted} (GitHub allows at most 10 top-level properties).
 */
import type { RebuildTrigger } from '../../domain/policy/schema-releases.js';
import { jsonBody, REDACTED, type PreparedRequest, type RebuildPayload } from './common.js';
import { explainGitHub, githubApi, githubHeaders, repoPath, type Prepared } from './github-workflow.js';

type Dispatch = Extract<RebuildTrigger, { type: 'github-dispatch' }>;

export function prepareGithubDispatch(trigger: Dispatch, payload: RebuildPayload, token: string): Prepared {
  const clientPayload = { run: payload.run, slot: payload.slot, reason: payload.reason, source: payload.source, images: payload.images, drifted: payload.drifted };
  const body = JSON.stringify({ event_type: trigger.eventType, client_payload: clientPayload });
  const url = githubApi(trigger.apiUrl, `/repos/${repoPath(trigger.repository)}/dispatches`);
  const headers = githubHeaders(token);
  const request: PreparedRequest = {
    method: 'POST',
    url,
    headers,
    body,
    summary: { method: 'POST', url, headers: { ...headers, authorization: `Bearer ${REDACTED}` }, body: jsonBody(body) },
    service: 'GitHub',
    explain: (status, text) => explainGitHub(status, text, `the repository ${trigger.repository}`, 'the "Contents: write" permission on the repository'),
  };
  return { ok: true, request };
}
