import { Command } from 'commander';
import { registriesFromConfig, type Registries } from '../../adapters/registry/registries.js';
import { AppError } from '../../app/errors.js';
import { imageDrift, type DriftResult } from '../../app/images/check-drift.js';
import { noAdvisoryStore, tagStatusFromRegistry, type TagReport } from '../../app/images/tag-status.js';
import { loadPolicy } from '../../app/load-policy.js';
import { loadPolicyFileSetting, loadRegistrySettings } from '../../config.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { printJson, type CliIo } from '../io.js';
import type { RegisterCommand } from './index.js';

/** `cvdesk image drift`: the image records no usable base, so drift cannot be judged. */
export const EXIT_DRIFT_UNKNOWN = 3;

const HOST_RE = /^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/;

/** Registries with the configured credentials; plain HTTP for loopback, CVDESK_REGISTRY_PLAIN_HTTP and --plain-http hosts. */
async function registriesFor(io: CliIo, plainHttpFlag: string | undefined): Promise<Registries> {
  const settings = loadRegistrySettings(io.env, io.cwd);
  const extra = (plainHttpFlag ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const bad = extra.find((h) => !HOST_RE.test(h));
  if (bad !== undefined) throw new AppError('invalid_input', `--plain-http: "${bad.slice(0, 100)}" is not a host or host:port`);
  return registriesFromConfig({ authFile: settings.authFile, plainHttp: [...settings.plainHttp, ...extra] });
}

const KIND: Record<TagReport['kind'], string> = {
  release: 'a release',
  prerelease: 'a pre-release',
  rolling: 'a rolling tag',
  build: 'a build tag',
  unknown: "a tag outside the project's tag scheme",
};

/** One paragraph: what the tag is, whether it receives advisories and why, what affects it, where to move. */
export function statusParagraph(repository: string, r: TagReport): string {
  const facts = [r.version && `${r.kind === 'rolling' ? 'tracks' : 'version'} ${r.version}`, r.variant && `variant ${r.variant}`].filter(Boolean).join(', ');
  let what = `${repository}:${r.tag}${r.digest ? ` (${r.digest})` : ''} is ${KIND[r.kind]}${facts ? ` (${facts})` : ''}`;
  if (r.kind === 'rolling') {
    what += r.pointsTo ? ` that points to ${r.pointsTo} (${r.pointsToBy === 'digest' ? 'same digest' : 'by its name; no release with its digest was found'})` : ' that points to no release in the tag list';
  }
  const sentences = [`${what}.`];
  sentences.push(`It ${r.receivesAdvisories ? 'receives' : 'does not receive'} security advisories under the policy. ${r.reason}`);
  if (r.advisories.length === 0) sentences.push('No known advisory affects it.');
  else sentences.push(`${r.advisories.length === 1 ? 'One advisory affects' : `${r.advisories.length} advisories affect`} it: ${r.advisories.map((a) => `${a.id}${a.severity ? ` (${a.severity})` : ''} ${a.title}`).join('; ')}.`);
  const newest = r.kind === 'build' ? 'the newest build' : 'the newest supported release of its variant';
  if (r.moveTo === null) sentences.push('There is no supported tag to move to.');
  else if (r.moveTo === r.tag) sentences.push(`It is ${newest}.`);
  else if (r.kind === 'rolling' && r.moveTo === r.pointsTo) sentences.push(`It points to ${newest}; to pin it, use ${r.moveTo}.`);
  else sentences.push(`Move to ${r.moveTo}, ${newest}.`);
  return sentences.join(' ');
}

export function driftText(ref: string, r: DriftResult): string {
  switch (r.status) {
    case 'up-to-date':
      return `${ref}: up to date. ${r.reason}`;
    case 'rebuild-needed':
      return [`${ref}: rebuild needed. ${r.reason}`, `  base image:      ${r.baseName}`, `  built on:        ${r.recordedBaseDigest}`, `  current digest:  ${r.currentBaseDigest}`].join('\n');
    case 'unknown':
      return `${ref}: unknown. ${r.reason}`;
  }
}

const STATUS_HELP = `
The status comes straight from the registry (no desk needed): the tag list, the tag's digest, and
for a rolling tag the digests of the releases it may point to. Registry credentials come from
CVDESK_REGISTRY_AUTH_FILE (a Docker config.json); loopback registries are spoken to over plain
HTTP, others over HTTPS unless listed in --plain-http or CVDESK_REGISTRY_PLAIN_HTTP.

--json prints {"tag","kind","digest","receivesAdvisories","advisories","moveTo", ...}.

Exit codes: 0 the tag receives advisories and no known advisory affects it; 1 it does not receive
advisories, or an advisory affects it; 2 the reference, policy or registry could not be used.`;

const DRIFT_HELP = `
Compares the base image recorded in the image (the annotations org.opencontainers.image.base.name
and .base.digest of its index or manifest, else the same config labels) with the digest the base
image's tag has now. Familiar base names mean Docker Hub ("php:8.3-apache").

--json prints {"status","baseName","recordedBaseDigest","currentBaseDigest"}.

Exit codes: 0 up to date; 1 rebuild needed; ${EXIT_DRIFT_UNKNOWN} unknown (the image records no usable
base); 2 the reference could not be used or a registry could not be read.`;

/** `cvdesk image status <ref>` and `cvdesk image drift <ref>`: straight against the registry. */
export const registerImage: RegisterCommand = (program, io, setExit) => {
  const parent = program.commands.find((c) => c.name() === 'image') ?? program.command('image').description('one image: its tag status under the policy, its base-image drift');
  parent.addCommand(
    new Command('status')
      .description("a tag's kind, digest, support under the policy, the advisories that affect it and the tag to move to")
      .argument('<ref>', 'the image and tag, e.g. docker.io/mautic/mautic:5.2.1-apache (no tag: latest)')
      .option('--policy <file>', 'the policy file (default: CVDESK_POLICY, else examples/policies/mautic-docker.yaml)')
      .option('--plain-http <hosts>', 'comma-separated registry hosts to speak plain HTTP to')
      .option('--json', 'print JSON')
      .addHelpText('after', STATUS_HELP)
      .action(async (ref: string, opts: { policy?: string; plainHttp?: string; json?: boolean }) => {
        const policyFile = opts.policy === undefined ? loadPolicyFileSetting(io.env, io.cwd) : loadPolicyFileSetting({ CVDESK_POLICY: opts.policy }, io.cwd);
        const policy = await loadPolicy(policyFile);
        const registries = await registriesFor(io, opts.plainHttp);
        // the advisory store (issue #5) is not there yet: no advisory is known to affect a tag
        const { repository, report } = await tagStatusFromRegistry(registries, policy, ref, noAdvisoryStore);
        if (opts.json) printJson(io, { ...report, repository });
        else io.out(statusParagraph(repository, report));
        setExit(report.receivesAdvisories && report.advisories.length === 0 ? EXIT_OK : EXIT_FINDINGS);
      }),
  );
  parent.addCommand(
    new Command('drift')
      .description('is the image built on the current digest of its base image? up to date, rebuild needed, or unknown')
      .argument('<ref>', 'the image, e.g. docker.io/mautic/mautic:5.2.1-apache (no tag: latest)')
      .option('--platform <os/arch[/variant]>', 'for a multi-arch image whose index records no base: the image to read it from (default linux/amd64, else the first)')
      .option('--plain-http <hosts>', 'comma-separated registry hosts to speak plain HTTP to')
      .option('--json', 'print JSON')
      .addHelpText('after', DRIFT_HELP)
      .action(async (ref: string, opts: { platform?: string; plainHttp?: string; json?: boolean }) => {
        const registries = await registriesFor(io, opts.plainHttp);
        const r = await imageDrift(registries, ref, opts.platform === undefined ? {} : { platform: opts.platform });
        if (opts.json) printJson(io, { status: r.status, baseName: r.baseName, recordedBaseDigest: r.recordedBaseDigest, currentBaseDigest: r.currentBaseDigest });
        else io.out(driftText(ref, r));
        setExit(r.status === 'up-to-date' ? EXIT_OK : r.status === 'rebuild-needed' ? EXIT_FINDINGS : EXIT_DRIFT_UNKNOWN);
      }),
  );
};
