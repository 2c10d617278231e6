/**
 * From an advisory's statements (version ranges, variants, build windows, named tags, fixed
 * images) to concrete images: tag + digest, each affected, fixed or not affected, with what to do.
 *
 * The rules, in the words an operator would use:
 * - An image is its digest. Every tag that carries an affected (or fixed) digest is affected (or
 *   fixed) too: 5.2.1, 5.2.1-apache, 5.2-apache and latest may be one image.
 * - Only tags that receive advisories under the policy's support rule are named. Support is judged
 *   on the tag list as it stood before the fix: without the tags the fix newly created (a fix in
 *   5.3.0 does not make 5.2.x "not the newest minor" for its own advisory). Tags the statements
 *   select but the rule leaves out are reported as excluded, with the rule's reason.
 * - A fixed image pushed under an existing tag (a rebuild) names the digests it replaces; those
 *   earlier images of the tag are the affected ones, and the remedy is to pull the tag again.
 */
import { applySupportRule, classifyTag, compareVersions, type SupportRule, type TagInfo, type TagScheme } from '../images/index.js';
import { compareTagInfos } from '../images/sort-tags.js';
import type { PathProblem } from './parse-advisory.js';
import type { Advisory, AdvisoryImage, NotAffectedJustification, TagSelector, VersionRange } from './schema.js';

export interface InventoryTag {
  tag: string;
  digest: string;
}

export interface ImageProduct extends TagInfo {
  image: string;
  digest: string;
}

export type Remedy =
  | { kind: 'pull'; tag: string; digest: string }
  | { kind: 'move'; tag: string; digest: string }
  | { kind: 'none' };

export interface AffectedProduct extends ImageProduct {
  remedy: Remedy;
}

export interface NotAffectedProduct extends ImageProduct {
  justification: NotAffectedJustification;
  statement: string;
}

export interface ExcludedTag {
  tag: string;
  digest: string;
  reason: string;
}

export interface ResolvedImage {
  name: string;
  affected: AffectedProduct[];
  fixed: ImageProduct[];
  notAffected: NotAffectedProduct[];
  excluded: ExcludedTag[];
}

export interface ResolvedAdvisory {
  images: ResolvedImage[];
  problems: PathProblem[];
}

/** What the resolver needs of the policy. */
export interface TagPolicy {
  tags: TagScheme;
  support: SupportRule;
  /** The policy's image repositories; when given, an advisory may name only these. */
  images?: readonly string[];
}

const inRange = (version: string, r: VersionRange): boolean =>
  (r.introduced === '0' || compareVersions(version, r.introduced) >= 0) &&
  (r.fixed !== undefined ? compareVersions(version, r.fixed) < 0 : r.lastAffected !== undefined ? compareVersions(version, r.lastAffected) <= 0 : true);

/** Does the selector pick this tag (by its name and current digest)? Rolling tags are picked only by name. */
function selects(sel: TagSelector | undefined, info: TagInfo, digest: string): boolean {
  if (!sel) return false;
  if (sel.tags?.some((t) => t.tag === info.tag && (t.digest === undefined || t.digest === digest))) return true;
  if ((info.kind === 'release' || info.kind === 'prerelease') && info.version !== undefined && (sel.versions || sel.variants)) {
    const versionOk = sel.versions ? sel.versions.some((r) => inRange(info.version ?? '', r)) : true;
    const variantOk = !sel.variants || sel.variants.includes(info.variant ?? '');
    return versionOk && variantOk;
  }
  if (info.kind === 'build' && sel.builds && info.builtAt) {
    return (sel.builds.since === undefined || info.builtAt >= sel.builds.since) && (sel.builds.before === undefined || info.builtAt < sel.builds.before);
  }
  return false;
}

const byDisplayOrder = <T extends ImageProduct | ExcludedTag>(scheme: TagScheme) => (a: T, b: T): number =>
  compareTagInfos(classifyTag(a.tag, scheme), classifyTag(b.tag, scheme)) || (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0);

function resolveImage(image: AdvisoryImage, at: PropertyKey[], inventory: readonly InventoryTag[] | undefined, policy: TagPolicy, problems: PathProblem[]): ResolvedImage {
  const scheme = policy.tags;
  const problem = (path: PropertyKey[], message: string) => problems.push({ path: [...at, ...path], message });
  const current = new Map<string, string>();
  for (const [k, t] of (inventory ?? []).entries()) {
    if (current.has(t.tag) && current.get(t.tag) !== t.digest) problem(['inventory', k], `${t.tag} appears twice in the inventory with different digests`);
    current.set(t.tag, t.digest);
  }
  // Without a full inventory, the fixed and the pinned tags are what is known to exist.
  for (const f of image.fixed) if (!current.has(f.tag)) current.set(f.tag, f.digest);
  for (const t of image.affected?.tags ?? []) if (t.digest && !current.has(t.tag)) current.set(t.tag, t.digest);

  const fixedByTag = new Map(image.fixed.map((f) => [f.tag, f]));
  const fixedDigests = new Set(image.fixed.map((f) => f.digest));
  const replaced = new Set(image.fixed.flatMap((f) => f.replaces ?? []));
  image.fixed.forEach((f, k) => {
    if (replaced.has(f.digest)) problem(['fixed', k, 'digest'], `${f.digest} is both a fixed image and one a rebuild replaces`);
  });

  // Support as it stood before the fix: without the images the fix newly created, and with each
  // rebuilt tag on the image it replaced.
  const newDigests = new Set(image.fixed.filter((f) => !f.replaces).map((f) => f.digest));
  const before = new Map<string, string>();
  for (const [tag, digest] of current) {
    const kind = classifyTag(tag, scheme).kind;
    if (newDigests.has(digest) && (kind === 'release' || kind === 'prerelease' || kind === 'build')) continue;
    const rebuilt = fixedByTag.get(tag)?.replaces?.[0];
    before.set(tag, rebuilt ?? digest);
  }
  const statuses = new Map(applySupportRule([...before.keys()], scheme, policy.support, Object.fromEntries(before)).map((s) => [s.tag, s]));
  const receivingDigests = new Set([...before].filter(([tag]) => statuses.get(tag)?.receivesAdvisories).map(([, d]) => d));
  /** A rolling tag on the same image as a tag that receives advisories is that image, whatever the naming rule says. */
  const support = (tag: string, digest: string): { receivesAdvisories: boolean; reason: string } => {
    const s = statuses.get(tag) ?? { receivesAdvisories: false, reason: `${tag} is new with the fix.`, kind: classifyTag(tag, scheme).kind };
    if (!s.receivesAdvisories && s.kind === 'rolling' && receivingDigests.has(digest)) return { receivesAdvisories: true, reason: `${tag} carries the same image as a tag that receives advisories.` };
    return s;
  };

  const product = (tag: string, digest: string): ImageProduct => ({ ...classifyTag(tag, scheme), image: image.name, digest });
  const fixed: ImageProduct[] = [];
  const affected: ImageProduct[] = [];
  const notAffected: NotAffectedProduct[] = [];
  const excluded: ExcludedTag[] = [];
  const done = new Set<string>();
  const key = (tag: string, digest: string) => `${tag}@${digest}`;

  const addFixed = (tag: string, digest: string) => {
    if (done.has(key(tag, digest))) return;
    fixed.push(product(tag, digest));
    done.add(key(tag, digest));
  };
  for (const f of image.fixed) addFixed(f.tag, f.digest);
  // other names of a fixed image, and later rebuilds of a fixed tag
  for (const [tag, digest] of current) {
    const f = fixedByTag.get(tag);
    if (fixedDigests.has(digest) || (f && !(f.replaces ?? []).includes(digest))) addFixed(tag, digest);
  }
  const classify = (tag: string, digest: string, pinned: boolean) => {
    if (done.has(key(tag, digest))) return;
    const info = classifyTag(tag, scheme);
    const s = support(tag, digest);
    const na = pinned ? undefined : image.notAffected.find((n) => selects(n, info, digest));
    if (na) {
      if (s.receivesAdvisories) notAffected.push({ ...product(tag, digest), justification: na.justification, statement: na.statement });
      done.add(key(tag, digest));
      return;
    }
    if (!pinned && !selects(image.affected, info, digest)) return;
    if (s.receivesAdvisories) affected.push(product(tag, digest));
    else excluded.push({ tag, digest, reason: s.reason });
    done.add(key(tag, digest));
  };
  for (const [tag, digest] of current) classify(tag, digest, false);
  // Earlier images of tags that have moved: pinned by digest, or replaced by a rebuild.
  for (const t of image.affected?.tags ?? []) if (t.digest && t.digest !== current.get(t.tag)) classify(t.tag, t.digest, true);
  for (const f of image.fixed) for (const d of f.replaces ?? []) classify(f.tag, d, true);
  // The same image under other names follows it.
  const affectedDigests = new Set(affected.map((p) => p.digest));
  const naByDigest = new Map(notAffected.map((p) => [p.digest, p]));
  const excludedDigests = new Set(excluded.map((p) => p.digest));
  for (const [tag, digest] of current) {
    if (done.has(key(tag, digest))) continue;
    const s = support(tag, digest);
    const na = naByDigest.get(digest);
    if (affectedDigests.has(digest)) {
      if (s.receivesAdvisories) affected.push(product(tag, digest));
      else excluded.push({ tag, digest, reason: s.reason });
    } else if (na) {
      if (s.receivesAdvisories) notAffected.push({ ...product(tag, digest), justification: na.justification, statement: na.statement });
    } else if (excludedDigests.has(digest)) {
      if (!s.receivesAdvisories) excluded.push({ tag, digest, reason: s.reason });
    } else continue;
    done.add(key(tag, digest));
  }

  image.affected?.tags?.forEach((t, k) => {
    const digest = t.digest ?? current.get(t.tag);
    if (digest === undefined) problem(['affected', 'tags', k], `${t.tag} is not in the inventory; pin its image: ${t.tag}@sha256:…`);
    else if (fixedDigests.has(digest)) problem(['affected', 'tags', k], `${t.tag} is listed as affected, but ${digest} is a fixed image; pin the affected image: ${t.tag}@<its earlier digest>`);
  });

  const order = byDisplayOrder<ImageProduct>(scheme);
  fixed.sort(order);
  const withRemedy = affected.sort(order).map((p): AffectedProduct => ({ ...p, remedy: remedyFor(p, image, fixed) }));
  return { name: image.name, affected: withRemedy, fixed, notAffected: notAffected.sort(order), excluded: excluded.sort(byDisplayOrder<ExcludedTag>(scheme)) };
}

/** Pull the same tag when it was rebuilt; else move to the nearest fixed tag of the same variant (same major first). */
function remedyFor(p: ImageProduct, image: AdvisoryImage, fixed: readonly ImageProduct[]): Remedy {
  const rebuilt = image.fixed.find((f) => f.tag === p.tag);
  if (rebuilt) return { kind: 'pull', tag: rebuilt.tag, digest: rebuilt.digest };
  const pick = (c: ImageProduct | undefined): Remedy => (c ? { kind: 'move', tag: c.tag, digest: c.digest } : { kind: 'none' });
  if (p.kind === 'build') return pick(fixed.filter((f) => f.kind === 'build').sort((a, b) => (b.builtAt ?? '').localeCompare(a.builtAt ?? ''))[0]);
  const sameVariant = fixed.filter((f) => f.kind === 'release' && (f.variant ?? '') === (p.variant ?? ''));
  const major = (v: string | undefined) => v?.split('.')[0];
  const newestFirst = (xs: ImageProduct[]) => [...xs].sort((a, b) => compareVersions(b.version ?? '', a.version ?? ''));
  if (p.version !== undefined) {
    const newerSameMajor = sameVariant.filter((f) => major(f.version) === major(p.version) && compareVersions(f.version ?? '', p.version ?? '') > 0);
    const nearest = newestFirst(newerSameMajor).at(-1);
    if (nearest) return pick(nearest);
  }
  const release = newestFirst(sameVariant)[0];
  if (release) return pick(release);
  // a rolling tag of the same variant (latest, apache) that now carries a fixed image
  return pick(fixed.find((f) => f.kind === 'rolling' && (f.variant ?? '') === (p.variant ?? '')));
}

/**
 * Resolves every image of the advisory against its inventory (from `inventories` by repository
 * name, else the file's own `inventory:`). Problems carry the path of the statement at fault.
 */
export function resolveAdvisory(advisory: Advisory, inventories: ReadonlyMap<string, readonly InventoryTag[]>, policy: TagPolicy): ResolvedAdvisory {
  const problems: PathProblem[] = [];
  const images = advisory.images.map((image, i) => {
    const at = ['images', i];
    if (policy.images && policy.images.length > 0 && !policy.images.includes(image.name)) {
      problems.push({ path: [...at, 'name'], message: `${image.name} is not one of the policy's images (${policy.images.join(', ')})` });
    }
    const resolved = resolveImage(image, at, inventories.get(image.name) ?? image.inventory, policy, problems);
    if (resolved.affected.length + resolved.fixed.length + resolved.notAffected.length === 0) {
      const n = resolved.excluded.length;
      const hint = n > 0 ? `; ${n} matching tag${n === 1 ? ' does' : 's do'} not receive advisories under the support rule` : '; give the inventory (tags with digests) or name the tags';
      problems.push({ path: at, message: `the statements for ${image.name} select no image${hint}` });
    }
    return resolved;
  });
  return { images, problems };
}
