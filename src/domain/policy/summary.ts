import type { Policy } from './schema.js';
import { formatDuration } from './duration.js';
import { NEXT_WINDOW, STAGES } from './schema-sla.js';

/** The policy in a few labelled lines, for `policy check` and the admin page. */
export function summarisePolicy(p: Policy): Array<[label: string, value: string]> {
  const sla = STAGES.flatMap((st) => {
    const s = p.sla[st];
    if (!s) return [];
    const target = s.target === NEXT_WINDOW ? 'next security window' : formatDuration(s.target);
    const sev = Object.entries(s.bySeverity).map(([k, d]) => `${k}: ${formatDuration(d)}`);
    return [`${st} ${target}${s.from !== 'received' ? ` from ${s.from}` : ''}${sev.length ? ` (${sev.join(', ')})` : ''}`];
  });
  const out = p.scope.outOfScope;
  const support = p.support;
  const windows = p.releases.securityWindows.map((w) => `${w.nth.map((n) => (n === -1 ? 'last' : `#${n}`)).join('+')} ${w.weekday}${w.time ? ` ${w.time}` : ''}`);
  return [
    ['project', `${p.project.name} <${p.project.url}>`],
    ['images', p.project.images.map((i) => i.name).join(', ') || '(none)'],
    ['contacts', p.contacts.map((c) => (c.type === 'email' ? `${c.encryption ? 'encrypted ' : ''}e-mail ${c.address}` : c.type)).join(', ')],
    ['languages', p.languages.join(', ')],
    ['scope', `${p.scope.inScope.length} area(s) in scope, ${out.length} out of scope (${out.filter((o) => o.upstream).length} with an upstream contact)`],
    ['SLA', `${sla.join('; ') || '(no clocks)'}${p.sla.commitment === 'best-effort' ? ' [best effort]' : ''}`],
    ['calendar', `${p.calendar.timeZone}, holidays: ${p.calendar.holidayRegion ?? 'none'}, workdays ${p.calendar.workdays.join(',')}`],
    ['rebuilds', p.releases.rebuild ? `${p.releases.rebuild.cron} (${p.releases.rebuild.timeZone})` : 'none scheduled'],
    ['windows', windows.join(', ') || 'none (fixes ship with the next release)'],
    ['support', `majors ${support.supportedMajors === 'all' ? 'all' : support.supportedMajors.join(', ')}; ${support.latestMinorOnly ? 'latest minor only' : 'all minors'}; pre-releases ${support.prereleases ? 'included' : 'excluded'}; build tags ${support.buildTags}`],
    ['disclosure', `${p.disclosure.privateUntilFixed ? 'private until fixed' : 'no embargo rule'}; max embargo ${p.disclosure.maxEmbargoDays} days; publish ${p.disclosure.publish}`],
    ['credit', p.credit.offered ? `offered (default: ${p.credit.default})` : 'not offered'],
    ['security.txt', `expires ${formatDuration(p.securityTxt.expiresAfter)} after rendering; canonical ${p.securityTxt.canonical.join(', ')}`],
  ];
}
