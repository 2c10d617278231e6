/**
 * "Is my tag supported, what affects it, and where do I move?" for one tag, from the repository's
 * tag list (with digests where known), the policy's tag scheme and support rule, and the advisories
 * that affect the tag. The registry, the inventory and the advisory store are read elsewhere.
 */
import { classifyTag } from './classify-tag.js';
import { resolveRolling, tracks } from './rolling.js';
import { compareTagInfos } from './sort-tags.js';
import { applySupportRule, moveToAmong } from './support-rule.js';
import type { SupportRule, TagInfo, TagKind, TagScheme } from './tag-types.js';
import { compareVersions } from './version-order.js';

/** An advisory that affects a tag, as the tag status shows it. */
export interface TagAdvisory {
  id: string;
  title: string;
  severity: 'low' | 'medium' | 'high' | 'critical' | null;
  /** Where the advisory is published, when it is. */
  url: string | null;
}

export interface TagReportInput {
  /** Every tag of the repository. */
  tags: readonly string[];
  /** Digests by tag, for those known; rolling tags are resolved by identical digest where they can be. */
  digestByTag?: Readonly<Record<string, string>>;
  scheme: TagScheme;
  rule: SupportRule;
  tag: string;
  advisories: readonly TagAdvisory[];
}

export interface TagReport {
  tag: string;
  kind: TagKind;
  digest: string | null;
  receivesAdvisories: boolean;
  advisories: TagAdvisory[];
  /** The newest supported release of the same variant (same major first); null when there is none. */
  moveTo: string | null;
  /** One plain English sentence saying why the tag does or does not receive advisories. */
  reason: string;
  /** Rolling tags only: the release it points to (null when none is known). */
  pointsTo?: string | null;
  /** Rolling tags only: how pointsTo was found: the same digest, or the naming rule. */
  pointsToBy?: 'digest' | 'rule';
  version?: string;
  variant?: string;
}

/** The report for `tag` (which may be missing from `tags`: it is judged as if it were listed). */
export function tagReport(input: TagReportInput): TagReport {
  const { scheme, rule, tag } = input;
  const tags = input.tags.includes(tag) ? [...input.tags] : [...input.tags, tag];
  const digests = input.digestByTag ? { ...input.digestByTag } : undefined;
  const statuses = applySupportRule(tags, scheme, rule, digests);
  const status = statuses.find((s) => s.tag === tag) ?? { ...classifyTag(tag, scheme), receivesAdvisories: false, reason: '' };
  const digest = digests && Object.hasOwn(digests, tag) ? (digests[tag] ?? null) : null;
  const report: TagReport = {
    tag,
    kind: status.kind,
    digest,
    receivesAdvisories: status.receivesAdvisories,
    advisories: [...input.advisories],
    moveTo: moveToAmong(classifyTag(tag, scheme), statuses, rule),
    reason: status.reason,
  };
  if (status.kind === 'rolling') {
    const target = resolveRolling(tags, scheme, digests).find((r) => r.tag === tag);
    report.pointsTo = target?.target ?? null;
    if (target && target.via !== 'none') report.pointsToBy = target.via;
  }
  if (status.version !== undefined) report.version = status.version;
  if (status.variant !== undefined) report.variant = status.variant;
  return report;
}

const sameVariant = (a: TagInfo, b: TagInfo) => (a.variant ?? '') === (b.variant ?? '');

/**
 * The tags a rolling tag may share its digest with, most likely first: releases (and pre-releases
 * of a pre-release line) on its line with its variant, newest first — the naming rule's pick
 * leads — then those on its line with another variant. Asking the registry for their digests in
 * this order and stopping at the first match finds the target in one request in the usual case.
 * Empty for a tag that is not rolling.
 */
export function rollingCandidates(tag: string, tags: readonly string[], scheme: TagScheme): string[] {
  const rolling = classifyTag(tag, scheme);
  if (rolling.kind !== 'rolling') return [];
  const infos = tags.map((t) => classifyTag(t, scheme)).filter((i) => (i.kind === 'release' || i.kind === 'prerelease') && tracks(rolling, i));
  // the order newestByVersion picks by, which the naming rule uses
  const ordered = (list: TagInfo[]) => list.sort((a, b) => compareVersions(b.version ?? '', a.version ?? '') || compareTagInfos(a, b));
  return [...ordered(infos.filter((i) => sameVariant(i, rolling))), ...ordered(infos.filter((i) => !sameVariant(i, rolling)))].map((i) => i.tag);
}
