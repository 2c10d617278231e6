import type { PolicyDuration } from '../../domain/policy/duration.js';
import type { WindowRule } from '../../domain/policy/schema-releases.js';
import type { Anchor, Severity, Stage } from '../../domain/policy/schema-sla.js';

/** The languages SECURITY.md is written in. The renderer owns the structure; each language owns its sentences. */
export const SECURITY_MD_LANGUAGES = ['en', 'de'] as const;
export type SecurityMdLanguage = (typeof SECURITY_MD_LANGUAGES)[number];

export interface StageParts {
  /** "within 24 hours of receiving it (…)" in the language at hand. */
  when: string;
  bestEffort: boolean;
  /** acknowledge only: the automatic receipt counts as the acknowledgement. */
  automatic: boolean;
}

export type AnnouncementItem = 'severity' | 'affected-builds' | 'remediation' | 'credits' | 'workarounds';
export type PublishRule = 'next-security-window' | 'with-release' | 'immediately';

/**
 * Every sentence SECURITY.md may say, as functions of the policy's values. Sentences are whole
 * (not glued from fragments by the renderer) because word order differs between languages.
 */
export interface SecurityMdWords {
  title(project: string): string;
  goals: string;
  scope: string;
  handles(team: string): string;
  doesNotHandle: string;
  outOfScope(area: string, upstream?: { name: string; contact: string }): string;
  imagesCovered: string;
  image(name: string, source?: string): string;

  supportedVersions: string;
  allMajors: string;
  majors(majors: string[]): string;
  latestMinorOnly: string;
  noPrereleases: string;
  buildTagsNewest(patterns: string[]): string;
  buildTagsAll(patterns: string[]): string;
  rebuildSevereOnly: string;
  rebuildNever: string;
  rolling(tags: string[]): string;

  reporting: string;
  reportIntro: string;
  email(address: string): string;
  emailEncrypted(address: string, keyUrl: string, fingerprint: string): string;
  webForm(url: string, anonymous: boolean): string;
  githubAdvisory(url: string): string;
  gitlabIssue(url: string, template?: string): string;
  whenYouReport: string;
  openpgpKey(keyUrl: string, fingerprint: string): string;
  readLanguages(tags: string[]): string;

  afterReport: string;
  within(d: PolicyDuration, from: Anchor): string;
  nextWindow(from: Anchor): string;
  bySeverity(entries: Array<[Severity, PolicyDuration]>): string;
  stage(stage: Stage, parts: StageParts): string;
  triagePaused: string;
  businessDays(workdays: number[], timeZone: string, holidayRegion?: string): string;

  releases: string;
  rebuilt(cron: string, timeZone: string, description?: string): string;
  windows(windows: WindowRule[], timeZone: string): string;
  outOfCycle(severities: Severity[], coordinateWith?: string, description?: string): string;
  announced(timing: 'with-release' | 'on-publish'): string;
  announcementsInclude(items: AnnouncementItem[]): string;
  encourageUpdate: string;

  disclosure: string;
  followsProcess(name: string, url: string): string;
  privateUntilFixed: string[];
  maxEmbargo(days: number): string;
  publish(rule: PublishRule): string;

  credit: string;
  creditOffered: string;
  creditNotOffered: string;
  membership: string;
  joinAt(url: string): string;
  generated: string;
}

/** "a, b and c" (no serial comma, in either language). */
export function list(items: readonly string[], conj: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conj} ${items[items.length - 1]}`;
}

export const groupHex = (fp: string): string => fp.replace(/(.{4})/g, '$1 ').trim();

export const code = (s: string): string => `\`${s}\``;

/** ISO weekdays (1 = Monday) as names: a run of three or more is "Monday to Friday", otherwise a list. */
export function weekdayList(days: readonly number[], names: readonly string[], to: string, and: string): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const first = sorted[0] ?? 1;
  const last = sorted[sorted.length - 1] ?? 1;
  const name = (d: number) => names[d - 1] ?? String(d);
  if (sorted.length >= 3 && last - first === sorted.length - 1) return `${name(first)} ${to} ${name(last)}`;
  return list(sorted.map(name), and);
}

/** The cron shapes a policy commonly uses, taken apart so each language can say them; "other" is quoted as it is. */
export type SimpleCron =
  | { kind: 'daily'; at: string }
  | { kind: 'weekly'; at: string; days: number[] }
  | { kind: 'monthly'; at: string; dayOfMonth: number }
  | { kind: 'other' };

export function simpleCron(cron: string): SimpleCron {
  const f = cron.trim().split(/\s+/);
  const [min, hour, dom, month, dow] = f;
  if (f.length !== 5 || !/^\d+$/.test(min ?? '') || !/^\d+$/.test(hour ?? '') || month !== '*') return { kind: 'other' };
  const at = `${(hour ?? '').padStart(2, '0')}:${(min ?? '').padStart(2, '0')}`;
  if (dom === '*' && dow === '*') return { kind: 'daily', at };
  // cron weekdays: 0 and 7 are Sunday
  if (dom === '*' && /^[0-7](,[0-7])*$/.test(dow ?? '')) return { kind: 'weekly', at, days: (dow ?? '').split(',').map(Number) };
  if (/^\d+$/.test(dom ?? '') && dow === '*') return { kind: 'monthly', at, dayOfMonth: Number(dom) };
  return { kind: 'other' };
}

export const isUtc = (timeZone: string): boolean => timeZone === 'UTC' || timeZone === 'Etc/UTC';

/** A date-holidays region ("DE", "DE-BE") by name: "Germany", "Deutschland (DE-BE)"; the code itself when unknown. */
export function regionName(region: string, lang: SecurityMdLanguage): string {
  const country = (region.split('-')[0] ?? region).toUpperCase();
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([lang], { type: 'region' }).of(country);
  } catch {
    name = undefined;
  }
  if (!name || name === country) return region;
  return region.includes('-') ? `${name} (${region})` : name;
}
