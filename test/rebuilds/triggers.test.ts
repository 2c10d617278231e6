import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareTrigger, sendTrigger, verifyWebhookSignature, type PreparedRequest, type RebuildPayload } from '../../src/adapters/ci/index.js';
import { rebuildTriggerSchema, type RebuildTrigger } from '../../src/domain/policy/schema-releases.js';
import { freePort } from '../support/registry.js';
import { startFakeGitHub, startFakeGitLab, startWebhookReceiver, type FakeServer } from '../support/forges.js';

const TOKEN = 'ghp_TestToken1234567890abcdefABCDEF';
const FAST = { retryDelaysMs: [10, 20], timeoutMs: 2_000 };
const NOW = new Date();

const payload: RebuildPayload = {
  run: '6f0c3a9e-1111-4222-8333-944455556666',
  slot: '2026-11-23T00:00:00.000Z',
  reason: 'drift',
  source: 'schedule',
  images: { 'docker.io/mautic/mautic': ['5-apache', '5.2.1-apache'] },
  drifted: [
    { repository: 'docker.io/mautic/mautic', tag: '5.2.1-apache', digest: 'sha256:' + 'a'.repeat(64), baseName: 'php:8.3-apache', recordedBaseDigest: 'sha256:' + 'b'.repeat(64), currentBaseDigest: 'sha256:' + 'c'.repeat(64) },
    { repository: 'docker.io/mautic/mautic', tag: '5-apache', digest: 'sha256:' + 'a'.repeat(64), baseName: 'php:8.3-apache', recordedBaseDigest: 'sha256:' + 'b'.repeat(64), currentBaseDigest: 'sha256:' + 'c'.repeat(64) },
  ],
};

/** A trigger as the policy file would give it (defaults applied by the schema). */
const trigger = (t: Record<string, unknown>): RebuildTrigger => rebuildTriggerSchema.parse(t);

function prepared(t: RebuildTrigger, secret = TOKEN, p = payload): PreparedRequest {
  const r = prepareTrigger(t, p, secret, NOW);
  if (!r.ok) throw new Error(r.error);
  return r.request;
}

const noSecretIn = (value: unknown, secret = TOKEN) => expect(JSON.stringify(value)).not.toContain(secret);

describe('rebuild triggers against local GitHub, GitLab and webhook servers', () => {
  let github: FakeServer;
  let gitlab: Awaited<ReturnType<typeof startFakeGitLab>>;
  beforeAll(async () => {
    github = await startFakeGitHub({
      token: TOKEN,
      repositories: { 'mautic/docker': { workflows: { 'rebuild.yml': { id: 161335, inputs: ['cvdesk', 'variant'] } }, refs: ['main', '5.x'] } },
    });
    gitlab = await startFakeGitLab({ token: TOKEN, projects: [{ id: 278964, path: 'acme/images', refs: ['main'] }] });
  });
  afterAll(async () => {
    await github?.close();
    await gitlab?.close();
  });

  describe('GitHub workflow_dispatch', () => {
    const workflow = () => trigger({ type: 'github-workflow', repository: 'mautic/docker', workflow: 'rebuild.yml', inputs: { variant: 'apache' }, apiUrl: github.url });

    it('POSTs to the documented URL with the bearer token, the API version and {ref, inputs}; 204 is success', async () => {
      const before = github.requests.length;
      const r = await sendTrigger(prepared(workflow()), TOKEN, FAST);
      expect(r).toEqual({ ok: true, status: 204, bodyExcerpt: '', attempts: 1, error: null });
      const [req] = github.requests.slice(before);
      expect(req!.method).toBe('POST');
      expect(req!.url).toBe('/repos/mautic/docker/actions/workflows/rebuild.yml/dispatches');
      expect(req!.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(req!.headers.accept).toBe('application/vnd.github+json');
      expect(req!.headers['x-github-api-version']).toBe('2022-11-28');
      expect(req!.headers['user-agent']).toBeTruthy();
      const body = JSON.parse(req!.body);
      expect(body.ref).toBe('main');
      expect(Object.values(body.inputs).every((v) => typeof v === 'string')).toBe(true);
      expect(body.inputs.variant).toBe('apache');
      expect(JSON.parse(body.inputs.cvdesk)).toEqual({ run: payload.run, reason: 'drift', images: { 'docker.io/mautic/mautic': ['5-apache', '5.2.1-apache'] } });
    });

    it('a numeric workflow id works too; the record of the request holds no token', async () => {
      const req = prepared(trigger({ type: 'github-workflow', repository: 'mautic/docker', workflow: '161335', ref: '5.x', apiUrl: github.url }));
      expect(await sendTrigger(req, TOKEN, FAST)).toMatchObject({ ok: true, status: 204 });
      expect(req.summary.headers.authorization).toBe('Bearer [redacted]');
      noSecretIn(req.summary);
    });

    it('a wrong token: 401 recorded with a clear message, not retried, the token nowhere', async () => {
      const before = github.requests.length;
      const r = await sendTrigger(prepared(workflow(), 'ghp_wrong'), 'ghp_wrong', FAST);
      expect(r.ok).toBe(false);
      expect(r.status).toBe(401);
      expect(r.attempts).toBe(1);
      expect(r.error).toBe('GitHub refused the token with 401 (Bad credentials): CVDESK_REBUILD_TOKEN is wrong, expired or revoked.');
      expect(JSON.parse(r.bodyExcerpt!).message).toBe('Bad credentials');
      expect(github.requests.length - before).toBe(1);
      noSecretIn(r, 'ghp_wrong');
    });

    it('an unknown workflow is 404, an unknown ref and an undeclared input are 422, each in words', async () => {
      const missing = await sendTrigger(prepared(trigger({ type: 'github-workflow', repository: 'mautic/docker', workflow: 'nope.yml', apiUrl: github.url })), TOKEN, FAST);
      expect(missing).toMatchObject({ ok: false, status: 404, attempts: 1 });
      expect(missing.error).toBe('GitHub answered 404 (Not Found): the workflow nope.yml in mautic/docker does not exist, or the token cannot see it.');
      const badRef = await sendTrigger(prepared(trigger({ type: 'github-workflow', repository: 'mautic/docker', workflow: 'rebuild.yml', ref: 'gone', apiUrl: github.url })), TOKEN, FAST);
      expect(badRef).toMatchObject({ ok: false, status: 422, error: 'GitHub rejected the request with 422 (No ref found for: gone).' });
      const undeclared = await sendTrigger(prepared(trigger({ type: 'github-workflow', repository: 'mautic/docker', workflow: 'rebuild.yml', inputs: { color: 'blue' }, apiUrl: github.url })), TOKEN, FAST);
      expect(undeclared).toMatchObject({ ok: false, status: 422, error: 'GitHub rejected the request with 422 (Unexpected inputs provided: ["color"]).' });
    });

    it('more than 10 inputs is refused before sending, naming the limit', () => {
      const inputs = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`in${i}`, 'x']));
      const r = prepareTrigger(trigger({ type: 'github-workflow', repository: 'mautic/docker', workflow: 'rebuild.yml', inputs, apiUrl: github.url }), payload, TOKEN, NOW);
      expect(r).toEqual({ ok: false, error: expect.stringMatching(/^GitHub accepts at most 10 workflow inputs; the policy's releases.rebuild.trigger.inputs name 10, and cvdesk adds "cvdesk"/) });
    });

    it('a long list of drifted tags is cut to keep the input small, and says how many were left out', () => {
      const many: RebuildPayload = { ...payload, images: { 'docker.io/acme/app': Array.from({ length: 2000 }, (_, i) => `1.${i}.0-some-long-variant-name`) } };
      const req = prepared(trigger({ type: 'github-workflow', repository: 'mautic/docker', workflow: 'rebuild.yml', apiUrl: github.url }), TOKEN, many);
      const input = JSON.parse(JSON.parse(req.body).inputs.cvdesk);
      expect(JSON.parse(req.body).inputs.cvdesk.length).toBeLessThanOrEqual(8000);
      expect(input.omitted).toBeGreaterThan(0);
      expect(input.images['docker.io/acme/app'].length + input.omitted).toBe(2000);
    });
  });

  describe('GitHub repository_dispatch', () => {
    it('POSTs {event_type, client_payload} with at most 10 top-level keys; 204', async () => {
      const before = github.requests.length;
      const r = await sendTrigger(prepared(trigger({ type: 'github-dispatch', repository: 'mautic/docker', apiUrl: github.url })), TOKEN, FAST);
      expect(r).toMatchObject({ ok: true, status: 204 });
      const [req] = github.requests.slice(before);
      expect(req!.url).toBe('/repos/mautic/docker/dispatches');
      expect(req!.headers.authorization).toBe(`Bearer ${TOKEN}`);
      const body = JSON.parse(req!.body);
      expect(body.event_type).toBe('cvdesk-rebuild');
      expect(Object.keys(body.client_payload).length).toBeLessThanOrEqual(10);
      expect(body.client_payload).toEqual({ run: payload.run, slot: payload.slot, reason: 'drift', source: 'schedule', images: payload.images, drifted: payload.drifted });
    });

    it('an unknown repository is 404 in words', async () => {
      const r = await sendTrigger(prepared(trigger({ type: 'github-dispatch', repository: 'mautic/nothing', apiUrl: github.url })), TOKEN, FAST);
      expect(r).toMatchObject({ ok: false, status: 404, error: 'GitHub answered 404 (Not Found): the repository mautic/nothing does not exist, or the token cannot see it.' });
    });
  });

  describe('GitLab pipeline trigger', () => {
    it('POSTs token, ref and variables as a form to the project by URL-encoded path; 201 with the pipeline', async () => {
      const req = prepared(trigger({ type: 'gitlab-pipeline', project: 'acme/images', variables: { IMAGE_SET: 'all' }, apiUrl: gitlab.url }));
      const r = await sendTrigger(req, TOKEN, FAST);
      expect(r).toMatchObject({ ok: true, status: 201, attempts: 1 });
      expect(JSON.parse(r.bodyExcerpt!)).toMatchObject({ status: 'created', ref: 'main', web_url: expect.stringContaining('/acme/images/-/pipelines/') });
      const sent = gitlab.requests.at(-1)!;
      expect(sent.url).toBe('/api/v4/projects/acme%2Fimages/trigger/pipeline');
      expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
      const pipeline = gitlab.pipelines.at(-1)!;
      expect(pipeline).toMatchObject({ project: 'acme/images', ref: 'main' });
      expect(pipeline.variables).toMatchObject({
        IMAGE_SET: 'all',
        CVDESK_REBUILD_RUN: payload.run,
        CVDESK_REBUILD_REASON: 'drift',
        CVDESK_REBUILD_TAGS: 'docker.io/mautic/mautic:5.2.1-apache docker.io/mautic/mautic:5-apache',
      });
      expect(JSON.parse(pipeline.variables.CVDESK_REBUILD_PAYLOAD!)).toEqual(payload);
      expect(req.summary.body).toMatchObject({ token: '[redacted]', ref: 'main' });
      noSecretIn(req.summary);
    });

    it('a numeric project id works; a wrong token is GitLab\'s 404, a wrong ref its 400, each explained', async () => {
      expect(await sendTrigger(prepared(trigger({ type: 'gitlab-pipeline', project: '278964', apiUrl: gitlab.url })), TOKEN, FAST)).toMatchObject({ ok: true, status: 201 });
      const wrong = await sendTrigger(prepared(trigger({ type: 'gitlab-pipeline', project: 'acme/images', apiUrl: gitlab.url }), 'glptt-wrong'), 'glptt-wrong', FAST);
      expect(wrong).toMatchObject({ ok: false, status: 404, attempts: 1 });
      expect(wrong.error).toContain('the project acme/images does not exist, or the trigger token (CVDESK_REBUILD_TOKEN) is wrong');
      const ref = await sendTrigger(prepared(trigger({ type: 'gitlab-pipeline', project: 'acme/images', ref: 'nope', apiUrl: gitlab.url })), TOKEN, FAST);
      expect(ref).toMatchObject({ ok: false, status: 400, error: 'GitLab rejected the request with 400 ({"base":["Reference not found"]}): check the ref nope and the variables.' });
    });
  });

  describe('transient failures, network errors, redirects, secrets', () => {
    it('503 then success: retried after the backoff, the attempts counted', async () => {
      github.failNext(503, 2);
      const before = github.requests.length;
      const r = await sendTrigger(prepared(trigger({ type: 'github-dispatch', repository: 'mautic/docker', apiUrl: github.url })), TOKEN, FAST);
      expect(r).toMatchObject({ ok: true, status: 204, attempts: 3 });
      expect(github.requests.slice(before).map((q) => q.status)).toEqual([503, 503, 204]);
    });

    it('503 every time: gives up after three attempts and says so; a 4xx is never retried', async () => {
      github.failNext(503, 5);
      const r = await sendTrigger(prepared(trigger({ type: 'github-dispatch', repository: 'mautic/docker', apiUrl: github.url })), TOKEN, FAST);
      expect(r).toMatchObject({ ok: false, status: 503, attempts: 3, error: 'GitHub answered 503 (Service Unavailable). (gave up after 3 attempts)' });
      github.clearFailures();
    });

    it('429 with a Retry-After too long is not waited for', async () => {
      github.failNext(429, 1, { headers: { 'retry-after': '3600' }, body: JSON.stringify({ message: 'API rate limit exceeded' }) });
      const r = await sendTrigger(prepared(trigger({ type: 'github-dispatch', repository: 'mautic/docker', apiUrl: github.url })), TOKEN, { ...FAST, maxRetryAfterMs: 1_000 });
      expect(r).toMatchObject({ ok: false, status: 429, attempts: 1 });
      expect(r.error).toContain('It asked to wait 3600 s before trying again');
    });

    it('nobody listening: a network error after the retries, naming the host, not the token', async () => {
      const port = await freePort();
      const r = await sendTrigger(prepared(trigger({ type: 'webhook', url: `http://127.0.0.1:${port}/hook` })), TOKEN, FAST);
      expect(r).toMatchObject({ ok: false, status: null, attempts: 3 });
      expect(r.error).toBe(`The webhook at 127.0.0.1:${port}: could not reach 127.0.0.1:${port} (ECONNREFUSED). (gave up after 3 attempts)`);
    });

    it('an answer that echoes the secret is recorded with the secret replaced; a redirect is not followed', async () => {
      const echo = createServer((req, res) => {
        if (req.url === '/moved') {
          res.writeHead(307, { location: 'http://127.0.0.1:1/elsewhere' }).end();
          return;
        }
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `bad token ${req.headers.authorization}` }));
      });
      await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
      const port = (echo.address() as { port: number }).port;
      try {
        const r = await sendTrigger(prepared(trigger({ type: 'github-dispatch', repository: 'o/r', apiUrl: `http://127.0.0.1:${port}` })), TOKEN, FAST);
        expect(r).toMatchObject({ ok: false, status: 400 });
        noSecretIn(r);
        expect(r.bodyExcerpt).toContain('Bearer [redacted]');
        const moved = await sendTrigger(prepared(trigger({ type: 'webhook', url: `http://127.0.0.1:${port}/moved` })), TOKEN, FAST);
        expect(moved).toMatchObject({ ok: false, status: 307, attempts: 1 });
      } finally {
        await new Promise((resolve) => echo.close(resolve));
      }
    });
  });

  describe('signed webhook', () => {
    it('the receiver verifies the HMAC over timestamp and raw body; a changed body, an old timestamp or a replay is refused', async () => {
      const receiver = await startWebhookReceiver({ secret: TOKEN });
      try {
        const req = prepared(trigger({ type: 'webhook', url: `${receiver.url}/cvdesk` }));
        expect(await sendTrigger(req, TOKEN, FAST)).toMatchObject({ ok: true, status: 202 });
        const [first] = receiver.deliveries;
        expect(first).toMatchObject({ verified: true, problem: null });
        expect(first!.headers['x-cvdesk-event']).toBe('rebuild');
        expect(first!.headers['x-cvdesk-delivery']).toBe(payload.run);
        expect(first!.headers['content-type']).toBe('application/json');
        expect(JSON.parse(first!.body)).toEqual({ event: 'rebuild', ...payload });
        expect(req.summary.headers['x-cvdesk-signature-256']).toBe('sha256=[redacted]');
        noSecretIn(req.summary);

        // the same request again (a replay): refused
        expect(await sendTrigger(req, TOKEN, FAST)).toMatchObject({ ok: false, status: 401 });
        expect(receiver.deliveries.at(-1)!.problem).toBe('replayed');
        // a body changed on the way: refused, and the error says what to check
        const tampered = { ...req, body: req.body.replace('5.2.1-apache', '4.4.0-apache') };
        const r = await sendTrigger(tampered, TOKEN, FAST);
        expect(r).toMatchObject({ ok: false, status: 401 });
        expect(r.error).toContain('the receiver refused the signature');
        expect(receiver.deliveries.at(-1)!.problem).toBe('bad signature');
        // signed ten minutes ago: refused as stale
        const old = prepareTrigger(trigger({ type: 'webhook', url: `${receiver.url}/cvdesk` }), payload, TOKEN, new Date(Date.now() - 600_000));
        expect(old.ok && (await sendTrigger(old.request, TOKEN, FAST)).status).toBe(401);
        expect(receiver.deliveries.at(-1)!.problem).toBe('stale timestamp');
        // signed with another key: refused
        const other = prepared(trigger({ type: 'webhook', url: `${receiver.url}/cvdesk` }), 'another-key');
        expect((await sendTrigger(other, 'another-key', FAST)).status).toBe(401);
        expect(receiver.deliveries.at(-1)!.problem).toBe('bad signature');
      } finally {
        await receiver.close();
      }
    });

    it('verifyWebhookSignature, the reference check for receivers, agrees with the receiver', () => {
      const req = prepared(trigger({ type: 'webhook', url: 'http://127.0.0.1:9/x' }));
      const timestamp = req.headers['x-cvdesk-timestamp'];
      const signature = req.headers['x-cvdesk-signature-256'];
      expect(verifyWebhookSignature({ secret: TOKEN, body: req.body, timestamp, signature, now: NOW })).toEqual({ ok: true });
      expect(verifyWebhookSignature({ secret: TOKEN, body: `${req.body} `, timestamp, signature, now: NOW })).toEqual({ ok: false, reason: 'signature does not match' });
      expect(verifyWebhookSignature({ secret: TOKEN, body: req.body, timestamp, signature, now: new Date(NOW.getTime() + 301_000) })).toMatchObject({ ok: false });
      expect(verifyWebhookSignature({ secret: TOKEN, body: req.body, timestamp: undefined, signature, now: NOW })).toMatchObject({ ok: false });
    });
  });
});
