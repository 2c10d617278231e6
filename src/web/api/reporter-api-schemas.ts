import { z } from 'zod';
import type { ReporterView } from '../../app/reporter/view-as-reporter.js';
import type { Config } from '../../config.js';
import { ALLOWED_ATTACHMENTS } from '../../domain/reports/attachment-rules.js';
import { creditSchema, messageBodySchema, REPORT_LIMITS, reportFieldsSchema, type ReportInputOptions } from '../../domain/reports/report-input.js';
import { STAGES } from '../../domain/policy/schema-sla.js';
import { sealedFieldsSchema } from '../../domain/reports/sealed-report.js';
import { REPORT_STATES } from '../../domain/reports/states.js';

/**
 * The reporter API's bodies and answers as zod schemas: requests are parsed with them, answers
 * are shaped by them (and checked in tests), and /api/openapi.json is generated from them, so the
 * document cannot drift from what the API does. (No `id` metadata here: zod's global registry
 * refuses a second schema under one id, and every desk builds its own; openapi.ts names them.)
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function reporterApiSchemas(o: ReportInputOptions, limits: Config['limits']) {
  const attachment = z
    .strictObject({
      filename: z.string().min(1).max(REPORT_LIMITS.filename),
      contentType: z.string().min(1).max(255).meta({ description: `One of: ${ALLOWED_ATTACHMENTS.map((a) => a.contentType).join(', ')}` }),
      dataBase64: z.string().regex(BASE64, 'must be standard base64').meta({ description: `The file's bytes, base64; at most ${limits.attachmentBytes} bytes decoded` }),
    });
  const attachments = z.array(attachment).default([]).meta({ description: `At most ${limits.attachmentsPerReport} files per request` });

  const newReport = reportFieldsSchema(o).extend({ attachments });
  // Encrypted by the client to the desk's key (GET /openpgp-key.asc): the desk stores it unread.
  const sealedAttachments = z
    .array(attachment)
    .default([])
    .meta({ description: `Each file encrypted on its own to the desk key (an OpenPGP message, binary or armored), named *.pgp, contentType application/pgp-encrypted; at most ${limits.attachmentsPerReport}` });
  const newSealedReport = sealedFieldsSchema(o).extend({ attachments: sealedAttachments });
  const newMessage = z.strictObject({ body: messageBodySchema, attachments });
  const credit = creditSchema(o.creditOffered);

  const created = z.strictObject({ id: z.uuid(), number: z.int().positive(), trackingUrl: z.url(), token: z.string().min(20) });
  const messageCreated = z.strictObject({ id: z.uuid(), resumed: z.boolean().meta({ description: 'true when the reply ended the team’s wait for the reporter' }) });
  const file = z.strictObject({ id: z.uuid(), filename: z.string(), contentType: z.string(), size: z.int().nonnegative(), url: z.string() });
  const party = z.enum(['reporter', 'team', 'desk']);
  const instant = z.iso.datetime();
  const reporterReport = z
    .object({
      id: z.uuid(),
      number: z.int().positive(),
      title: z.string(),
      image: z.string().nullable(),
      tag: z.string().nullable(),
      description: z.string(),
      encrypted: z.boolean().meta({ description: 'true when the report was sent encrypted to the desk key: description is then the OpenPGP message, which only the team can decrypt' }),
      steps: z.string().nullable(),
      impact: z.string().nullable(),
      cvss: z.string().nullable(),
      reporterName: z.string().nullable(),
      reporterEmail: z.string().nullable(),
      language: z.string(),
      state: z.enum(REPORT_STATES),
      rejectionReason: z.string().nullable(),
      receivedAt: instant,
      credit: z.union([z.strictObject({ wish: z.literal('name'), name: z.string() }), z.strictObject({ wish: z.literal('none') })]),
      upstreamConsent: z.boolean(),
      deadlines: z.array(
        z.strictObject({
          stage: z.enum(STAGES),
          deadline: instant.nullable(),
          reachedAt: instant.nullable(),
          status: z.enum(['met', 'missed', 'running', 'due_soon', 'overdue', 'paused', 'not_applicable']),
          commitment: z.enum(['promise', 'best-effort']),
        }),
      ),
      timeline: z.array(
        z.strictObject({ at: instant, kind: z.string(), by: party, from: z.string().optional(), to: z.string().optional(), reason: z.string().optional(), credit: z.string().optional() }),
      ),
      messages: z.array(z.strictObject({ id: z.uuid(), at: instant, by: party, body: z.string(), attachments: z.array(file) })),
      attachments: z.array(file),
    });
  const problem = z
    .object({ error: z.strictObject({ code: z.string(), message: z.string(), fields: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional() }) });
  const upstreamConsent = z.strictObject({ consent: z.boolean() });
  return { attachment, newReport, newSealedReport, newMessage, credit, upstreamConsent, created, messageCreated, file, reporterReport, problem };
}

export type ReporterApiSchemas = ReturnType<typeof reporterApiSchemas>;
export type ApiReporterReport = z.input<ReporterApiSchemas['reporterReport']>;

const fileOut = (a: ReporterView['attachments'][number]) => ({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, url: `/api/v1/reporter/attachments/${a.id}` });
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The reporter's view as the API answers it: instants as ISO strings, files with their download path. */
export function apiReporterReport(v: ReporterView): ApiReporterReport {
  const { credit, receivedAt, ...report } = v.report;
  return {
    ...report,
    state: report.state as ApiReporterReport['state'],
    receivedAt: receivedAt.toISOString(),
    credit,
    deadlines: v.clocks.map((c) => ({ stage: c.stage, deadline: iso(c.deadline), reachedAt: iso(c.reachedAt), status: c.status, commitment: c.commitment })),
    timeline: v.timeline.map((e) => ({ ...e, at: e.at.toISOString() })),
    messages: v.messages.map((m) => ({ id: m.id, at: m.at.toISOString(), by: m.by, body: m.body, attachments: m.attachments.map(fileOut) })),
    attachments: v.attachments.map(fileOut),
  };
}
