import type { ComponentChildren } from 'preact';
import type { PlanReport, ReleasePlan } from '../../app/releases/list-release-plan.js';
import type { ReleaseReminder } from '../../app/releases/remind-before-window.js';
import type { Policy } from '../../domain/policy/schema.js';
import { formatDuration } from '../../domain/policy/duration.js';
import { wordsEn } from '../../formats/security-md/words-en.js';
import { formatInstant, relativeTo } from '../format.js';
import { Layout } from './layout.js';
import { BuildRef, Decision, shippedWords, windowDay, windowWhen } from './release-parts.js';
import { CLOCK_WORDS } from './report-words.js';
import { SeverityBadge } from './team-inbox-page.js';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface ReleasesPageProps {
  policy: Policy;
  nav: ComponentChildren;
  plan: ReleasePlan;
  now: Date;
  /** A coordinator sees only the reports they were invited to. */
  limited: boolean;
}

function Severity({ r }: { r: PlanReport }) {
  return (
    <>
      <SeverityBadge severity={r.severity} />
      {r.cvssScore !== null && <div class="small mono">{`CVSS ${r.cvssScore.toFixed(1)}`}</div>}
    </>
  );
}

function PatchClock({ r, timeZone, now }: { r: PlanReport; timeZone: string; now: Date }) {
  const c = r.patch;
  if (!c) return <span class="muted">—</span>;
  return (
    <>
      <span class={`badge ${CLOCK_WORDS[c.status].tone}`}>{CLOCK_WORDS[c.status].label}</span>
      <div class="small muted">{c.deadline ? `${formatInstant(c.deadline, timeZone)} (${relativeTo(c.deadline, now)})` : 'no date'}</div>
    </>
  );
}

function PlanTable({ items, timeZone, now }: { items: ReleasePlan['groups'][number]['items']; timeZone: string; now: Date }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>Report</th>
            <th>Severity</th>
            <th>Fix build</th>
            <th>Release clock</th>
          </tr>
        </thead>
        <tbody>
          {items.map(({ item: r, planned }) => (
            <tr>
              <td class="mono">{r.number}</td>
              <td>
                <a href={`/team/reports/${r.number}`}>{r.title}</a>
                <div class="small muted">{`fixed ${formatInstant(r.fixedAt, timeZone)}`}</div>
                {planned.kind === 'window' && planned.carriedOver && <div class="small">{`Carried over: it was due in the window of ${windowDay(planned.dueWindow.date)}.`}</div>}
                <div>
                  <Decision release={r.release} timeZone={timeZone} />
                </div>
              </td>
              <td>
                <Severity r={r} />
              </td>
              <td>
                <BuildRef build={r.release.build} />
              </td>
              <td>
                <PatchClock r={r} timeZone={timeZone} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReleasesPage(p: ReleasesPageProps) {
  const tz = p.policy.calendar.timeZone;
  const r = p.policy.releases;
  const total = p.plan.groups.reduce((n, g) => n + g.items.length, 0);
  return (
    <Layout title="Release plan" lang="en" projectName={p.policy.project.name} nav={p.nav}>
      <h1>Release plan</h1>
      <p>
        {r.securityWindows.length > 0 ? wordsEn.windows(r.securityWindows, tz) : 'The policy names no security windows: fixes ship with the next release.'}{' '}
        {r.outOfCycle && r.outOfCycle.severities.length > 0 ? `${capitalize(r.outOfCycle.severities.join(' and '))} reports, or any marked urgent, may be released out of cycle${r.outOfCycle.coordinateWith ? ` with the ${r.outOfCycle.coordinateWith}` : ''}.` : 'A report marked urgent may be released out of cycle.'}{' '}
        {r.securityWindows.length > 0 && `The team is reminded ${formatDuration(r.remindBeforeWindow)} before each window.`}
      </p>
      {p.limited && <p class="small muted">You see the reports you were invited to.</p>}
      {total === 0 && <p class="card muted">No fixed report is waiting for a release.</p>}
      {p.plan.groups.map((g) => (
        <section aria-labelledby={`release-${g.key}`}>
          <h2 id={`release-${g.key}`}>
            {g.kind === 'window' && g.window ? `Security window ${windowDay(g.window.date)}` : g.kind === 'out_of_cycle' ? 'Out of cycle' : 'With the next release'}{' '}
            <span class="small muted">
              {g.kind === 'window' && g.window ? `${windowWhen(g.window.start, p.now)} · ` : ''}
              {`${g.items.length} report${g.items.length === 1 ? '' : 's'}`}
            </span>
          </h2>
          <PlanTable items={g.items} timeZone={tz} now={p.now} />
        </section>
      ))}
      <h2>Shipped in the last 90 days</h2>
      {p.plan.shipped.length === 0 ? (
        <p class="muted">Nothing shipped in the last 90 days.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>#</th>
                <th>Report</th>
                <th>Release</th>
                <th>Fix build</th>
              </tr>
            </thead>
            <tbody>
              {p.plan.shipped.map((s) => (
                <tr>
                  <td class="mono">{s.number}</td>
                  <td>
                    <a href={`/team/reports/${s.number}`}>{s.title}</a>
                    <div>
                      <SeverityBadge severity={s.severity} />
                    </div>
                  </td>
                  <td>
                    {shippedWords(s.release.shipped!)}
                    <div class="small muted">{`recorded by ${s.release.shipped!.by ?? 'a former member'}, ${formatInstant(s.release.shipped!.at, tz)}`}</div>
                  </td>
                  <td>
                    <BuildRef build={s.release.build} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

/** The team's notice on the inbox: a security window is coming, with the reports planned for it. */
export function ReleaseReminders({ reminders, now }: { reminders: ReleaseReminder[]; now: Date }) {
  if (reminders.length === 0) return null;
  return (
    <section aria-label="Release reminders">
      {reminders.map((r) => (
        <div class="notice warn">
          <p>
            <strong>{`Security window ${windowDay(r.windowDate)}`}</strong> {`(${windowWhen(r.windowStart, now)}): ${r.reports.length} report${r.reports.length === 1 ? '' : 's'} planned — `}
            {r.reports.map((x, i) => (
              <>
                {i > 0 && ', '}
                <a href={`/team/reports/${x.number}`}>{`#${x.number} ${x.title}`}</a>
              </>
            ))}
            . See the <a href="/team/releases">release plan</a>.
          </p>
        </div>
      ))}
    </section>
  );
}
