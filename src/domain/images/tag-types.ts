/** Shapes of the tag model. The policy schema produces TagScheme and SupportRule objects. */

export interface TagScheme {
  /** Known variant suffixes ('apache', 'fpm', 'alpine', 'trixie' ...). A suffix may chain several: '8.3-fpm-alpine'. Empty list: any non-prerelease suffix is a variant. */
  variants: string[];
  /** Pre-release markers, case-insensitive, optionally followed by digits or .digits: rc1, RC.2, beta, alpha2, dev, 8.6.0beta1 (attached directly), 8.6-rc (as a suffix segment). */
  prereleaseMarkers: string[]; // policy default: ['alpha','beta','rc','dev','preview','pre','snapshot','nightly']
  /** Names that are always rolling aliases, alone or with a variant ('latest', 'stable', 'apache' alone = latest of variant apache, 'latest-fpm'). */
  rollingAliases: string[]; // default ['latest']
  /** Build-tag patterns with placeholders {branch} ([a-z0-9._]+), {sha} (7–40 lowercase hex), {ts} (unix seconds, 9–11 digits). Default ['main-{sha}-{ts}']. */
  buildPatterns: string[];
}

export interface SupportRule {
  /** Majors that receive security updates; 'all' = every major. */
  supportedMajors: number[] | 'all';
  /** Only the newest minor of each supported major receives advisories (all its patch releases do). */
  latestMinorOnly: boolean;
  /** Pre-releases receive advisories? Reference policies: never (false). */
  prereleases: boolean;
  /** Build tags: only the newest (by timestamp) receives fixes first, all of them, or none. */
  buildTags: 'newest' | 'all' | 'none';
}

export type TagKind = 'release' | 'prerelease' | 'rolling' | 'build' | 'unknown';

export interface TagInfo {
  tag: string;
  kind: TagKind;
  /**
   * release/prerelease: normalised x.y.z[.w][-pre] (no 'v', marker lower-cased: '8.6.0-beta1').
   * rolling: the partial version it tracks, 'x' or 'x.y', with '-marker' when it tracks a
   * pre-release line ('8.6-rc'); absent for aliases such as 'latest' or 'apache'.
   */
  version?: string;
  /** The variant segments joined with '-', e.g. 'fpm-alpine'; absent when the tag has none. */
  variant?: string;
  /** Build tags: the commit from {sha}. */
  commit?: string;
  /** Build tags: the branch from {branch}, when the pattern has one. */
  branch?: string;
  /** Build tags: ISO 8601 UTC from {ts}. */
  builtAt?: string;
}

export interface TagStatus extends TagInfo {
  receivesAdvisories: boolean;
  /** One plain English sentence saying why. */
  reason: string;
}

export interface RollingTarget {
  /** The rolling tag. */
  tag: string;
  /** The release (or, for a pre-release line, pre-release) tag it points to; null when none is known. */
  target: string | null;
  /** How the target was found: identical digest, the naming rule, or not at all. */
  via: 'digest' | 'rule' | 'none';
}
