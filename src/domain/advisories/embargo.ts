/**
 * The embargo of an advisory, pure: may it be published (is there a fixed build for every affected
 * repository), when does the policy publish it (policy.disclosure.publish), and when does the
 * policy's maximum embargo run out, counted from the earliest linked report's arrival.
 */
import type { ReleaseWindow } from '../calendar/index.js';
import type { Policy } from '../policy/schema.js';
import { currentWindow, plannedRelease } from '../releases/release-plan.js';
import type { Advisory } from './schema.js';

const DAY_MS = 86_400_000;

export interface MissingFix {
  image: string;
  reason: string;
}

/**
 * Publishing needs, for each repository the advisory says is affected, a `fixed` image whose digest
 * the inventory holds (`knownDigests`: what the registry served under some tag, by repository).
 * A policy that does not keep issues private until fixed (privateUntilFixed: false) needs none.
 */
export function missingFixes(policy: Policy, advisory: Advisory, knownDigests: ReadonlyMap<string, ReadonlySet<string>>): MissingFix[] {
  if (!policy.disclosure.privateUntilFixed) return [];
  const out: MissingFix[] = [];
  for (const image of advisory.images) {
    const affected = image.affected !== undefined || image.fixed.some((f) => f.replaces !== undefined);
    if (!affected) continue;
    if (image.fixed.length === 0) {
      out.push({ image: image.name, reason: `${image.name} names no fixed tag` });
      continue;
    }
    const known = knownDigests.get(image.name) ?? new Set<string>();
    if (!image.fixed.some((f) => known.has(f.digest))) {
      const named = image.fixed.map((f) => `${f.tag}@${f.digest.slice(0, 19)}…`).join(', ');
      out.push({ image: image.name, reason: `the image inventory of ${image.name} holds none of the fixed images (${named}); sync the images once the fixed build is pushed` });
    }
  }
  return out;
}

/** What the desk knows of a linked report's release (src/app/releases). */
export interface LinkedRelease {
  fixedAt: Date | null;
  outOfCycle: boolean;
  shippedAt: Date | null;
}

export type PublishBasis = 'immediately' | 'window' | 'out-of-cycle' | 'with-release';

export interface PublishPlan {
  at: Date;
  basis: PublishBasis;
  window: ReleaseWindow | null;
  /** One sentence for the team: when, and why then. */
  explanation: string;
}

const later = (a: Date, b: Date): Date => (a.getTime() >= b.getTime() ? a : b);

/**
 * When the policy publishes an advisory scheduled at `now`:
 * - immediately: now.
 * - next-security-window: the next security window (today's counts for its whole day, so a window
 *   that began today publishes at once); a linked report the team moved out of cycle ships, and is
 *   disclosed, out of cycle: now.
 * - with-release: with the release that carries the fix. A linked report planned for a window that
 *   has not shipped yet publishes at that window (the latest of them, so every fix is out); once
 *   the fixes have shipped, or they ship with the next release or out of cycle (the fixed image in
 *   the inventory is that release), now.
 */
export function publishPlan(policy: Policy, reports: readonly LinkedRelease[], now: Date): PublishPlan {
  const mode = policy.disclosure.publish;
  if (mode === 'immediately') return { at: now, basis: 'immediately', window: null, explanation: 'The policy publishes advisories as soon as they are ready.' };
  if (mode === 'next-security-window') {
    if (reports.some((r) => r.outOfCycle && r.shippedAt === null)) {
      return { at: now, basis: 'out-of-cycle', window: null, explanation: 'A linked report is released out of cycle, so its advisory goes out now.' };
    }
    const w = currentWindow(policy, now);
    if (!w) return { at: now, basis: 'immediately', window: null, explanation: 'The policy names no security window, so the advisory goes out now.' };
    return { at: later(w.start, now), basis: 'window', window: w, explanation: `The policy publishes advisories in the next security window (${w.date}).` };
  }
  let latest: ReleaseWindow | null = null;
  for (const r of reports) {
    if (r.shippedAt !== null || r.fixedAt === null) continue;
    const p = plannedRelease(policy, { fixedAt: r.fixedAt, outOfCycle: r.outOfCycle }, now);
    if (p.kind === 'window' && (latest === null || p.window.start > latest.start)) latest = p.window;
  }
  if (latest) return { at: later(latest.start, now), basis: 'with-release', window: latest, explanation: `The policy publishes advisories with the release of the fix, planned for the security window of ${latest.date}.` };
  return { at: now, basis: 'with-release', window: null, explanation: 'The policy publishes advisories with the release of the fix, which is out.' };
}

export type EmbargoStatus =
  | { kind: 'none' }
  | { kind: 'running'; endsAt: Date; warnFrom: Date; daysLeft: number }
  | { kind: 'warn'; endsAt: Date; daysLeft: number }
  | { kind: 'over'; endsAt: Date; daysOver: number };

/** When the maximum embargo (disclosure.maxEmbargoDays after the earliest report arrived) ends. */
export function embargoEndsAt(policy: Policy, earliestReceivedAt: Date): Date {
  return new Date(earliestReceivedAt.getTime() + policy.disclosure.maxEmbargoDays * DAY_MS);
}

/**
 * Where an unpublished advisory stands against the maximum embargo: running, within
 * disclosure.warnBeforeDays of its end (time to warn), or over. Without a linked report, none.
 */
export function embargoStatus(policy: Policy, earliestReceivedAt: Date | null, now: Date): EmbargoStatus {
  if (earliestReceivedAt === null) return { kind: 'none' };
  const endsAt = embargoEndsAt(policy, earliestReceivedAt);
  const left = endsAt.getTime() - now.getTime();
  if (left <= 0) return { kind: 'over', endsAt, daysOver: Math.floor((now.getTime() - endsAt.getTime()) / DAY_MS) };
  const daysLeft = Math.ceil(left / DAY_MS);
  const warnFrom = new Date(endsAt.getTime() - policy.disclosure.warnBeforeDays * DAY_MS);
  if (now.getTime() >= warnFrom.getTime()) return { kind: 'warn', endsAt, daysLeft };
  return { kind: 'running', endsAt, warnFrom, daysLeft };
}
