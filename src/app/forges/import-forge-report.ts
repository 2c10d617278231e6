import type { Context } from '../../context.js';
import { parseCvss } from '../../domain/advisories/cvss.js';
import { REPORT_LIMITS, reportFieldsSchema } from '../../domain/reports/report-input.js';
import { appendAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { submitReport } from '../submit-report.js';

/** One report as a forge holds it, whatever the forge: what the import needs. */
export interface ForgeItem {
  forge: 'github' | 'gitlab';
  /** GitHub: the GHSA id; GitLab: "<host>:<issue id>". Unique per forge. */
  externalId: string;
  project: string;
  projectId: string | null;
  issueIid: number | null;
  url: string;
  reporterLogin: string | null;
  title: string;
  description: string;
  cvss: string | null;
  /** Facts kept beside the report (severity, CVE, CWEs, packages, labels, created_at). */
  data: Record<string, unknown>;
}

export type ImportOutcome = { outcome: 'imported'; id: string; number: number } | { outcome: 'exists'; id: string };

export const FORGE_NAMES = { github: 'GitHub', gitlab: 'GitLab' } as const;

/** What submitReport needs, and the policy. */
export type ImportDeps = Parameters<typeof submitReport>[0] & Pick<Context, 'db' | 'clock' | 'policy'>;

/** Thrown inside the report's transaction when another process recorded the same item first. */
class AlreadyImported extends Error {}

/**
 * Imports one forge item as a report (channel github or gitlab) through the same use case as every
 * other channel. The (forge, external id) record is written in the report's own transaction with
 * ON CONFLICT DO NOTHING: when another process got there first (PostgreSQL makes this insert wait
 * for the other transaction), this one rolls its report back, so an item is never imported twice.
 */
export async function importForgeReport(deps: ImportDeps, item: ForgeItem, via: 'poll' | 'webhook' | 'backfill'): Promise<ImportOutcome> {
  const known = await existing(deps, item);
  if (known) return { outcome: 'exists', id: known };
  const fields = forgeReportFields(deps, item);
  try {
    const r = await submitReport(deps, {
      fields,
      attachments: [],
      channel: item.forge,
      inTransaction: async (trx, report) => {
        const now = deps.clock();
        const row = await trx
          .insertInto('forge_imports')
          .values({
            forge: item.forge,
            external_id: item.externalId,
            report_id: report.id,
            project: item.project,
            project_id: item.projectId,
            issue_iid: item.issueIid,
            url: item.url,
            reporter_login: item.reporterLogin,
            data: item.data,
            via,
            imported_at: now,
          })
          .onConflict((oc) => oc.columns(['forge', 'external_id']).doNothing())
          .returning('report_id')
          .executeTakeFirst();
        if (!row) throw new AlreadyImported();
        await trx
          .insertInto('report_events')
          .values({ report_id: report.id, at: now, actor_kind: 'system', actor_id: null, kind: 'forge_import', data: { forge: item.forge, externalId: item.externalId, url: item.url, via }, visible: false })
          .execute();
        await appendAudit(trx, { actorKind: 'system', action: 'forge.import', reportId: report.id, detail: { forge: item.forge, externalId: item.externalId, project: item.project, via } }, now);
      },
    });
    return { outcome: 'imported', id: r.id, number: r.number };
  } catch (e) {
    if (!(e instanceof AlreadyImported)) throw e;
    const id = await existing(deps, item);
    if (!id) throw new AppError('conflict', `${FORGE_NAMES[item.forge]} ${item.externalId} was being imported by another process, which then gave up; the next poll tries again`);
    return { outcome: 'exists', id };
  }
}

async function existing(deps: Pick<Context, 'db'>, item: Pick<ForgeItem, 'forge' | 'externalId'>): Promise<string | null> {
  const row = await deps.db.selectFrom('forge_imports').select('report_id').where('forge', '=', item.forge).where('external_id', '=', item.externalId).executeTakeFirst();
  return row?.report_id ?? null;
}

// C0 controls but tab and line breaks, DEL, and lone surrogates: a forge may hold them, a report may not.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const clean = (s: string) => s.replace(CONTROL, '').replace(LONE_SURROGATE, '\uFFFD');

function cut(s: string, max: number, tail: string): string {
  if (s.length <= max) return s;
  return `${s.slice(0, max - tail.length - 1).replace(/[\uD800-\uDBFF]$/, '')}…${tail}`;
}

/**
 * The item as the report schema's fields, held to the same rules as every channel: text cleaned of
 * control characters, an over-long title or description cut with a pointer to the whole text on
 * the forge, a CVSS vector kept only when it parses. The reporter is their forge login, credited
 * under it when the policy credits reporters; reports there have no e-mail address.
 */
export function forgeReportFields(deps: Pick<Context, 'policy'>, item: ForgeItem) {
  const p = deps.policy;
  const languages = p.languages.map((l) => l.toLowerCase().split('-')[0]!);
  const language = languages.includes('en') ? 'en' : (languages.find((l) => l === 'de') ?? 'en');
  const schema = reportFieldsSchema({ images: p.project.images.map((i) => i.name), languages: [language], allowAnonymous: true, creditOffered: p.credit.offered });
  const where = `${FORGE_NAMES[item.forge]} ${item.url}`;
  let title = clean(item.title).replace(/\s+/g, ' ').trim();
  if (title.length < 3) title = `${FORGE_NAMES[item.forge]} report ${item.externalId}`;
  const body = clean(item.description).trim();
  const description = body ? cut(body, REPORT_LIMITS.description, `\n\n[cut here: the whole text is on ${where}]`) : `(No description was given; see ${where}.)`;
  const cvss = item.cvss && parseCvss(item.cvss).ok ? item.cvss : undefined;
  const login = item.reporterLogin ? cut(clean(item.reporterLogin).replace(/\s+/g, ' ').trim(), REPORT_LIMITS.name, '') : '';
  const parsed = schema.safeParse({
    title: cut(title, REPORT_LIMITS.title, ''),
    description,
    ...(cvss ? { cvss } : {}),
    ...(login ? { reporterName: login } : {}),
    credit: login && p.credit.offered ? { wish: 'name', name: login } : { wish: 'none' },
    language,
  });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new AppError('invalid_input', `${FORGE_NAMES[item.forge]} ${item.externalId} cannot be a report: ${i.path.join('.')}: ${i.message}`);
  }
  return parsed.data;
}
