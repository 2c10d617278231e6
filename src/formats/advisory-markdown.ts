/**
 * An advisory as Markdown (for a repository, an announcement, a GitHub advisory body): what is
 * affected, image by image and tag by tag with digests, what to do, and the rest of the record.
 */
import type { ResolvedImage } from '../domain/advisories/resolve.js';
import { severityWord, type AdvisoryView, type CvssScore } from '../domain/advisories/view.js';
import { CREDIT_ROLE, day, notAffectedText, remedySentence, scopeText } from './advisory-text.js';

/** A table cell: one line, "|" escaped. */
const cell = (s: string): string => s.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const code = (s: string): string => `\`${s}\``;
const table = (head: string[], rows: string[][]): string =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');

export const cvssLine = (s: CvssScore): string => `${s.score.toFixed(1)} ${severityWord(s.severity)} (${s.vector})`;

function facts(view: AdvisoryView): string {
  const a = view.advisory;
  const rows: string[][] = [['Advisory', code(a.id)]];
  rows.push(['Severity', severityWord(view.severity)]);
  if (view.cvss31) rows.push(['CVSS 3.1', cvssLine(view.cvss31)]);
  if (view.cvss40) rows.push(['CVSS 4.0', cvssLine(view.cvss40)]);
  if (view.cwes.length) rows.push(['Weakness', view.cwes.map((c) => `${c.id}: ${c.name}`).join('; ')]);
  if (a.aliases.length) rows.push(['Aliases', a.aliases.join(', ')]);
  if (a.upstream.length) rows.push(['Upstream', a.upstream.join(', ')]);
  if (a.component) rows.push(['Component', `${a.component.name}${a.component.purl ? ` (${code(a.component.purl)})` : ''}${a.component.fixedVersion ? `, fixed in ${a.component.fixedVersion}` : ''}`]);
  rows.push(['Published', day(view.initialRelease)]);
  rows.push(['Updated', `${day(view.currentRelease)} (version ${view.version})`]);
  rows.push(['Status', a.withdrawn ? 'withdrawn' : a.status]);
  return table(['', ''], rows);
}

function imageSection(i: ResolvedImage): string {
  const parts = [`### ${i.name}`];
  if (i.affected.length) {
    parts.push(`Affected:\n\n${table(['Tag', 'Digest', 'What to do'], i.affected.map((p) => [code(p.tag), code(p.digest), remedySentence(i.name, p.remedy)]))}`);
  }
  if (i.fixed.length) parts.push(`Fixed:\n\n${table(['Tag', 'Digest'], i.fixed.map((p) => [code(p.tag), code(p.digest)]))}`);
  if (i.notAffected.length) {
    parts.push(`Not affected:\n\n${table(['Tag', 'Digest', 'Why'], i.notAffected.map((p) => [code(p.tag), code(p.digest), notAffectedText(p.justification, p.statement)]))}`);
  }
  return parts.join('\n\n');
}

export function renderAdvisoryMarkdown(view: AdvisoryView): string {
  const a = view.advisory;
  const out: string[] = [`# ${a.title}`];
  if (a.withdrawn) out.push(`> **Withdrawn** on ${day(a.withdrawn.date)}: ${a.withdrawn.reason}`);
  out.push(a.summary, facts(view));
  out.push('## Affected images', ...view.images.map(imageSection), scopeText(view));
  const todo = [
    ...(a.remediation ? [a.remediation.trim()] : []),
    ...(a.workarounds.length ? [`Workarounds, until you can move:\n\n${a.workarounds.map((w) => `- ${w.trim()}`).join('\n')}`] : []),
  ];
  if (todo.length) out.push('## What else to do', ...todo);
  out.push('## Details', a.details.trim());
  if (a.references.length) out.push('## References', a.references.map((r) => `- ${r.summary ? `[${r.summary}](${r.url})` : r.url}`).join('\n'));
  if (a.credits.length) {
    out.push('## Credits', a.credits.map((c) => `- ${c.name}${c.organization ? ` (${c.organization})` : ''}: ${CREDIT_ROLE[c.type]}${c.contact.length ? ` (${c.contact.join(', ')})` : ''}`).join('\n'));
  }
  out.push('## Revision history', table(['Version', 'Date', 'Summary'], view.revisions.map((r) => [r.number, day(r.date), r.summary])));
  return `${out.join('\n\n')}\n`;
}
