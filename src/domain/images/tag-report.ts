/**
 * "Is my tag supported, what affects it, and where do I move?" for one tag, from the repository's
 * tag list (with digests where known), the policy's tag scheme and support rule, and the advisories
 * that affect the tag. The registry, the inventory and the advisory store are read elsewhere.
 */
import { classifyTag } from './classify-tag.js';
import { tracks } from './rolling.js';
import { compareTagInfos } from './sort-tags.js';
import { analyzeSupport, moveToAmong } from './support-rule.js';
import type { RollingTarget, SupportRule, TagInfo, TagKind, TagScheme, TagStatus } from './tag-types.js';
import { compareVersions, majorOf } from './version-order.js';

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

/**
 * What the report of any tag needs of the whole repository: the support status of every tag and
 * where each rolling tag points, judged once for a tag list. The desk keeps one per repository while
 * its inventory stays the same (src/app/images/tag-status.ts): a request then judges one tag, not
 * the 50,000 of a large repository.
 */
export class RepositoryTags {
  private readonly statusOf: ReadonlyMap<string, TagStatus>;
  private readonly rollingOf: ReadonlyMap<string, RollingTarget>;
  private readonly digests: ReadonlyMap<string, string>;
  private readonly statuses: readonly TagStatus[];
  /** moveTo depends only on a tag's kind, variant and major: one answer each. */
  private readonly moves = new Map<string, string | null>();

  constructor(
    tags: readonly string[],
    readonly scheme: TagScheme,
    readonly rule: SupportRule,
    digestByTag?: Readonly<Record<string, string>>,
  ) {
    const digests = digestByTag ? { ...digestByTag } : undefined;
    const { statuses, rolling } = analyzeSupport(tags, scheme, rule, digests);
    this.statuses = statuses;
    this.statusOf = new Map(statuses.map((s) => [s.tag, s]));
    this.rollingOf = new Map(rolling.map((r) => [r.tag, r]));
    this.digests = new Map(Object.entries(digests ?? {}));
  }

  get size(): number {
    return this.statusOf.size;
  }

  has(tag: string): boolean {
    return this.statusOf.has(tag);
  }

  /** The tag's digest, when the list came with it. */
  digestOf(tag: string): string | null {
    return this.digests.get(tag) ?? null;
  }

  /** The report for a tag of the list (one that is not listed is a RangeError: tagReport judges those). */
  report(tag: string, advisories: readonly TagAdvisory[]): TagReport {
    const status = this.statusOf.get(tag);
    if (!status) throw new RangeError(`${tag} is not in the tag list`);
    const report: TagReport = {
      tag,
      kind: status.kind,
      digest: this.digestOf(tag),
      receivesAdvisories: status.receivesAdvisories,
      advisories: [...advisories],
      moveTo: this.moveTo(status),
      reason: status.reason,
    };
    if (status.kind === 'rolling') {
      const target = this.rollingOf.get(tag);
      report.pointsTo = target?.target ?? null;
      if (target && target.via !== 'none') report.pointsToBy = target.via;
    }
    if (status.version !== undefined) report.version = status.version;
    if (status.variant !== undefined) report.variant = status.variant;
    return report;
  }

  private moveTo(info: TagInfo): string | null {
    if (info.kind === 'unknown') return null;
    const key = info.kind === 'build' ? 'build' : `${info.variant ?? ''}\u0000${info.version === undefined ? '' : (majorOf(info.version) ?? '')}`;
    if (!this.moves.has(key)) this.moves.set(key, moveToAmong(info, this.statuses, this.rule));
    return this.moves.get(key) ?? null;
  }
}

/** The report for `tag` (which may be missing from `tags`: it is judged as if it were listed). */
export function tagReport(input: TagReportInput): TagReport {
  const tags = input.tags.includes(input.tag) ? input.tags : [...input.tags, input.tag];
  return new RepositoryTags(tags, input.scheme, input.rule, input.digestByTag).report(input.tag, input.advisories);
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
