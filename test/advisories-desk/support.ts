import type { Db } from '../../src/adapters/db/open-database.js';
import { digest, MAUTIC } from '../releases/support.js';

export { digest, insertFixedReport, MAUTIC, seedInventory } from '../releases/support.js';

/** The Mautic image's tags before and after the fix of an Apache-only flaw in 5.2.1. */
export const BEFORE = { '5.2.0-apache': digest('1'), '5.2.1-apache': digest('2'), '5.2.1-fpm': digest('3'), '5.2.1': digest('2') };
export const FIXED = { '5.2.2-apache': digest('4'), '5.2.2-fpm': digest('5'), '5.2.2': digest('4') };

/** The editor's document of an advisory about it (the desk adds id, status, dates). */
export function editorDocument(over: Record<string, unknown> = {}, fixed: string[] = ['5.2.2-apache']): Record<string, unknown> {
  return {
    title: 'Apache variant serves the log folder',
    summary: 'Anyone could download files from var/logs.',
    details: 'The Apache configuration granted access to /var/www/html.',
    severity: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N' },
    cwe: ['CWE-552'],
    images: [{ name: MAUTIC, affected: { versions: [{ introduced: '5.0.0', fixed: '5.2.2' }], variants: ['apache'] }, fixed: fixed.map((tag) => ({ tag })) }],
    credits: [{ name: 'Rita Reporter', type: 'finder' }],
    ...over,
  };
}

/** What an advisory left behind: its row, revisions, links and audit entries. */
export async function advisoryTrail(db: Db, ident: string) {
  const row = await db.selectFrom('advisories').selectAll().where('ident', '=', ident).executeTakeFirst();
  const revisions = row ? await db.selectFrom('advisory_revisions').select(['revision', 'summary', 'by', 'at']).where('advisory_id', '=', row.id).orderBy('revision').execute() : [];
  const audit = await db.selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('action', 'like', 'advisory.%').orderBy('seq').execute();
  return { row, revisions, audit: audit.filter((a) => (a.detail as { advisory?: string }).advisory === ident) };
}
