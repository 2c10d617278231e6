import type { ComponentChildren } from 'preact';
import type { AuditVerification } from '../../app/verify-audit-log.js';
import { formatInstant } from '../format.js';
import { Layout } from './layout.js';

export interface AuditRow {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  report: number | null;
  detail: Record<string, unknown>;
}

export function AuditPage(p: { projectName: string; timeZone: string; nav: ComponentChildren; rows: AuditRow[]; verification: AuditVerification; before: number | null }) {
  const v = p.verification;
  const oldest = p.rows.at(-1)?.seq;
  return (
    <Layout title="Audit log" lang="en" projectName={p.projectName} nav={p.nav}>
      <h1>Audit log</h1>
      {v.intact ? (
        <p class="notice ok">The hash chain is intact over all {v.entries} entries (checked now; `cvdesk audit verify` checks it from the command line).</p>
      ) : (
        <p class="notice bad">
          The hash chain is broken at entry {v.break.seq}: {v.message}
        </p>
      )}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Report</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr>
                <td class="mono">{r.seq}</td>
                <td class="small">{formatInstant(r.at, p.timeZone)}</td>
                <td>{r.actor}</td>
                <td class="mono">{r.action}</td>
                <td>{r.report !== null ? <a href={`/team/reports/${r.report}`}>#{r.report}</a> : '—'}</td>
                <td class="small mono">{Object.keys(r.detail).length ? JSON.stringify(r.detail) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {oldest !== undefined && oldest > 1 && (
        <p>
          <a href={`/team/audit?before=${oldest}`}>Older entries</a>
        </p>
      )}
    </Layout>
  );
}
