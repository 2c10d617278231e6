import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/app/errors.js';
import { tagStatusFromRegistry, type AdvisoriesFor } from '../../src/app/images/tag-status.js';
import { loadPolicy } from '../../src/app/load-policy.js';
import type { Policy } from '../../src/domain/policy/schema.js';
import { runCli } from '../support/run-cli.js';
import { freePort, registryMissing, startRegistry, type Pushed, type TestRegistry } from '../support/registry.js';
import { BASE_DIGEST, BASE_NAME, countingRegistries, pushMultiArch, type CountingRegistries } from './image-fixtures.js';

const skip = registryMissing();

const POLICY = `version: 1
project:
  name: Acme app
  url: https://acme.example/
contacts:
  - type: email
    address: security@acme.example
scope:
  inScope: [The acme/app image]
sla:
  acknowledge: 3 business days
securityTxt:
  canonical: [https://acme.example/.well-known/security.txt]
tags:
  variants: [apache, fpm]
support:
  supportedMajors: [5, 6]
  latestMinorOnly: true
`;

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe.skipIf(skip)('tag status straight from docker-registry', () => {
  let reg: TestRegistry;
  let registries: CountingRegistries;
  let policy: Policy;
  let policyFile: string;
  let old: Pushed;
  let multi: { index: Pushed };
  const pushed = new Map<string, Pushed>();

  beforeAll(async () => {
    reg = await startRegistry('none');
    registries = countingRegistries();
    const dir = mkdtempSync(join(tmpdir(), 'cvdesk-status-'));
    policyFile = join(dir, 'policy.yaml');
    writeFileSync(policyFile, POLICY);
    policy = await loadPolicy(policyFile);
    for (const tag of ['4.4.13-apache', '5.2.0-apache', '5.2.1-apache', '5.2.1-fpm', '6.0.0-apache', '6.1.0-rc1']) {
      pushed.set(tag, await reg.push.image('acme/app', [tag], { layerText: `app ${tag}` }));
    }
    // the rolling 5-apache still carries the 5.1.9 image (not what its name's rule would pick)
    old = await reg.push.image('acme/app', ['5.1.9-apache', '5-apache'], { layerText: 'app 5.1.9-apache' });
    // a multi-arch release whose index is also latest and 6
    multi = await pushMultiArch(reg, 'acme/app', '6.0.0', 'six', { annotations: { [BASE_NAME]: `${reg.host}/base/os:1`, [BASE_DIGEST]: `sha256:${'0'.repeat(64)}` } });
    await reg.push.manifest('acme/app', 'latest', multi.index.body, 'application/vnd.oci.image.index.v1+json');
    await reg.push.manifest('acme/app', '6', multi.index.body, 'application/vnd.oci.image.index.v1+json');
    await reg.push.image('acme/app', ['5.2-apache'], { layerText: 'app 5.2.1-apache' });
  }, 60_000);
  afterAll(() => reg?.close());

  it('a rolling tag sharing its digest with an older release inherits that release\'s status, found with few requests', async () => {
    registries.calls.length = 0;
    const { repository, report } = await tagStatusFromRegistry(registries, policy, `${reg.host}/acme/app:5-apache`);
    expect(repository).toBe(`${reg.host}/acme/app`);
    expect(report).toMatchObject({ tag: '5-apache', kind: 'rolling', digest: old.digest, pointsTo: '5.1.9-apache', pointsToBy: 'digest', receivesAdvisories: false, moveTo: '5.2.1-apache', advisories: [] });
    // list, the tag, then 5.2.1-apache, 5.2.0-apache, 5.1.9-apache (newest first) until the digest matches
    expect(registries.calls).toEqual(['LIST acme/app', 'HEAD acme/app 5-apache', 'HEAD acme/app 5.2.1-apache', 'HEAD acme/app 5.2.0-apache', 'HEAD acme/app 5.1.9-apache']);
  });

  it('the usual rolling tag is resolved with one extra request', async () => {
    registries.calls.length = 0;
    const { report } = await tagStatusFromRegistry(registries, policy, `${reg.host}/acme/app:latest`);
    expect(report).toMatchObject({ kind: 'rolling', digest: multi.index.digest, pointsTo: '6.0.0', pointsToBy: 'digest', receivesAdvisories: true, moveTo: '6.0.0' });
    expect(registries.calls).toEqual(['LIST acme/app', 'HEAD acme/app latest', 'HEAD acme/app 6.0.0']);
  });

  it('releases: supported, older minor, unsupported major, pre-release; a multi-arch index digest', async () => {
    const get = async (tag: string) => (await tagStatusFromRegistry(registries, policy, `${reg.host}/acme/app:${tag}`)).report;
    expect(await get('5.2.0-apache')).toMatchObject({ kind: 'release', digest: pushed.get('5.2.0-apache')!.digest, receivesAdvisories: true, moveTo: '5.2.1-apache' });
    expect(await get('5.1.9-apache')).toMatchObject({ receivesAdvisories: false, moveTo: '5.2.1-apache', reason: '5.1 is not the newest minor of major 5 (5.2 is).' });
    expect(await get('4.4.13-apache')).toMatchObject({ receivesAdvisories: false, moveTo: '6.0.0-apache' });
    expect(await get('6.1.0-rc1')).toMatchObject({ kind: 'prerelease', receivesAdvisories: false, moveTo: '6.0.0' });
    expect(await get('6.0.0')).toMatchObject({ kind: 'release', digest: multi.index.digest, receivesAdvisories: true, moveTo: '6.0.0' });
  });

  it('passes repository, tag and digest to the advisory source and reports what it returns', async () => {
    const asked: unknown[] = [];
    const advisoriesFor: AdvisoriesFor = async (repository, tag, digest) => {
      asked.push([repository, tag, digest]);
      return [{ id: 'ACME-2026-1', title: 'Weak default', severity: 'medium', url: null }];
    };
    const { report } = await tagStatusFromRegistry(registries, policy, `${reg.host}/acme/app:5.2.0-apache`, advisoriesFor);
    expect(asked).toEqual([[`${reg.host}/acme/app`, '5.2.0-apache', pushed.get('5.2.0-apache')!.digest]]);
    expect(report.advisories).toEqual([{ id: 'ACME-2026-1', title: 'Weak default', severity: 'medium', url: null }]);
  });

  it('bad input: unknown tag or repository, a digest instead of a tag, a malformed reference, an unreachable registry', async () => {
    expect(await failure(tagStatusFromRegistry(registries, policy, `${reg.host}/acme/app:9.9.9`))).toMatchObject({ code: 'not_found', message: `registry ${reg.host} has no tag 9.9.9 in acme/app` });
    expect((await failure(tagStatusFromRegistry(registries, policy, `${reg.host}/acme/none:1`))).code).toBe('not_found');
    expect((await failure(tagStatusFromRegistry(registries, policy, `${reg.host}/acme/app@${old.digest}`))).message).toContain('give repository:tag');
    expect((await failure(tagStatusFromRegistry(registries, policy, 'Acme/App:1'))).code).toBe('invalid_input');
    const closed = `127.0.0.1:${await freePort()}`;
    expect((await failure(tagStatusFromRegistry(registries, policy, `${closed}/acme/app:1`))).code).toBe('unreadable');
  });

  describe('cvdesk image status and cvdesk image drift', () => {
    it('prints one paragraph and exits 0 for a supported tag, 1 for an unsupported one', async () => {
      const ok = await runCli(['image', 'status', `${reg.host}/acme/app:5.2.0-apache`, '--policy', policyFile]);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout.trim().split('\n')).toHaveLength(1);
      expect(ok.stdout).toContain(`${reg.host}/acme/app:5.2.0-apache (${pushed.get('5.2.0-apache')!.digest}) is a release (version 5.2.0, variant apache).`);
      expect(ok.stdout).toContain('It receives security advisories under the policy.');
      expect(ok.stdout).toContain('Move to 5.2.1-apache');
      const rolling = await runCli(['image', 'status', `${reg.host}/acme/app:5-apache`, '--policy', policyFile]);
      expect(rolling.code).toBe(1);
      expect(rolling.stdout).toContain('is a rolling tag (tracks 5, variant apache) that points to 5.1.9-apache (same digest)');
      expect(rolling.stdout).toContain('does not receive security advisories');
    });

    it('--json prints the contract fields first, in order', async () => {
      const r = await runCli(['image', 'status', `${reg.host}/acme/app:latest`, '--policy', policyFile, '--json']);
      expect(r.code).toBe(0);
      const out = r.json() as Record<string, unknown>;
      expect(Object.keys(out).slice(0, 6)).toEqual(['tag', 'kind', 'digest', 'receivesAdvisories', 'advisories', 'moveTo']);
      expect(out).toMatchObject({ tag: 'latest', kind: 'rolling', digest: multi.index.digest, receivesAdvisories: true, advisories: [], moveTo: '6.0.0', pointsTo: '6.0.0' });
    });

    it('uses CVDESK_POLICY when --policy is not given', async () => {
      const r = await runCli(['image', 'status', `${reg.host}/acme/app:4.4.13-apache`, '--json'], { env: { CVDESK_POLICY: policyFile } });
      expect(r.code).toBe(1);
      expect(r.json()).toMatchObject({ receivesAdvisories: false, moveTo: '6.0.0-apache' });
    });

    it('bad input exits 2 with a message and no stack trace', async () => {
      const unknownTag = await runCli(['image', 'status', `${reg.host}/acme/app:9.9.9`, '--policy', policyFile]);
      expect(unknownTag.code).toBe(2);
      expect(unknownTag.stderr).toBe(`cvdesk: registry ${reg.host} has no tag 9.9.9 in acme/app\n`);
      const malformed = await runCli(['image', 'drift', 'acme/App:1']);
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toContain('is not an image reference');
      const badFlag = await runCli(['image', 'drift', `${reg.host}/acme/app:6.0.0`, '--plain-http', 'not a host']);
      expect(badFlag.code).toBe(2);
      expect(badFlag.stderr).toContain('--plain-http: "not a host" is not a host or host:port');
      const noPolicy = await runCli(['image', 'status', `${reg.host}/acme/app:6.0.0`, '--policy', '/nonexistent/policy.yaml']);
      expect(noPolicy.code).toBe(2);
      expect(noPolicy.stderr).toContain('no such file');
      const closed = await runCli(['image', 'status', `127.0.0.1:${await freePort()}/acme/app:1`, '--policy', policyFile]);
      expect(closed.code).toBe(2);
      expect(closed.stderr).toMatch(/^cvdesk: .*127\.0\.0\.1/);
      expect(closed.stderr).not.toMatch(/\bat .*\.[jt]s:\d+/);
    }, 60_000);

    it('speaks plain HTTP to a host outside loopback only when --plain-http (or CVDESK_REGISTRY_PLAIN_HTTP) names it', async () => {
      // 127.1 is 127.0.0.1 to the URL parser, but not a loopback name to the desk: HTTPS unless listed
      const host = reg.host.replace('127.0.0.1', '127.1');
      const ref = `${host}/acme/app:6.0.0`;
      const https = await runCli(['image', 'status', ref, '--policy', policyFile]);
      expect(https.code).toBe(2);
      expect(https.stderr).toContain(host);
      const listed = await runCli(['image', 'status', ref, '--policy', policyFile, '--plain-http', `example.org,${host}`, '--json']);
      expect(listed.stderr).toBe('');
      expect(listed.json()).toMatchObject({ tag: '6.0.0', digest: multi.index.digest });
      const fromEnv = await runCli(['image', 'status', ref, '--policy', policyFile, '--json'], { env: { CVDESK_REGISTRY_PLAIN_HTTP: host } });
      expect(fromEnv.stderr).toBe('');
      expect(fromEnv.json()).toMatchObject({ tag: '6.0.0', digest: multi.index.digest });
    }, 60_000);

    it('drift: exit 1 and both digests when the base moved, 3 when no base is recorded, exact JSON keys', async () => {
      const baseV1 = await reg.push.image('base/os', ['1'], { layerText: 'os v1' });
      await reg.push.image('acme/app', ['7.0.0'], { annotations: { [BASE_NAME]: `${reg.host}/base/os:1`, [BASE_DIGEST]: baseV1.digest }, layerText: 'app 7.0.0' });
      const up = await runCli(['image', 'drift', `${reg.host}/acme/app:7.0.0`, '--json']);
      expect(up.code).toBe(0);
      expect(up.stdout).toBe(`${JSON.stringify({ status: 'up-to-date', baseName: `${reg.host}/base/os:1`, recordedBaseDigest: baseV1.digest, currentBaseDigest: baseV1.digest }, null, 2)}\n`);
      const baseV2 = await reg.push.image('base/os', ['1'], { layerText: 'os v2' });
      const moved = await runCli(['image', 'drift', `${reg.host}/acme/app:7.0.0`]);
      expect(moved.code).toBe(1);
      expect(moved.stdout).toContain('rebuild needed');
      expect(moved.stdout).toContain(`built on:        ${baseV1.digest}`);
      expect(moved.stdout).toContain(`current digest:  ${baseV2.digest}`);
      const unknown = await runCli(['image', 'drift', `${reg.host}/acme/app:5.2.0-apache`, '--json']);
      expect(unknown.code).toBe(3);
      expect(unknown.json()).toEqual({ status: 'unknown', baseName: null, recordedBaseDigest: null, currentBaseDigest: null });
      const words = await runCli(['image', 'drift', `${reg.host}/acme/app:5.2.0-apache`]);
      expect(words.stdout).toContain('unknown. The image records no base image');
    });

    it.skipIf(!existsSync('dist/cli/main.js'))('runs through the real entry point (bin/cvdesk.js, built)', () => {
      const r = spawnSync(process.execPath, ['bin/cvdesk.js', 'image', 'status', `${reg.host}/acme/app:5.2.1-apache`, '--policy', policyFile, '--json'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ tag: '5.2.1-apache', kind: 'release', receivesAdvisories: true, moveTo: '5.2.1-apache' });
      const help = spawnSync(process.execPath, ['bin/cvdesk.js', 'image', 'drift', '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('Exit codes: 0 up to date; 1 rebuild needed; 3 unknown');
    });
  });
});
