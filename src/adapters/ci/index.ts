/** The rebuild triggers: one file per kind of CI, sharing common.ts. */
import type { RebuildTrigger } from '../../domain/policy/schema-releases.js';
import type { RebuildPayload } from './common.js';
import { prepareGithubDispatch } from './github-dispatch.js';
import { prepareGithubWorkflow, type Prepared } from './github-workflow.js';
import { prepareGitlabPipeline } from './gitlab-pipeline.js';
import { prepareWebhook } from './webhook.js';

export { imagesOf, scrub, sendTrigger, type DriftedTag, type PreparedRequest, type RebuildPayload, type RequestSummary, type SendOptions, type TriggerOutcome } from './common.js';
export { verifyWebhookSignature, webhookSignature } from './webhook.js';
export type { Prepared } from './github-workflow.js';

/** The request a trigger sends for this payload, with `secret` in it (and a summary without). */
export function prepareTrigger(trigger: RebuildTrigger, payload: RebuildPayload, secret: string, now: Date): Prepared {
  switch (trigger.type) {
    case 'github-workflow':
      return prepareGithubWorkflow(trigger, payload, secret);
    case 'github-dispatch':
      return prepareGithubDispatch(trigger, payload, secret);
    case 'gitlab-pipeline':
      return prepareGitlabPipeline(trigger, payload, secret);
    case 'webhook':
      return prepareWebhook(trigger, payload, secret, now);
  }
}

/** The trigger in a few words, for pages: "GitHub workflow rebuild.yml in mautic/docker (main)". */
export function describeTrigger(trigger: RebuildTrigger): string {
  switch (trigger.type) {
    case 'github-workflow':
      return `GitHub Actions workflow ${trigger.workflow} in ${trigger.repository} on ${trigger.ref}`;
    case 'github-dispatch':
      return `GitHub repository_dispatch "${trigger.eventType}" to ${trigger.repository}`;
    case 'gitlab-pipeline':
      return `GitLab pipeline of ${trigger.project} on ${trigger.ref}`;
    case 'webhook':
      return `signed webhook to ${trigger.url}`;
  }
}
