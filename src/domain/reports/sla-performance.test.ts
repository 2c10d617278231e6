import { describe, expect, it } from 'vitest';
import { median, slaPerformance } from './sla-performance.js';
import type { StageClock } from './sla-status.js';

const t = (h: number) => new Date(Date.UTC(2026, 10, 23) + h * 3_600_000);
const clock = (stage: StageClock['stage'], status: StageClock['status'], reachedH: number | null): StageClock => ({
  stage,
  status,
  deadline: t(24),
  reachedAt: reachedH === null ? null : t(reachedH),
  commitment: 'promise',
});

describe('slaPerformance', () => {
  it('counts met, missed and overdue per stage, and the median time to reach it', () => {
    const perf = slaPerformance([
      { receivedAt: t(0), clocks: [clock('acknowledge', 'met', 2), clock('triage', 'running', null)] },
      { receivedAt: t(0), clocks: [clock('acknowledge', 'met', 4), clock('triage', 'overdue', null)] },
      { receivedAt: t(0), clocks: [clock('acknowledge', 'missed', 30), clock('triage', 'met', 10)] },
    ]);
    expect(perf).toEqual([
      { stage: 'acknowledge', met: 2, missed: 1, overdue: 0, shareMet: 2 / 3, medianMs: 4 * 3_600_000 },
      { stage: 'triage', met: 1, missed: 0, overdue: 1, shareMet: 0.5, medianMs: 10 * 3_600_000 },
    ]);
  });

  it('has no share when nothing was decided, and no stages when there are no reports', () => {
    expect(slaPerformance([{ receivedAt: t(0), clocks: [clock('fix', 'running', null)] }])).toEqual([{ stage: 'fix', met: 0, missed: 0, overdue: 0, shareMet: null, medianMs: null }]);
    expect(slaPerformance([])).toEqual([]);
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
