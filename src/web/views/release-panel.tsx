import { DateTime } from 'luxon';
import type { ReportReleaseView } from '../../app/releases/release-of-report.js';
import { formatInstant } from '../format.js';
import { BuildRef, Decision, plannedWords, shippedWords, windowDay, windowWhen } from './release-parts.js';

export interface ReleasePanelProps {
  view: ReportReleaseView;
  base: string;
  csrf: string;
  timeZone: string;
  now: Date;
  /** Members and admins decide; a coordinator reads. */
  canManage: boolean;
}

const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** The report page's "Release" card: where the fix goes, its build, and the shipment, with the team's forms. */
export function ReleasePanel(p: ReleasePanelProps) {
  const { report: r, planned } = p.view;
  const rel = r.release;
  const open = !rel.shipped;
  return (
    <section class="card" aria-labelledby="release-heading">
      <h2 id="release-heading">Release</h2>
      <dl class="facts">
        <dt>{open ? 'Planned' : 'Shipped'}</dt>
        <dd>
          {rel.shipped ? shippedWords(rel.shipped) : planned ? `${plannedWords(planned)}${planned.kind === 'window' ? ` (${windowWhen(planned.window.start, p.now)})` : ''}` : '—'}
          {planned?.kind === 'window' && planned.carriedOver && <div class="small">{`Carried over: it was due in the window of ${windowDay(planned.dueWindow.date)}.`}</div>}
          {rel.shipped && <div class="small muted">{`recorded by ${rel.shipped.by ?? 'a former member'}, ${formatInstant(rel.shipped.at, p.timeZone)}`}</div>}
        </dd>
        <dt>Fix build</dt>
        <dd>
          <BuildRef build={rel.build} />
          {rel.build && <div class="small muted">{`recorded by ${rel.build.by ?? 'a former member'}, ${formatInstant(rel.build.recordedAt, p.timeZone)}`}</div>}
        </dd>
      </dl>
      {rel.decision && (
        <p>
          <Decision release={rel} timeZone={p.timeZone} />
        </p>
      )}
      {p.canManage && open && <BuildForm {...p} />}
      {p.canManage && open && <CycleForm {...p} />}
      {p.canManage && open && <ShipForm {...p} />}
    </section>
  );
}

function BuildForm(p: ReleasePanelProps) {
  const repos = p.view.repositories;
  if (repos.length === 0) return <p class="small muted">The policy lists no image repositories to take a fix build from.</p>;
  const current = p.view.report.release.build?.repository;
  const tags = [...new Set(repos.flatMap((x) => x.recentTags))];
  return (
    <form method="post" action={`${p.base}/release/build`}>
      <Csrf token={p.csrf} />
      <h3>Fix build</h3>
      <div class="field">
        <label for="release-repository">Repository</label>
        <select id="release-repository" name="repository">
          {repos.map((x) => (
            <option value={x.name} selected={x.name === current}>
              {x.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="release-tag">
          Tag <span class="hint">from the image inventory; its current digest is recorded</span>
        </label>
        <input id="release-tag" name="tag" type="text" required maxLength={128} list="release-tags" value={p.view.report.release.build?.tag ?? ''} placeholder={tags[0] ?? '5.2.2-apache'} />
        <datalist id="release-tags">
          {tags.map((t) => (
            <option value={t} />
          ))}
        </datalist>
      </div>
      <button type="submit" class="secondary">
        {p.view.report.release.build ? 'Replace fix build' : 'Record fix build'}
      </button>
    </form>
  );
}

function CycleForm(p: ReleasePanelProps) {
  const r = p.view.report;
  const out = r.release.outOfCycle;
  const bySeverity = !!r.severity && (p.view.outOfCycleSeverities as readonly string[]).includes(r.severity);
  return (
    <form method="post" action={`${p.base}/release/${out ? 'in-cycle' : 'out-of-cycle'}`}>
      <Csrf token={p.csrf} />
      <h3>{out ? 'Back into the windows' : 'Out-of-cycle release'}</h3>
      {!out && (
        <p class="small muted">
          {bySeverity
            ? `The policy releases ${r.severity} reports out of cycle.`
            : `${r.severity ? `A ${r.severity} report` : 'An unrated report'} goes out of cycle only when marked urgent.`}
        </p>
      )}
      {!out && !bySeverity && (
        <label class="choice">
          <input type="checkbox" name="urgent" value="yes" /> Urgent: release it outside the windows
        </label>
      )}
      <div class="field">
        <label for="release-reason">
          Reason <span class="hint">kept with your name on the report and in the audit log</span>
        </label>
        <textarea id="release-reason" name="reason" required maxLength={2000} />
      </div>
      <button type="submit" class="secondary">
        {out ? 'Move back into the windows' : 'Move out of cycle'}
      </button>
    </form>
  );
}

function ShipForm(p: ReleasePanelProps) {
  const { planned, shippable } = p.view;
  const needsBuild = p.view.repositories.length > 0 && !p.view.report.release.build;
  const today = DateTime.fromJSDate(p.now, { zone: p.timeZone }).toISODate() ?? '';
  const fixedOn = DateTime.fromJSDate(p.view.report.fixedAt, { zone: p.timeZone }).toISODate() ?? '';
  let choice;
  if (planned?.kind === 'window') {
    if (shippable.length === 0) return <p class="small muted">{`It can be marked shipped once the window of ${windowDay(planned.window.date)} has come.`}</p>;
    choice = (
      <div class="field">
        <label for="release-date">Shipped in the window of</label>
        <select id="release-date" name="date">
          {shippable.map((w) => (
            <option value={w.date}>{windowDay(w.date)}</option>
          ))}
        </select>
      </div>
    );
  } else {
    choice = (
      <div class="field">
        <label for="release-date">{planned?.kind === 'out_of_cycle' ? 'Released out of cycle on' : 'Released on'}</label>
        <input id="release-date" name="date" type="date" value={today} min={fixedOn} max={today} required />
      </div>
    );
  }
  return (
    <form method="post" action={`${p.base}/release/shipped`}>
      <Csrf token={p.csrf} />
      <h3>Shipped</h3>
      {needsBuild && <p class="small muted">Record the fix build first: the release is that build.</p>}
      {choice}
      <button type="submit" data-confirm="Record this report's fix as shipped? This cannot be undone.">
        Mark shipped
      </button>
    </form>
  );
}
