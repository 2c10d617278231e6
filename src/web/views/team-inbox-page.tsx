import type { ComponentChildren } from 'preact';
import { CHANNELS, DUE_FILTERS, SEVERITY_FILTERS, type InboxFilters, type InboxRow } from '../../app/reports/list-inbox.js';
import { REPORT_STATES } from '../../domain/reports/states.js';
import { formatInstant, relativeTo } from '../format.js';
import { Layout } from './layout.js';
import { CHANNEL_WORDS, CLOCK_WORDS, STAGE_WORDS, STATE_WORDS } from './report-words.js';

export interface InboxPageProps {
  projectName: string;
  timeZone: string;
  nav: ComponentChildren;
  rows: InboxRow[];
  /** Reports matching the filters, on all pages. */
  total: number;
  page: number;
  pageSize: number;
  filters: InboxFilters;
  now: Date;
  notices?: ComponentChildren;
}

const Select = ({ name, label, value, options }: { name: string; label: string; value: string | undefined; options: Array<[string, string]> }) => (
  <div class="field">
    <label for={`f-${name}`}>{label}</label>
    <select id={`f-${name}`} name={name}>
      <option value="">Any</option>
      {options.map(([v, l]) => (
        <option value={v} selected={v === value}>
          {l}
        </option>
      ))}
    </select>
  </div>
);

export const SeverityBadge = ({ severity }: { severity: string | null }) =>
  severity ? <span class={`badge sev-${severity}`}>{severity}</span> : <span class="badge">unrated</span>;

/** Previous and next links that keep the filters. */
function Pager(p: InboxPageProps) {
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  if (pages === 1) return null;
  const href = (page: number) => {
    const q = new URLSearchParams();
    for (const k of ['state', 'severity', 'channel', 'due'] as const) if (p.filters[k]) q.set(k, p.filters[k]);
    if (page > 1) q.set('page', String(page));
    const s = q.toString();
    return s ? `/team?${s}` : '/team';
  };
  return (
    <nav class="pager" aria-label="Inbox pages">
      {p.page > 1 && <a href={href(Math.min(p.page - 1, pages))}>Previous</a>} <span>Page {Math.min(p.page, pages)} of {pages}</span> {p.page < pages && <a href={href(p.page + 1)}>Next</a>}
    </nav>
  );
}

export function InboxPage(p: InboxPageProps) {
  const first = (p.page - 1) * p.pageSize + 1;
  return (
    <Layout title="Inbox" lang="en" projectName={p.projectName} nav={p.nav}>
      {p.notices}
      <h1>Inbox</h1>
      <form class="filters" method="get" action="/team">
        <Select name="state" label="State" value={p.filters.state} options={[['open', 'Open'], ...REPORT_STATES.map((s): [string, string] => [s, STATE_WORDS[s] ?? s])]} />
        <Select name="severity" label="Severity" value={p.filters.severity} options={SEVERITY_FILTERS.map((s): [string, string] => [s, s])} />
        <Select name="channel" label="Channel" value={p.filters.channel} options={CHANNELS.map((c): [string, string] => [c, CHANNEL_WORDS[c] ?? c])} />
        <Select name="due" label="Clock" value={p.filters.due} options={DUE_FILTERS.map((d): [string, string] => [d, CLOCK_WORDS[d].label])} />
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      {p.rows.length === 0 ? (
        <p class="card muted">{p.total === 0 ? 'No reports match.' : `No reports on this page: ${p.total} match.`}</p>
      ) : (
        <>
        <p class="small muted">
          {p.total <= p.rows.length ? `${p.total} report${p.total === 1 ? '' : 's'}` : `Reports ${first}–${first + p.rows.length - 1} of ${p.total}`}
          {p.filters.state === 'rejected' || p.filters.state === 'disclosed' ? ', newest first.' : ', the most urgent first.'}
        </p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>#</th>
                <th>Report</th>
                <th>State</th>
                <th>Severity</th>
                <th>Next due</th>
                <th>Received</th>
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r) => (
                <tr>
                  <td class="mono">{r.number}</td>
                  <td>
                    <a href={`/team/reports/${r.number}`}>{r.title}</a>
                    <div class="small muted">
                      {[r.image && `${r.image}${r.tag ? `:${r.tag}` : ''}`, CHANNEL_WORDS[r.channel] ?? r.channel, r.assignee && `assigned to ${r.assignee}`].filter(Boolean).join(' · ')}
                    </div>
                  </td>
                  <td>{STATE_WORDS[r.state] ?? r.state}</td>
                  <td>
                    <SeverityBadge severity={r.severity} />
                  </td>
                  <td>
                    {r.next ? (
                      <>
                        <span class={`badge ${CLOCK_WORDS[r.next.status].tone}`}>
                          {STAGE_WORDS[r.next.stage]} {CLOCK_WORDS[r.next.status].label}
                        </span>
                        {r.next.deadline && (
                          <div class="small muted" title={formatInstant(r.next.deadline, p.timeZone)}>
                            {r.next.status === 'paused' ? 'clock stopped' : relativeTo(r.next.deadline, p.now)}
                          </div>
                        )}
                      </>
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                  <td class="small">{formatInstant(r.receivedAt, p.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager {...p} />
        </>
      )}
    </Layout>
  );
}
