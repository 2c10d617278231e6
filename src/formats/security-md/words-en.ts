import type { PolicyDuration } from '../../domain/policy/duration.js';
import { formatDuration } from '../../domain/policy/duration.js';
import type { Anchor, Stage } from '../../domain/policy/schema-sla.js';
import { code, groupHex, isUtc, list, regionName, simpleCron, weekdayList, type SecurityMdWords } from './words.js';

const and = (items: readonly string[]) => list(items, 'and');
const ISO_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** cron numbers its weekdays from Sunday = 0 (and 7). */
const CRON_DAYS = ['Sunday', ...ISO_DAYS];
const ORDINAL: Record<number, string> = { 1: '1st', 2: '2nd', 3: '3rd', 4: '4th', 5: '5th', [-1]: 'last' };
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const STAGE_VERB: Record<Stage, string> = {
  acknowledge: 'acknowledge your report',
  triage: 'triage it (confirm whether it is valid and how severe it is)',
  fix: 'develop and test a fix',
  patch: 'ship the fix in a new image build',
};
const OF_ANCHOR: Record<Anchor, string> = { received: 'of receiving it', acknowledged: 'of acknowledging it', triaged: 'of confirming it', fixed: 'of the fix being ready' };
const AFTER_ANCHOR: Record<Anchor, string> = { received: 'we receive it', acknowledged: 'we acknowledge it', triaged: 'we confirm it', fixed: 'the fix is ready' };
const INCLUDES = { severity: 'severity', 'affected-builds': 'affected builds', remediation: 'remediation steps', credits: 'credits', workarounds: 'workarounds' };
const LANGUAGE_NAMES: Record<string, string> = { en: 'English', de: 'German', fr: 'French', es: 'Spanish', nl: 'Dutch', it: 'Italian', pt: 'Portuguese', pl: 'Polish', cs: 'Czech', ja: 'Japanese', zh: 'Chinese' };

const duration = (d: PolicyDuration): string => formatDuration(d);

function cronInWords(cron: string, timeZone: string): string {
  const tz = isUtc(timeZone) ? 'UTC' : `(${timeZone} time)`;
  const c = simpleCron(cron);
  switch (c.kind) {
    case 'daily':
      return `every day at ${c.at} ${tz}`;
    case 'weekly':
      return `every ${and(c.days.map((d) => CRON_DAYS[d] ?? String(d)))} at ${c.at} ${tz}`;
    case 'monthly':
      return `on day ${c.dayOfMonth} of each month at ${c.at} ${tz}`;
    case 'other':
      return `on the schedule ${code(cron)} ${tz}`;
  }
}

export const wordsEn: SecurityMdWords = {
  title: (project) => `${project} security policy`,
  goals: 'Goals',
  scope: 'Scope',
  handles: (team) => `The ${team} handles security issues in:`,
  doesNotHandle: 'It does not directly handle:',
  outOfScope: (area, up) => `${area}${up ? ` (handled by the ${up.name}: report at ${up.contact.replace(/^mailto:/, '')})` : ''}`,
  imagesCovered: 'Images covered:',
  image: (name, source) => `${code(name)}${source ? ` (source: ${source})` : ''}`,

  supportedVersions: 'Supported versions',
  allMajors: 'Every major version receives security updates.',
  majors: (majors) => `Supported major versions: ${and(majors)}. Images for unsupported versions do not receive security updates.`,
  latestMinorOnly: 'Security updates are provided for the most recent minor version of each supported major version.',
  noPrereleases: 'Development, alpha, beta and release candidate images do not receive security advisories.',
  buildTagsNewest: (patterns) =>
    `The latest patches are published first under build tags (${patterns.map(code).join(', ')}), so the newest build tag carries the latest security updates.`,
  buildTagsAll: (patterns) => `Build tags (${patterns.map(code).join(', ')}) receive security advisories.`,
  rebuildSevereOnly: 'Existing version tags are normally not rebuilt: update to a newer tag manually. They are rebuilt only for severe vulnerabilities.',
  rebuildNever: 'Existing version tags are never rebuilt: update to a newer tag to receive fixes.',
  rolling: (tags) => `Rolling tags (${tags.map(code).join(', ')}) always point to the newest supported build.`,

  reporting: 'Reporting a vulnerability',
  reportIntro: 'Please report vulnerabilities confidentially. You can:',
  email: (a) => `Send an e-mail to [${a}](mailto:${a}).`,
  emailEncrypted: (a, keyUrl, fp) => `Send an OpenPGP-encrypted e-mail to [${a}](mailto:${a}) using our key at ${keyUrl} (fingerprint ${code(groupHex(fp))}).`,
  webForm: (url, anonymous) => `Use our confidential report form at ${url} — no account needed${anonymous ? ', and you may stay anonymous' : ''}.`,
  githubAdvisory: (url) => `Submit a private disclosure via GitHub's Security Advisory feature at ${url}.`,
  gitlabIssue: (url, template) => `Create a [confidential issue](${url})${template ? ` with the ${code(template)} template` : ''}.`,
  whenYouReport: 'When you report:',
  openpgpKey: (keyUrl, fp) => `Our OpenPGP key: ${keyUrl} (fingerprint ${code(groupHex(fp))}).`,
  readLanguages: (tags) => `We read reports in ${and(tags.map((t) => LANGUAGE_NAMES[t.toLowerCase().split('-')[0] ?? ''] ?? t))}.`,

  afterReport: 'What happens after you report',
  within: (d, from) => `within ${duration(d)} ${OF_ANCHOR[from]}`,
  nextWindow: (from) => `in the next security release window after ${AFTER_ANCHOR[from]}`,
  bySeverity: (entries) => (entries.length ? ` (${and(entries.map(([sev, d]) => `${duration(d)} for ${sev} severity`))})` : ''),
  stage: (stage, { when, bestEffort, automatic }) =>
    `We ${bestEffort ? 'endeavour to' : 'will'} ${STAGE_VERB[stage]} ${when}${
      stage === 'acknowledge' && automatic ? ' (an automatic confirmation with your tracking link counts as the acknowledgement)' : ''
    }.`,
  triagePaused: 'While we wait for an answer from you, the triage clock is paused.',
  businessDays: (workdays, timeZone, region) =>
    `Business days are ${weekdayList(workdays, ISO_DAYS, 'to', 'and')} in the ${timeZone} time zone${region ? `, excluding public holidays in ${regionName(region, 'en')}` : ''}. ` +
    'A report that arrives on a non-business day counts from the start of the next business day.',

  releases: 'Releases and announcements',
  rebuilt: (cron, tz, description) => `Our images are automatically rebuilt ${cronInWords(cron, tz)}.${description ? ` ${description}` : ''}`,
  windows: (windows, tz) =>
    `Security fixes are integrated into new image builds on ${and(
      windows.map((w) => `the ${and(w.nth.map((n) => ORDINAL[n] ?? `${n}th`))} ${capitalize(w.weekday)}${w.time ? ` at ${w.time}` : ''}`),
    )} of each month (${tz}), if applicable.`,
  outOfCycle: (severities, coordinateWith, description) =>
    `Where an urgent fix is required (${and(severities)} severity), an out-of-cycle release is made${coordinateWith ? ` in collaboration with the ${coordinateWith}` : ''}.${
      description ? ` ${description}` : ''
    }`,
  announced: (timing) => (timing === 'with-release' ? 'Security fixes are announced alongside the new image builds.' : 'Security fixes are announced when the advisory is published.'),
  announcementsInclude: (items) => `Announcements include the ${and(items.map((i) => INCLUDES[i]))}.`,
  encourageUpdate: 'Users are encouraged to update to the latest secure image.',

  disclosure: 'Disclosure policy',
  followsProcess: (name, url) => `We follow the coordinated disclosure process of the [${name}](${url}).`,
  privateUntilFixed: ['Issues remain private until a fix is available.', 'Public announcements occur only after secure versions are released.'],
  maxEmbargo: (days) => `We aim to disclose within ${days} day${days === 1 ? '' : 's'} of receiving a report.`,
  publish: (rule) =>
    `Advisories are published ${
      {
        'next-security-window': 'in the next security release window after the fixed image is available',
        'with-release': 'as part of the release that contains the fix',
        immediately: 'as soon as a fixed image is available',
      }[rule]
    }.`,

  credit: 'Credit',
  creditOffered: 'If you wish, we credit you as the reporter in the advisory — under the name you choose, or not at all.',
  creditNotOffered: 'We do not publish reporter credits.',
  membership: 'Team membership',
  joinAt: (url) => `How to join: ${url}`,
  generated: "*This policy is generated by cvdesk from the project's policy file.*",
};
