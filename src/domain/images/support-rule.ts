/**
 * Which tags receive security advisories under the policy's support rule, each with a one-sentence
 * reason an operator can read, and which tag to move to.
 */
import { classifyTag } from './classify-tag.js';
import { resolveRollingInfos } from './rolling.js';
import { compareTagInfos, newestOf } from './sort-tags.js';
import type { RollingTarget, SupportRule, TagInfo, TagScheme, TagStatus } from './tag-types.js';
import { compareVersions, majorOf, minorLineOf } from './version-order.js';

interface Context {
  rule: SupportRule;
  /** Newest release minor ('5.2') per major ('5'), from releases only, variants ignored. */
  newestMinor: Map<string, string>;
  newestBuiltAt: string | null;
}

function contextOf(infos: TagInfo[], rule: SupportRule): Context {
  const newestRelease = new Map<string, string>();
  let newestBuiltAt: string | null = null;
  for (const i of infos) {
    if (i.kind === 'build' && i.builtAt && (newestBuiltAt === null || i.builtAt > newestBuiltAt)) newestBuiltAt = i.builtAt;
    if (i.kind !== 'release' || i.version === undefined) continue;
    const major = majorOf(i.version);
    if (major === null) continue;
    const seen = newestRelease.get(major);
    if (seen === undefined || compareVersions(i.version, seen) > 0) newestRelease.set(major, i.version);
  }
  const newestMinor = new Map<string, string>();
  for (const [major, version] of newestRelease) newestMinor.set(major, minorLineOf(version) ?? version);
  return { rule, newestMinor, newestBuiltAt };
}

const status = (info: TagInfo, receivesAdvisories: boolean, reason: string): TagStatus => ({ ...info, receivesAdvisories, reason });

function majorSupported(rule: SupportRule, major: string): boolean {
  return rule.supportedMajors === 'all' || rule.supportedMajors.some((m) => String(m) === major);
}

function unsupportedMajorReason(rule: SupportRule, major: string): string {
  const list = rule.supportedMajors === 'all' ? [] : rule.supportedMajors;
  return list.length === 0
    ? `Major ${major} is not supported (the policy supports no major).`
    : `Major ${major} is not supported (supported majors: ${list.join(', ')}).`;
}

function releaseStatus(ctx: Context, info: TagInfo): TagStatus {
  const version = info.version ?? '';
  const major = majorOf(version) ?? '?';
  if (!majorSupported(ctx.rule, major)) return status(info, false, unsupportedMajorReason(ctx.rule, major));
  if (!ctx.rule.latestMinorOnly) return status(info, true, `Major ${major} is supported.`);
  const minor = minorLineOf(version) ?? version;
  const newest = ctx.newestMinor.get(major);
  if (newest !== undefined && newest !== minor) {
    return status(info, false, `${minor} is not the newest minor of major ${major} (${newest} is).`);
  }
  return status(info, true, `${minor} is the newest minor of supported major ${major}.`);
}

function prereleaseStatus(ctx: Context, info: TagInfo): TagStatus {
  if (!ctx.rule.prereleases) return status(info, false, `${info.version} is a pre-release, and pre-releases do not receive advisories.`);
  const major = majorOf(info.version ?? '') ?? '?';
  if (!majorSupported(ctx.rule, major)) return status(info, false, unsupportedMajorReason(ctx.rule, major));
  return status(info, true, `${info.version} is a pre-release of supported major ${major}, and the policy includes pre-releases.`);
}

function buildStatus(ctx: Context, info: TagInfo): TagStatus {
  switch (ctx.rule.buildTags) {
    case 'all':
      return status(info, true, 'Every build tag receives fixes under this policy.');
    case 'none':
      return status(info, false, 'Build tags do not receive fixes under this policy.');
    case 'newest':
      return info.builtAt === ctx.newestBuiltAt
        ? status(info, true, `${info.tag} is the newest build (built ${info.builtAt}).`)
        : status(info, false, `${info.tag} is not the newest build (the newest was built ${ctx.newestBuiltAt}).`);
  }
}

const unquote = (reason: string): string => reason.replace(/\.$/, '');

function rollingStatus(ctx: Context, info: TagInfo, target: TagInfo | undefined): TagStatus {
  const variant = info.variant ? ` with variant ${info.variant}` : '';
  if (!target) {
    const what = info.version === undefined ? `No release${variant}` : `No release of ${info.version}${variant}`;
    return status(info, false, `${what} is in the tag list, so ${info.tag} points to nothing that is supported.`);
  }
  const inner = target.kind === 'release' ? releaseStatus(ctx, target) : prereleaseStatus(ctx, target);
  return inner.receivesAdvisories
    ? status(info, true, `${info.tag} points to ${target.tag}, which receives advisories.`)
    : status(info, false, `${info.tag} points to ${target.tag}, which does not receive advisories: ${unquote(inner.reason)}.`);
}

/** The support status of every tag, and where each rolling tag points (what the statuses were judged by). */
export interface SupportAnalysis {
  /** In the order of the tags given. */
  statuses: TagStatus[];
  /** One for each rolling tag. */
  rolling: RollingTarget[];
}

/**
 * The support status of every tag, in the order given. Rolling tags inherit the status of the
 * release they point to (by digest when `digestByTag` is given, else by the naming rule).
 */
export function analyzeSupport(tags: readonly string[], scheme: TagScheme, rule: SupportRule, digestByTag?: Record<string, string>): SupportAnalysis {
  const infos = tags.map((t) => classifyTag(t, scheme));
  const byTag = new Map(infos.map((i) => [i.tag, i]));
  const rolling = resolveRollingInfos(infos, digestByTag);
  const targets = new Map(rolling.map((r) => [r.tag, r.target]));
  const ctx = contextOf(infos, rule);
  const statuses = infos.map((info) => {
    switch (info.kind) {
      case 'release':
        return releaseStatus(ctx, info);
      case 'prerelease':
        return prereleaseStatus(ctx, info);
      case 'build':
        return buildStatus(ctx, info);
      case 'rolling': {
        const target = targets.get(info.tag);
        return rollingStatus(ctx, info, target ? byTag.get(target) : undefined);
      }
      case 'unknown':
        return status(info, false, `${info.tag} does not follow the project's tag scheme, so no support promise covers it.`);
    }
  });
  return { statuses, rolling };
}

/** analyzeSupport's statuses alone. */
export function applySupportRule(tags: string[], scheme: TagScheme, rule: SupportRule, digestByTag?: Record<string, string>): TagStatus[] {
  return analyzeSupport(tags, scheme, rule, digestByTag).statuses;
}

/**
 * The tag an operator on `tag` should move to: the newest supported release of the same variant,
 * preferring the tag's own major so that moving never forces a major upgrade while the current
 * major is still supported. Build tags move to the newest build (unless build tags get no fixes).
 * Null when there is nothing supported to move to.
 */
export function moveTo(tag: string, allTags: string[], scheme: TagScheme, rule: SupportRule): string | null {
  const info = classifyTag(tag, scheme);
  if (info.kind === 'unknown') return null;
  const tags = allTags.includes(tag) ? allTags : [...allTags, tag];
  return moveToAmong(info, applySupportRule(tags, scheme, rule), rule);
}

/**
 * moveTo, given the support statuses of the tag list that holds the tag (as applySupportRule made
 * them, with or without digests: releases and builds do not depend on them).
 */
export function moveToAmong(info: TagInfo, statuses: readonly TagStatus[], rule: SupportRule): string | null {
  if (info.kind === 'unknown') return null;
  if (info.kind === 'build') {
    if (rule.buildTags === 'none') return null;
    return statuses.filter((s) => s.kind === 'build').sort(compareTagInfos)[0]?.tag ?? null;
  }
  const candidates = statuses.filter((s) => s.kind === 'release' && s.receivesAdvisories && (s.variant ?? '') === (info.variant ?? ''));
  const major = info.version === undefined ? null : majorOf(info.version);
  const sameMajor = candidates.filter((s) => major !== null && majorOf(s.version ?? '') === major);
  return (newestOf(sameMajor) ?? newestOf(candidates))?.tag ?? null;
}
