import type { ComponentChildren } from 'preact';
import type { StagePerformance } from '../../domain/reports/sla-performance.js';
import { formatSpan } from '../format.js';
import { Layout } from './layout.js';
import { STAGE_WORDS } from './report-words.js';

export interface SlaPageProps {
  projectName: string;
  nav: ComponentChildren;
  days: number;
  reports: number;
  stages: StagePerformance[];
  targets: Record<string, string>;
}

const W = 560;
const ROW = 44;
const LABEL = 110;

/** Stacked bars per stage: met, missed, overdue. SVG attributes only, so the strict CSP holds. */
function Chart({ stages }: { stages: StagePerformance[] }) {
  const h = stages.length * ROW + 30;
  const barW = W - LABEL - 60;
  return (
    <svg viewBox={`0 0 ${W} ${h}`} width={W} height={h} role="img" aria-label="Share of deadlines met per stage">
      {stages.map((s, i) => {
        const total = s.met + s.missed + s.overdue;
        const y = i * ROW + 10;
        const part = (n: number) => (total ? (n / total) * barW : 0);
        return (
          <g>
            <text x={0} y={y + 18} font-size="14" fill="#1c2330">
              {STAGE_WORDS[s.stage]}
            </text>
            <rect x={LABEL} y={y} width={barW} height={26} fill="#eef0f4" rx={4} />
            <rect x={LABEL} y={y} width={part(s.met)} height={26} fill="#1c7c47" rx={4} />
            <rect x={LABEL + part(s.met)} y={y} width={part(s.missed)} height={26} fill="#b3261e" />
            <rect x={LABEL + part(s.met) + part(s.missed)} y={y} width={part(s.overdue)} height={26} fill="#a75d00" />
            <text x={LABEL + barW + 8} y={y + 18} font-size="14" fill="#1c2330">
              {s.shareMet === null ? '—' : `${Math.round(s.shareMet * 100)}%`}
            </text>
          </g>
        );
      })}
      <g transform={`translate(${LABEL}, ${stages.length * ROW + 18})`}>
        <rect width={10} height={10} fill="#1c7c47" />
        <text x={14} y={10} font-size="12" fill="#5b6576">
          met
        </text>
        <rect x={60} width={10} height={10} fill="#b3261e" />
        <text x={74} y={10} font-size="12" fill="#5b6576">
          missed
        </text>
        <rect x={140} width={10} height={10} fill="#a75d00" />
        <text x={154} y={10} font-size="12" fill="#5b6576">
          overdue now
        </text>
      </g>
    </svg>
  );
}

export function SlaPage(p: SlaPageProps) {
  return (
    <Layout title="SLA performance" lang="en" projectName={p.projectName} nav={p.nav}>
      <h1>SLA performance</h1>
      <p class="muted">
        Reports received in the last {p.days} days: {p.reports}. A deadline that is overdue now counts as broken.
      </p>
      {p.stages.length === 0 || p.reports === 0 ? (
        <p class="card muted">No reports in this period.</p>
      ) : (
        <>
          <section class="card chart">
            <Chart stages={p.stages} />
          </section>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Stage</th>
                  <th>Target</th>
                  <th>Met</th>
                  <th>Missed</th>
                  <th>Overdue now</th>
                  <th>Share met</th>
                  <th>Median time from receipt</th>
                </tr>
              </thead>
              <tbody>
                {p.stages.map((s) => (
                  <tr>
                    <td>{STAGE_WORDS[s.stage]}</td>
                    <td>{p.targets[s.stage] ?? '—'}</td>
                    <td>{s.met}</td>
                    <td>{s.missed}</td>
                    <td>{s.overdue}</td>
                    <td>{s.shareMet === null ? '—' : `${Math.round(s.shareMet * 100)}%`}</td>
                    <td>{s.medianMs === null ? '—' : formatSpan(s.medianMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Layout>
  );
}
