import { DateTime } from 'luxon';
import type { ReleaseSummary } from '../../app/releases/list-release-plan.js';
import type { PlannedRelease } from '../../domain/releases/release-plan.js';
import { formatInstant, relativeTo } from '../format.js';

/** A window's local date as people read it: "Wed 25 Nov 2026". */
export const windowDay = (isoDate: string): string => DateTime.fromISO(isoDate, { zone: 'UTC' }).setLocale('en-GB').toFormat('ccc d LLL yyyy');

/** "in 3 days", or "today" once the window's day has begun (it stays current through its day). */
export const windowWhen = (start: Date, now: Date): string => (start.getTime() > now.getTime() ? relativeTo(start, now) : 'today');

/** Where a report goes, in words. */
export function plannedWords(p: PlannedRelease): string {
  if (p.kind === 'out_of_cycle') return 'Out of cycle';
  if (p.kind === 'next_release') return 'With the next release';
  return `Security window ${windowDay(p.window.date)}`;
}

export function shippedWords(s: NonNullable<ReleaseSummary['shipped']>): string {
  if (s.in === 'window') return `Shipped in the security window of ${windowDay(s.date)}`;
  if (s.in === 'out_of_cycle') return `Shipped out of cycle on ${windowDay(s.date)}`;
  return `Shipped with the release of ${windowDay(s.date)}`;
}

/** repository:tag and the digest it had when recorded (shortened, the whole one on hover). */
export function BuildRef({ build }: { build: ReleaseSummary['build'] }) {
  if (!build) return <span class="muted">no fix build yet</span>;
  return (
    <span>
      <code>{`${build.repository}:${build.tag}`}</code>{' '}
      <span class="small mono" title={build.digest}>
        {shortDigest(build.digest)}
      </span>
    </span>
  );
}

export const shortDigest = (digest: string): string => {
  const [alg, hex] = digest.split(':');
  return hex ? `${alg}:${hex.slice(0, 12)}…` : digest;
};

/** Who decided what about the out-of-cycle release, when and why. */
export function Decision({ release, timeZone }: { release: ReleaseSummary; timeZone: string }) {
  const d = release.decision;
  if (!d) return null;
  const what = release.outOfCycle ? `Out of cycle (${release.basis === 'urgent' ? 'marked urgent' : 'by severity'})` : 'Back in the windows';
  return (
    <span class="small">
      {what}: {d.by ?? 'a former member'}, {formatInstant(d.at, timeZone)} — “{d.reason}”
    </span>
  );
}

/** Timeline lines of the release events (decide-out-of-cycle, record-fix-build, mark-shipped). */
export function releaseEventText(kind: string, data: Record<string, unknown>): string {
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (kind) {
    case 'release_out_of_cycle':
      return `Moved out of cycle (${data.basis === 'urgent' ? 'marked urgent' : `${s(data.severity)} severity`}): “${s(data.reason)}”`;
    case 'release_in_cycle':
      return `Moved back into the security windows: “${s(data.reason)}”`;
    case 'release_fix_build':
      return `Fix build ${s(data.repository)}:${s(data.tag)} (${shortDigest(s(data.digest))})${data.replaced ? ' replaces the one recorded before' : ''}`;
    case 'release_shipped':
      return data.shippedIn === 'window' ? `Shipped in the security window of ${windowDay(s(data.date))}` : data.shippedIn === 'out_of_cycle' ? `Shipped out of cycle on ${windowDay(s(data.date))}` : `Shipped with the release of ${windowDay(s(data.date))}`;
    default:
      return kind.replace(/_/g, ' ');
  }
}
