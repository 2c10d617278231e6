import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/app/errors.js';
import { loadConfig } from '../../src/config.js';
import { forgeSources } from '../../src/app/forges/forge-sources.js';
import { parsePolicy } from '../../src/domain/policy/parse-policy.js';

const failure = (env: Record<string, string>): string => {
  try {
    loadConfig(env, '/');
  } catch (e) {
    if (isAppError(e)) return e.message;
    throw e;
  }
  throw new Error('expected the configuration to be refused');
};

describe('forge channel configuration', () => {
  it('defaults: GitHub.com, GitLab from each contact, polled every five minutes, no secrets', () => {
    expect(loadConfig({}, '/').forges).toEqual({ githubToken: null, githubApiUrl: 'https://api.github.com', gitlabToken: null, gitlabApiUrl: null, gitlabWebhookSecret: null, pollCron: '*/5 * * * *' });
  });

  it('takes tokens, API addresses (GitHub Enterprise, a GitLab instance), the webhook secret and a schedule', () => {
    const f = loadConfig(
      {
        CVDESK_GITHUB_TOKEN: 'ghp_x',
        CVDESK_GITHUB_API_URL: 'https://github.corp.example/api/v3/',
        CVDESK_GITLAB_TOKEN: 'glpat-x',
        CVDESK_GITLAB_API_URL: 'https://gitlab.corp.example/api/v4',
        CVDESK_GITLAB_WEBHOOK_SECRET: 'a-long-enough-secret',
        CVDESK_FORGE_POLL_CRON: '*/15 * * * *',
      },
      '/',
    ).forges;
    expect(f).toEqual({ githubToken: 'ghp_x', githubApiUrl: 'https://github.corp.example/api/v3', gitlabToken: 'glpat-x', gitlabApiUrl: 'https://gitlab.corp.example/api/v4', gitlabWebhookSecret: 'a-long-enough-secret', pollCron: '*/15 * * * *' });
    expect(loadConfig({ CVDESK_FORGE_POLL_CRON: 'off' }, '/').forges.pollCron).toBeNull();
    expect(loadConfig({ CVDESK_GITHUB_API_URL: 'http://127.0.0.1:9999' }, '/').forges.githubApiUrl).toBe('http://127.0.0.1:9999');
  });

  it('refuses plain http off loopback, a short webhook secret and a bad schedule, naming the variable and never the secret', () => {
    expect(failure({ CVDESK_GITHUB_API_URL: 'http://api.github.com' })).toMatch(/CVDESK_GITHUB_API_URL must be an https:\/\/ URL \(plain http only for loopback\)/);
    expect(failure({ CVDESK_GITLAB_API_URL: 'http://gitlab.example/api/v4' })).toMatch(/CVDESK_GITLAB_API_URL must be an https:\/\/ URL/);
    expect(failure({ CVDESK_GITLAB_API_URL: 'ftp://gitlab.example' })).toMatch(/CVDESK_GITLAB_API_URL/);
    const short = failure({ CVDESK_GITLAB_WEBHOOK_SECRET: 'tiny-secret' });
    expect(short).toMatch(/CVDESK_GITLAB_WEBHOOK_SECRET: must be at least 16 characters/);
    expect(short).not.toContain('tiny-secret');
    expect(failure({ CVDESK_FORGE_POLL_CRON: 'every minute' })).toMatch(/CVDESK_FORGE_POLL_CRON: .*\(or "off"\)/);
  });

  it('the sources of a policy: repositories and projects from the contact URLs, each once', () => {
    const parsed = parsePolicy(
      [
        'version: 1',
        'project: { name: X, url: "https://x.example/" }',
        'contacts:',
        '  - { type: github-advisory, url: "https://github.com/Mautic/docker/security" }',
        '  - { type: github-advisory, url: "https://github.com/mautic/docker/security/advisories/new" }',
        '  - { type: github-advisory, url: "https://github.com/just-an-org" }',
        '  - { type: gitlab-confidential-issue, url: "https://gitlab.opencode.de/bmi/ozg/scanner/-/issues/new?issuable_template=security" }',
        '  - { type: gitlab-confidential-issue, url: "https://gitlab.com/group/project/issues/new" }',
        'scope: { inScope: [X] }',
        'sla: { acknowledge: 1 business day }',
        'securityTxt: { canonical: ["https://x.example/.well-known/security.txt"] }',
      ].join('\n'),
      'x.yaml',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed));
    const s = forgeSources(parsed.policy, loadConfig({}, '/').forges);
    expect(s.github.map((g) => g.key)).toEqual(['github:mautic/docker']);
    expect(s.github[0]).toMatchObject({ owner: 'Mautic', repo: 'docker', apiUrl: 'https://api.github.com' });
    expect(s.gitlab.map((g) => [g.key, g.path, g.apiUrl])).toEqual([
      ['gitlab:gitlab.opencode.de/bmi/ozg/scanner', 'bmi/ozg/scanner', 'https://gitlab.opencode.de/api/v4'],
      ['gitlab:gitlab.com/group/project', 'group/project', 'https://gitlab.com/api/v4'],
    ]);
  });
});
