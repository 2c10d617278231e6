import type { Db } from '../adapters/db/open-database.js';
import type { ReportsTable } from '../adapters/db/tables.js';
import type { Context } from '../context.js';
import type { Upload } from '../domain/reports/attachment-rules.js';
import type { ReportFields } from '../domain/reports/report-input.js';
import type { SealedUpload } from '../domain/reports/sealed-report.js';
import { acceptUploads, storeAttachments } from './attachments.js';
import { appendAudit } from './audit.js';
import { queueReceipt } from './notifications/queue-receipt.js';
import { newToken } from './tokens.js';

export interface SubmitReportInput {
  /** Already parsed with reportFieldsSchema: the same rules for every channel. */
  fields: ReportFields;
  attachments: readonly Upload[];
  channel: ReportsTable['channel'];
  /**
   * More that must land with the report or not at all (a forge import's record): runs inside the
   * report's transaction; throwing rolls the whole report back.
   */
  inTransaction?: (trx: Db, report: { id: string; number: number }) => Promise<void>;
  /**
   * A report encrypted in the reporter's browser (submit-sealed-report.ts): its text fields hold an
   * OpenPGP message and its files, checked there, are encrypted; `attachments` is then empty.
   */
  sealed?: { files: readonly SealedUpload[] };
}

export interface SubmittedReport {
  id: string;
  number: number;
  /** The reporter's secret: returned once, stored only as its SHA-256. */
  token: string;
}

type Deps = Pick<Context, 'db' | 'clock' | 'newId' | 'config' | 'secretKey'>;

/**
 * A new report from any channel: the report, its first timeline entry, its attachments and the
 * audit record land together or not at all. The reporter's link is the only way back to it.
 */
export async function submitReport(deps: Deps, input: SubmitReportInput): Promise<SubmittedReport> {
  const uploads = input.sealed ? input.sealed.files : acceptUploads(input.attachments, deps.config.limits);
  const f = input.fields;
  const now = deps.clock();
  const id = deps.newId();
  const { token, hash } = newToken();
  const number = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('reports')
      .values({
        id,
        title: f.title,
        image: f.image ?? null,
        tag: f.tag ?? null,
        description: f.description,
        steps: f.steps ?? null,
        impact: f.impact ?? null,
        reporter_cvss: f.cvss ?? null,
        reporter_name: f.reporterName ?? null,
        reporter_email: f.reporterEmail ?? null,
        credit_name: f.credit.wish === 'name' ? f.credit.name : null,
        language: f.language,
        channel: input.channel,
        encrypted: input.sealed !== undefined,
        state: 'received',
        rejection_reason: null,
        duplicate_of: null,
        severity: null,
        cvss_vector: null,
        cvss_score: null,
        cwe: null,
        scope_area: null,
        assignee_id: null,
        received_at: now,
        acknowledged_at: null,
        triaged_at: null,
        fixed_at: null,
        disclosed_at: null,
        token_hash: hash,
        updated_at: now,
      })
      .returning('number')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('report_events')
      .values({ report_id: id, at: now, actor_kind: 'reporter', actor_id: null, kind: 'received', data: { channel: input.channel, attachments: uploads.length }, visible: true })
      .execute();
    await input.inTransaction?.(trx, { id, number: row.number });
    await storeAttachments(trx, deps, { reportId: id, messageId: null }, uploads, now);
    await appendAudit(
      trx,
      { actorKind: 'reporter', action: 'report.submit', reportId: id, detail: { channel: input.channel, attachments: uploads.length, anonymous: !f.reporterEmail, ...(input.sealed ? { encrypted: true } : {}) } },
      now,
    );
    // The acknowledgement mail must carry the tracking link, which exists only here.
    await queueReceipt(trx, deps, { id, reporterEmail: f.reporterEmail ?? null, language: f.language, token }, now);
    return row.number;
  });
  return { id, number, token };
}
