import type { AdvisoryRow } from '../../app/advisories/store.js';
import { AdvisoryStateBadge } from './team-advisories-page.js';

export interface ReportAdvisoryCardProps {
  number: number;
  advisories: Array<Pick<AdvisoryRow, 'ident' | 'state' | 'document'>>;
}

/** The report page's advisory card (members and admins): the advisories that disclose it, and a new draft from it. */
export function ReportAdvisoryCard({ number, advisories }: ReportAdvisoryCardProps) {
  return (
    <section class="card" aria-labelledby="advisory-heading">
      <h2 id="advisory-heading">Advisory</h2>
      {advisories.length > 0 && (
        <ul>
          {advisories.map((a) => (
            <li>
              <a href={`/team/advisories/${a.ident}`} class="mono">
                {a.ident}
              </a>{' '}
              <AdvisoryStateBadge state={a.state} /> <span class="small">{typeof a.document.title === 'string' ? a.document.title : ''}</span>
            </li>
          ))}
        </ul>
      )}
      <form method="get" action="/team/advisories/new">
        <input type="hidden" name="report" value={String(number)} />
        <p class="small muted">Prefilled from this report: title, CVSS, CWE, image and tag, and the reporter’s credit if they asked for one. Add more reports in the editor.</p>
        <button type="submit" class="secondary">
          Draft an advisory
        </button>
      </form>
    </section>
  );
}
