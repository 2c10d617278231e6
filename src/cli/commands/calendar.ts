import { loadPolicy } from '../../app/load-policy.js';
import { nextCronRuns, nextReleaseWindows } from '../../domain/calendar/index.js';
import { SEVERITIES } from '../../domain/policy/schema-sla.js';
import { calendarOf, stageDeadlines } from '../../domain/reports/sla-plan.js';
import { isoInstant, localTime } from '../format.js';
import { printJson, table } from '../io.js';
import { oneOf, parseInstant } from '../options.js';
import type { RegisterCommand } from './index.js';

const COUNT = 3;

export const registerCalendar: RegisterCommand = (program, io) => {
  program
    .command('calendar')
    .description("the policy's next rebuilds and security release windows, and the SLA deadlines of a report")
    .argument('<policy>', 'the policy YAML file')
    .option('--from <ISO>', 'look ahead from this time (default: now)')
    .option('--received <ISO>', 'compute each SLA deadline for a report received at this time')
    .option('--severity <severity>', `apply the policy's per-severity times (${SEVERITIES.join(', ')})`)
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { from?: string; received?: string; severity?: string; json?: boolean }) => {
      const from = parseInstant('--from', opts.from, () => new Date());
      const received = opts.received === undefined ? undefined : parseInstant('--received', opts.received, () => from);
      const severity = oneOf('--severity', opts.severity, SEVERITIES);
      const p = await loadPolicy(file);
      const cal = calendarOf(p);
      const rebuilds = p.releases.rebuild ? nextCronRuns(p.releases.rebuild, from, COUNT) : [];
      const windows = nextReleaseWindows(from, p.releases.securityWindows, cal, COUNT);
      const deadlines = received ? stageDeadlines(p, { received }, severity) : undefined;

      if (opts.json) {
        return printJson(io, {
          nextRebuilds: rebuilds.map(isoInstant),
          nextSecurityWindows: windows.map((w) => w.date),
          ...(deadlines && { deadlines: Object.fromEntries(Object.entries(deadlines).map(([k, d]) => [k, isoInstant(d)])) }),
        });
      }
      const lines = [`Calendar of "${p.project.name}" — business days in ${cal.timeZone}${cal.holidayRegion ? `, public holidays of ${cal.holidayRegion}` : ''}`, ''];
      lines.push(p.releases.rebuild ? `Next rebuilds (${p.releases.rebuild.cron}, ${p.releases.rebuild.timeZone}):` : 'No rebuild schedule in the policy.');
      lines.push(...rebuilds.map((r) => `  ${isoInstant(r)}  ${localTime(r, p.releases.rebuild?.timeZone ?? 'UTC')}`), '');
      lines.push(windows.length ? 'Next security release windows:' : 'No security release windows in the policy: fixes ship with the next release.');
      lines.push(...windows.map((w) => `  ${w.date}  ${localTime(w.start, cal.timeZone)}`));
      if (deadlines && received) {
        lines.push('', `Deadlines for a report received ${isoInstant(received)}${severity ? ` (severity ${severity})` : ''}:`, '');
        const rows = Object.entries(deadlines).map(([stage, d]) => [stage, isoInstant(d), localTime(d, cal.timeZone)]);
        lines.push(rows.length ? table(['stage', 'deadline (UTC)', 'local time'], rows) : '  (the policy sets no SLA clocks)');
        if (p.sla.commitment === 'best-effort') lines.push('', 'The policy makes these best-effort targets, not promises.');
      }
      io.out(lines.join('\n'));
    });
};
