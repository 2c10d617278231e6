import type { ComponentChildren } from 'preact';
import type { AdvisoryListItem } from '../../app/advisories/list-advisories.js';
import type { AdvisoryState } from '../../app/advisories/store.js';
import { formatInstant } from '../format.js';
import { Layout } from './layout.js';

export const ADVISORY_STATE_WORDS: Record<AdvisoryState, { label: string; tone: string }> = {
  draft: { label: 'Draft', tone: '' },
  scheduled: { label: 'Scheduled', tone: 'warn' },
  published: { label: 'Published', tone: 'ok' },
  withdrawn: { label: 'Withdrawn', tone: 'bad' },
};

export function AdvisoryStateBadge({ state }: { state: AdvisoryState }) {
  const w = ADVISORY_STATE_WORDS[state];
  return <span class={`badge ${w.tone}`}>{w.label}</span>;
}

export interface AdvisoriesPageProps {
  projectName: string;
  timeZone: string;
  nav: ComponentChildren;
  items: AdvisoryListItem[];
}

/** The team's advisories: scheduled, drafts, then published and withdrawn ones. */
export function AdvisoriesPage(p: AdvisoriesPageProps) {
  return (
    <Layout title="Advisories" lang="en" projectName={p.projectName} nav={p.nav}>
      <h1>Advisories</h1>
      <p>
        An advisory is drafted from its reports (the report page's <em>Draft an advisory</em>), scheduled for the moment the policy assigns once a fixed build is in the image inventory, and
        published by the desk on time. Nothing of a draft or a scheduled advisory is public.
      </p>
      <p>
        <a href="/team/advisories/new">Draft an advisory without a report</a>
      </p>
      {p.items.length === 0 ? (
        <p class="card muted">No advisory yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Advisory</th>
                <th>State</th>
                <th>When</th>
                <th>Reports</th>
              </tr>
            </thead>
            <tbody>
              {p.items.map((a) => (
                <tr>
                  <td>
                    <a href={`/team/advisories/${a.ident}`} class="mono">
                      {a.ident}
                    </a>
                    <div>{a.title}</div>
                  </td>
                  <td>
                    <AdvisoryStateBadge state={a.state} />
                    {a.revision > 1 && <div class="small muted">{`revision ${a.revision}`}</div>}
                  </td>
                  <td class="small">
                    {a.state === 'scheduled' && a.scheduledFor
                      ? `publishes ${formatInstant(a.scheduledFor, p.timeZone)}`
                      : a.publishedAt
                        ? `published ${formatInstant(a.publishedAt, p.timeZone)}`
                        : `changed ${formatInstant(a.updatedAt, p.timeZone)}`}
                  </td>
                  <td>
                    {a.reports.map((n, k) => (
                      <>
                        {k > 0 && ', '}
                        <a href={`/team/reports/${n}`}>{`#${n}`}</a>
                      </>
                    ))}
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
