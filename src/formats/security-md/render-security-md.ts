import type { Policy } from '../../domain/policy/schema.js';
import type { Contact } from '../../domain/policy/schema-contacts.js';
import { NEXT_WINDOW, STAGES, type Severity, type SlaStage, type Stage } from '../../domain/policy/schema-sla.js';
import { wordsDe } from './words-de.js';
import { wordsEn } from './words-en.js';
import type { SecurityMdLanguage, SecurityMdWords } from './words.js';

export { SECURITY_MD_LANGUAGES, type SecurityMdLanguage } from './words.js';

export interface SecurityMdOptions {
  /** Where the desk runs; gives the web form and tracking pages an address. */
  baseUrl?: string;
  /** English unless said otherwise; the policy's own free text (scope areas, guidelines…) is shown as written. */
  lang?: SecurityMdLanguage;
}

const WORDS: Record<SecurityMdLanguage, SecurityMdWords> = { en: wordsEn, de: wordsDe };
const wordsFor = (o: SecurityMdOptions): SecurityMdWords => WORDS[o.lang ?? 'en'];
/** The sentences of SECURITY.md, for pages that say the same things (the home page's scope and contacts). */
export const securityMdWords = (lang: SecurityMdLanguage = 'en'): SecurityMdWords => WORDS[lang];

function contactLine(c: Contact, p: Policy, o: SecurityMdOptions, w: SecurityMdWords): string | null {
  switch (c.type) {
    case 'email':
      return c.encryption ? w.emailEncrypted(c.address, c.encryption.keyUrl, c.encryption.fingerprint) : w.email(c.address);
    case 'web-form': {
      const url = c.url ?? (o.baseUrl ? `${o.baseUrl.replace(/\/$/, '')}/report` : null);
      return url ? w.webForm(url, p.reporting.allowAnonymous) : null;
    }
    case 'github-advisory':
      return w.githubAdvisory(c.url);
    case 'gitlab-confidential-issue': {
      const q = `issue[confidential]=on${c.template ? `&issuable_template=${encodeURIComponent(c.template)}` : ''}`;
      return w.gitlabIssue(`${c.url}${c.url.includes('?') ? '&' : '?'}${q}`, c.template);
    }
  }
}

/** The ways to report, one markdown line each (links in markdown), as SECURITY.md and the home page list them. */
export function contactLines(p: Policy, o: SecurityMdOptions = {}): string[] {
  const w = wordsFor(o);
  return p.contacts.map((c) => contactLine(c, p, o, w)).filter((l): l is string => l !== null);
}

function stageSentence(stage: Stage, s: SlaStage, p: Policy, w: SecurityMdWords): string {
  const when = s.target === NEXT_WINDOW ? w.nextWindow(s.from) : w.within(s.target, s.from);
  const bySeverity = w.bySeverity(Object.entries(s.bySeverity) as Array<[Severity, NonNullable<SlaStage['bySeverity'][Severity]>]>);
  return w.stage(stage, { when: `${when}${bySeverity}`, bestEffort: p.sla.commitment === 'best-effort', automatic: s.automatic });
}

/** The policy's clocks as promises ("We will acknowledge your report within 24 hours…"), then the pause rule. */
export function promiseLines(p: Policy, o: SecurityMdOptions = {}): string[] {
  const w = wordsFor(o);
  const out = STAGES.flatMap((st) => {
    const s = p.sla[st];
    return s ? [stageSentence(st, s, p, w)] : [];
  });
  if (p.sla.pauseTriageWhileWaitingOnReporter && p.sla.triage) out.push(w.triagePaused);
  return out;
}

/** What a "business day" is, when any clock counts them; null otherwise. */
export function businessDayNote(p: Policy, o: SecurityMdOptions = {}): string | null {
  const usesBusinessDays = STAGES.some((st) => {
    const s = p.sla[st];
    return s && ((s.target !== NEXT_WINDOW && s.target.unit === 'business_days') || Object.values(s.bySeverity).some((d) => d.unit === 'business_days'));
  });
  return usesBusinessDays ? wordsFor(o).businessDays(p.calendar.workdays, p.calendar.timeZone, p.calendar.holidayRegion) : null;
}

function supportSection(p: Policy, w: SecurityMdWords): string[] {
  const s = p.support;
  const out: string[] = [];
  out.push(s.supportedMajors === 'all' ? w.allMajors : w.majors(s.supportedMajors.map(String)));
  if (s.latestMinorOnly) out.push(w.latestMinorOnly);
  if (!s.prereleases) out.push(w.noPrereleases);
  if (s.buildTags === 'newest') out.push(w.buildTagsNewest(p.tags.buildPatterns));
  else if (s.buildTags === 'all') out.push(w.buildTagsAll(p.tags.buildPatterns));
  if (s.rebuildExistingTags === 'severe-only') out.push(w.rebuildSevereOnly);
  if (s.rebuildExistingTags === 'never') out.push(w.rebuildNever);
  if (p.tags.rollingAliases.length) out.push(w.rolling(p.tags.rollingAliases));
  return out.map((l) => `- ${l}`);
}

function releaseSection(p: Policy, w: SecurityMdWords): string[] {
  const r = p.releases;
  const out: string[] = [];
  if (r.rebuild) out.push(w.rebuilt(r.rebuild.cron, r.rebuild.timeZone, r.rebuild.description), '');
  if (r.securityWindows.length) out.push(w.windows(r.securityWindows, p.calendar.timeZone), '');
  if (r.outOfCycle) out.push(w.outOfCycle(r.outOfCycle.severities, r.outOfCycle.coordinateWith, r.outOfCycle.description), '');
  const a = r.announcements;
  out.push(`- ${w.announced(a.timing)}`);
  if (a.includes.length) out.push(`- ${w.announcementsInclude(a.includes)}`);
  if (a.encourageUpdate) out.push(`- ${w.encourageUpdate}`);
  return out;
}

/** SECURITY.md in plain English or German, stating every commitment of the policy. */
export function renderSecurityMd(p: Policy, o: SecurityMdOptions = {}): string {
  const w = wordsFor(o);
  const L: string[] = [];
  const push = (...lines: string[]) => L.push(...lines);
  const bullets = (items: readonly string[]) => items.map((i) => `- ${i}`);
  push(`# ${w.title(p.project.name)}`, '');
  if (p.project.description) push(p.project.description, '');
  if (p.project.goals.length) push(`## ${w.goals}`, '', ...bullets(p.project.goals), '');

  push(`## ${w.scope}`, '', w.handles(p.team.name), '', ...bullets(p.scope.inScope), '');
  if (p.scope.outOfScope.length) push(w.doesNotHandle, '', ...bullets(p.scope.outOfScope.map((x) => w.outOfScope(x.area, x.upstream))), '');
  if (p.project.images.length) push(w.imagesCovered, '', ...bullets(p.project.images.map((i) => w.image(i.name, i.source))), '');

  push(`## ${w.supportedVersions}`, '', ...supportSection(p, w), '');

  push(`## ${w.reporting}`, '', w.reportIntro, '', ...bullets(contactLines(p, o)), '');
  if (p.reporting.guidelines.length) push(w.whenYouReport, '', ...p.reporting.guidelines.map((g, i) => `${i + 1}. ${g}`), '');
  if (p.openpgp) push(w.openpgpKey(p.openpgp.keyUrl, p.openpgp.fingerprint), '');
  push(w.readLanguages(p.languages), '');

  const promises = promiseLines(p, o);
  if (promises.length) {
    push(`## ${w.afterReport}`, '', ...bullets(promises), '');
    const cal = businessDayNote(p, o);
    if (cal) push(cal, '');
  }

  push(`## ${w.releases}`, '', ...releaseSection(p, w), '');

  push(`## ${w.disclosure}`, '');
  const d = p.disclosure;
  if (d.followsProcessOf) push(w.followsProcess(d.followsProcessOf.name, d.followsProcessOf.url), '');
  if (d.privateUntilFixed) push(...bullets(w.privateUntilFixed));
  push(`- ${w.maxEmbargo(d.maxEmbargoDays)}`, `- ${w.publish(d.publish)}`, ...bullets(d.statements), '');

  push(`## ${w.credit}`, '', p.credit.offered ? w.creditOffered : w.creditNotOffered, '');

  const m = p.team.membership;
  if (m.requirements.length || m.joinUrl) {
    push(`## ${w.membership}`, '', ...bullets(m.requirements));
    if (m.joinUrl) push(`- ${w.joinAt(m.joinUrl)}`);
    push('');
  }
  push('---', '', w.generated, '');
  return L.join('\n');
}
