import type { Policy } from '../../domain/policy/schema.js';
import type { Contact } from '../../domain/policy/schema-contacts.js';
import { NEXT_WINDOW, type SlaStage, type Stage } from '../../domain/policy/schema-sla.js';
import { capitalize, cronInWords, duration, list, ordinals } from './words.js';

export interface SecurityMdOptions {
  /** Where the desk runs; gives the web form and tracking pages an address. */
  baseUrl?: string;
}

const STAGE_VERB: Record<Stage, string> = {
  acknowledge: 'acknowledge your report',
  triage: 'triage it (confirm whether it is valid and how severe it is)',
  fix: 'develop and test a fix',
  patch: 'ship the fix in a new image build',
};
const ANCHOR_WORDS = { received: 'of receiving it', acknowledged: 'of acknowledging it', triaged: 'of confirming it', fixed: 'of the fix being ready' };
const AFTER_ANCHOR = { received: 'we receive it', acknowledged: 'we acknowledge it', triaged: 'we confirm it', fixed: 'the fix is ready' };
const INCLUDES_WORDS = { severity: 'severity', 'affected-builds': 'affected builds', remediation: 'remediation steps', credits: 'credits', workarounds: 'workarounds' };

function contactLine(c: Contact, p: Policy, o: SecurityMdOptions): string | null {
  switch (c.type) {
    case 'email':
      return c.encryption
        ? `Send an OpenPGP-encrypted e-mail to [${c.address}](mailto:${c.address}) using our key at ${c.encryption.keyUrl} (fingerprint \`${groupHex(c.encryption.fingerprint)}\`).`
        : `Send an e-mail to [${c.address}](mailto:${c.address}).`;
    case 'web-form': {
      const url = c.url ?? (o.baseUrl ? `${o.baseUrl.replace(/\/$/, '')}/report` : null);
      return url ? `Use our confidential report form at ${url} — no account needed${p.reporting.allowAnonymous ? ', and you may stay anonymous' : ''}.` : null;
    }
    case 'github-advisory':
      return `Submit a private disclosure via GitHub's Security Advisory feature at ${c.url}.`;
    case 'gitlab-confidential-issue': {
      const q = `issue[confidential]=on${c.template ? `&issuable_template=${encodeURIComponent(c.template)}` : ''}`;
      return `Create a [confidential issue](${c.url}${c.url.includes('?') ? '&' : '?'}${q})${c.template ? ` with the \`${c.template}\` template` : ''}.`;
    }
  }
}

const groupHex = (fp: string): string => fp.replace(/(.{4})/g, '$1 ').trim();

function stageSentence(stage: Stage, s: SlaStage, p: Policy): string {
  const when =
    s.target === NEXT_WINDOW
      ? `in the next security release window after ${AFTER_ANCHOR[s.from]}`
      : `within ${duration(s.target)} ${ANCHOR_WORDS[s.from]}`;
  const bySeverity = Object.entries(s.bySeverity).map(([sev, d]) => `${duration(d)} for ${sev} severity`);
  const verb = p.sla.commitment === 'best-effort' ? 'endeavour to' : 'will';
  const auto = stage === 'acknowledge' && s.automatic ? ' (an automatic confirmation with your tracking link counts as the acknowledgement)' : '';
  return `We ${verb} ${STAGE_VERB[stage]} ${when}${bySeverity.length ? ` (${list(bySeverity)})` : ''}${auto}.`;
}

function calendarNote(p: Policy): string | null {
  const usesBusinessDays = (['acknowledge', 'triage', 'fix', 'patch'] as const).some((st) => {
    const s = p.sla[st];
    return s && ((s.target !== NEXT_WINDOW && s.target.unit === 'business_days') || Object.values(s.bySeverity).some((d) => d.unit === 'business_days'));
  });
  if (!usesBusinessDays) return null;
  const days = p.calendar.workdays.join(',') === '1,2,3,4,5' ? 'Monday to Friday' : `ISO weekdays ${p.calendar.workdays.join(', ')}`;
  const holidays = p.calendar.holidayRegion ? `, excluding public holidays in ${p.calendar.holidayRegion}` : '';
  return `Business days are ${days} in the ${p.calendar.timeZone} time zone${holidays}. A report that arrives on a non-business day counts from the start of the next business day.`;
}

function supportSection(p: Policy): string[] {
  const s = p.support;
  const out: string[] = [];
  if (s.supportedMajors === 'all') out.push('- Every major version receives security updates.');
  else out.push(`- Supported major versions: ${list(s.supportedMajors.map(String))}. Images for unsupported versions do not receive security updates.`);
  if (s.latestMinorOnly) out.push('- Security updates are provided for the most recent minor version of each supported major version.');
  if (!s.prereleases) out.push('- Development, alpha, beta and release candidate images do not receive security advisories.');
  if (s.buildTags === 'newest') {
    out.push(`- The latest patches are published first under build tags (${p.tags.buildPatterns.map((b) => `\`${b}\``).join(', ')}), so the newest build tag carries the latest security updates.`);
  } else if (s.buildTags === 'all') out.push(`- Build tags (${p.tags.buildPatterns.map((b) => `\`${b}\``).join(', ')}) receive security advisories.`);
  if (s.rebuildExistingTags === 'severe-only') out.push('- Existing version tags are normally not rebuilt: update to a newer tag manually. They are rebuilt only for severe vulnerabilities.');
  if (s.rebuildExistingTags === 'never') out.push('- Existing version tags are never rebuilt: update to a newer tag to receive fixes.');
  if (p.tags.rollingAliases.length) out.push(`- Rolling tags (${p.tags.rollingAliases.map((t) => `\`${t}\``).join(', ')}) always point to the newest supported build.`);
  return out;
}

function releaseSection(p: Policy): string[] {
  const r = p.releases;
  const out: string[] = [];
  if (r.rebuild) {
    out.push(`Our images are automatically rebuilt ${cronInWords(r.rebuild.cron, r.rebuild.timeZone)}.${r.rebuild.description ? ` ${r.rebuild.description}` : ''}`, '');
  }
  if (r.securityWindows.length) {
    const windows = r.securityWindows.map((w) => `the ${ordinals(w.nth)} ${capitalize(w.weekday)}${w.time ? ` at ${w.time}` : ''}`);
    out.push(`Security fixes are integrated into new image builds on ${list(windows)} of each month (${p.calendar.timeZone}), if applicable.`, '');
  }
  if (r.outOfCycle) {
    const who = r.outOfCycle.coordinateWith ? ` in collaboration with the ${r.outOfCycle.coordinateWith}` : '';
    out.push(`Where an urgent fix is required (${list(r.outOfCycle.severities)} severity), an out-of-cycle release is made${who}.${r.outOfCycle.description ? ` ${r.outOfCycle.description}` : ''}`, '');
  }
  const a = r.announcements;
  out.push(a.timing === 'with-release' ? '- Security fixes are announced alongside the new image builds.' : '- Security fixes are announced when the advisory is published.');
  if (a.includes.length) out.push(`- Announcements include the ${list(a.includes.map((i) => INCLUDES_WORDS[i]))}.`);
  if (a.encourageUpdate) out.push('- Users are encouraged to update to the latest secure image.');
  return out;
}

/** SECURITY.md in plain English, stating every commitment of the policy. */
export function renderSecurityMd(p: Policy, o: SecurityMdOptions = {}): string {
  const L: string[] = [];
  const push = (...lines: string[]) => L.push(...lines);
  push(`# ${p.project.name} security policy`, '');
  if (p.project.description) push(p.project.description, '');
  if (p.project.goals.length) push('## Goals', '', ...p.project.goals.map((g) => `- ${g}`), '');

  push('## Scope', '', `The ${p.team.name} handles security issues in:`, '', ...p.scope.inScope.map((s) => `- ${s}`), '');
  if (p.scope.outOfScope.length) {
    push('It does not directly handle:', '');
    for (const o2 of p.scope.outOfScope) push(`- ${o2.area}${o2.upstream ? ` (handled by the ${o2.upstream.name}: report at ${o2.upstream.contact.replace(/^mailto:/, '')})` : ''}`);
    push('');
  }
  if (p.project.images.length) push('Images covered:', '', ...p.project.images.map((i) => `- \`${i.name}\`${i.source ? ` (source: ${i.source})` : ''}`), '');

  push('## Supported versions', '', ...supportSection(p), '');

  push('## Reporting a vulnerability', '', 'Please report vulnerabilities confidentially. You can:', '');
  for (const c of p.contacts) {
    const line = contactLine(c, p, o);
    if (line) push(`- ${line}`);
  }
  push('');
  if (p.reporting.guidelines.length) push('When you report:', '', ...p.reporting.guidelines.map((g, i) => `${i + 1}. ${g}`), '');
  if (p.openpgp) push(`Our OpenPGP key: ${p.openpgp.keyUrl} (fingerprint \`${groupHex(p.openpgp.fingerprint)}\`).`, '');
  push(`We read reports in ${list(p.languages.map(languageName))}.`, '');

  const stages = (['acknowledge', 'triage', 'fix', 'patch'] as const).filter((s) => p.sla[s]);
  if (stages.length) {
    push('## What happens after you report', '', ...stages.map((s) => `- ${stageSentence(s, p.sla[s] as SlaStage, p)}`));
    if (p.sla.pauseTriageWhileWaitingOnReporter && p.sla.triage) push('- While we wait for an answer from you, the triage clock is paused.');
    push('');
    const cal = calendarNote(p);
    if (cal) push(cal, '');
  }

  push('## Releases and announcements', '', ...releaseSection(p), '');

  push('## Disclosure policy', '');
  if (p.disclosure.followsProcessOf) push(`We follow the coordinated disclosure process of the [${p.disclosure.followsProcessOf.name}](${p.disclosure.followsProcessOf.url}).`, '');
  if (p.disclosure.privateUntilFixed) push('- Issues remain private until a fix is available.', '- Public announcements occur only after secure versions are released.');
  push(`- We aim to disclose within ${p.disclosure.maxEmbargoDays} days of receiving a report.`);
  const publish = { 'next-security-window': 'in the next security release window after the fixed image is available', 'with-release': 'as part of the release that contains the fix', immediately: 'as soon as a fixed image is available' }[p.disclosure.publish];
  push(`- Advisories are published ${publish}.`, ...p.disclosure.statements.map((s) => `- ${s}`), '');

  push('## Credit', '');
  push(p.credit.offered ? 'If you wish, we credit you as the reporter in the advisory — under the name you choose, or not at all.' : 'We do not publish reporter credits.', '');

  const m = p.team.membership;
  if (m.requirements.length || m.joinUrl) {
    push('## Team membership', '', ...m.requirements.map((r) => `- ${r}`));
    if (m.joinUrl) push(`- How to join: ${m.joinUrl}`);
    push('');
  }
  push('---', '', '*This policy is generated by cvdesk from the project\'s policy file.*', '');
  return L.join('\n');
}

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', de: 'German', fr: 'French', es: 'Spanish', nl: 'Dutch', it: 'Italian', pt: 'Portuguese', pl: 'Polish', cs: 'Czech', ja: 'Japanese', zh: 'Chinese' };
const languageName = (tag: string): string => LANGUAGE_NAMES[tag.toLowerCase().split('-')[0] ?? ''] ?? tag;
