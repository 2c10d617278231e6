import type { Context } from '../../context.js';
import { parseCvss } from '../../domain/advisories/cvss.js';
import { AppError } from '../errors.js';

type Deps = Pick<Context, 'db' | 'policy'>;

/**
 * A new advisory's starting point from its reports: the first report's title, the CVSS vectors and
 * CWE the team set, the image and tag the reporters named, and a finder credit for each reporter
 * who asked to be credited (reports.credit_name; an anonymous reporter is not named). Not checked:
 * the team completes it in the editor.
 */
export async function prefillAdvisory(deps: Deps, reportNumbers: readonly number[]): Promise<{ document: Record<string, unknown>; reportNumbers: number[] }> {
  const numbers = [...new Set(reportNumbers)];
  const rows = numbers.length ? await deps.db.selectFrom('reports').select(['number', 'title', 'image', 'tag', 'cvss_vector', 'reporter_cvss', 'cwe', 'credit_name']).where('number', 'in', numbers).orderBy('number').execute() : [];
  if (rows.length !== numbers.length) throw new AppError('not_found', `There is no report ${numbers.filter((n) => !rows.some((r) => r.number === n)).map((n) => `#${n}`).join(', ')}.`);
  const severity: Record<string, string> = {};
  for (const r of rows) {
    for (const v of [r.cvss_vector, r.reporter_cvss]) {
      const c = v ? parseCvss(v) : null;
      if (!c?.ok) continue;
      const key = c.version === '3.1' ? 'cvss31' : 'cvss40';
      severity[key] ??= c.vector;
    }
  }
  const policyImages = deps.policy.project.images.map((i) => i.name);
  const images = new Map<string, string[]>();
  for (const r of rows) {
    if (!r.image || !policyImages.includes(r.image)) continue;
    const tags = images.get(r.image) ?? [];
    if (r.tag && !tags.includes(r.tag)) tags.push(r.tag);
    images.set(r.image, tags);
  }
  if (images.size === 0 && policyImages.length === 1) images.set(policyImages[0]!, []);
  const credits = [...new Set(rows.flatMap((r) => (r.credit_name?.trim() ? [r.credit_name.trim()] : [])))].map((name) => ({ name, type: 'finder' }));
  const cwe = [...new Set(rows.flatMap((r) => (r.cwe ? [r.cwe] : [])))];
  return {
    reportNumbers: rows.map((r) => r.number),
    document: {
      ...(rows[0] ? { title: rows[0].title } : {}),
      ...(Object.keys(severity).length ? { severity } : {}),
      cwe,
      images: [...images].map(([name, tags]) => ({ name, ...(tags.length ? { affected: { tags } } : {}), fixed: [] })),
      credits,
    },
  };
}
