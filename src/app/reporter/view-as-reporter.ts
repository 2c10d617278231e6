import type { Context } from '../../context.js';
import type { CreditWish } from '../../domain/reports/report-input.js';
import { reportClocks, type StageClock } from '../../domain/reports/sla-status.js';
import { auditRead } from '../audit.js';
import { AppError } from '../errors.js';
import { clockInput } from '../reports/report-for-team.js';
import { pausesByReport } from '../reports/report-pauses.js';

export type Party = 'reporter' | 'team' | 'desk';

export interface ReporterAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

/** What the reporter may see of their report: never the team's notes, assignee or internal events. */
export interface ReporterView {
  report: {
    id: string;
    number: number;
    title: string;
    image: string | null;
    tag: string | null;
    description: string;
    /** Sent encrypted to the desk key (the browser or mail encrypted it): the description is the OpenPGP message, which only the team can read. */
    encrypted: boolean;
    steps: string | null;
    impact: string | null;
    cvss: string | null;
    reporterName: string | null;
    reporterEmail: string | null;
    language: string;
    state: string;
    rejectionReason: string | null;
    receivedAt: Date;
    credit: CreditWish;
    /** Whether the reporter agreed that the team may share the report with an upstream project. */
    upstreamConsent: boolean;
  };
  clocks: StageClock[];
  timeline: Array<{ at: Date; kind: string; by: Party; from?: string; to?: string; reason?: string; credit?: string }>;
  messages: Array<{ id: string; at: Date; by: Party; body: string; attachments: ReporterAttachment[] }>;
  attachments: ReporterAttachment[];
}

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

const party = (kind: string): Party => (kind === 'reporter' ? 'reporter' : kind === 'user' ? 'team' : 'desk');
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The reporter's view of one report (found by their token beforehand); the read is audited. */
export async function viewAsReporter(deps: Deps, reportId: string): Promise<ReporterView> {
  const db = deps.db;
  const now = deps.clock();
  const r = await db.selectFrom('reports').selectAll().where('id', '=', reportId).executeTakeFirst();
  if (!r) throw new AppError('not_found', 'There is no such report.');
  const [events, messages, attachments, pauses] = await Promise.all([
    db.selectFrom('report_events').select(['at', 'kind', 'actor_kind', 'data']).where('report_id', '=', reportId).where('visible', '=', true).orderBy('id').execute(),
    db.selectFrom('messages').select(['id', 'at', 'author_kind', 'body']).where('report_id', '=', reportId).where('internal', '=', false).orderBy('at').orderBy('id').execute(),
    // Files of the report itself and of messages the reporter can see; a note's files stay with the team.
    db
      .selectFrom('attachments')
      .leftJoin('messages', 'messages.id', 'attachments.message_id')
      .select(['attachments.id', 'attachments.message_id', 'attachments.filename', 'attachments.content_type', 'attachments.size'])
      .where('attachments.report_id', '=', reportId)
      .where((eb) => eb.or([eb('attachments.message_id', 'is', null), eb('messages.internal', '=', false)]))
      .orderBy('attachments.created_at')
      .orderBy('attachments.id')
      .execute(),
    pausesByReport(db, [reportId]),
  ]);
  await auditRead(db, { actorKind: 'reporter', action: 'report.read', reportId }, now);
  const file = (a: (typeof attachments)[number]): ReporterAttachment => ({ id: a.id, filename: a.filename, contentType: a.content_type, size: a.size });
  return {
    report: {
      id: r.id,
      number: r.number,
      title: r.title,
      image: r.image,
      tag: r.tag,
      description: r.description,
      encrypted: r.encrypted,
      steps: r.steps,
      impact: r.impact,
      cvss: r.reporter_cvss,
      reporterName: r.reporter_name,
      reporterEmail: r.reporter_email,
      language: r.language,
      state: r.state,
      rejectionReason: r.rejection_reason,
      receivedAt: r.received_at,
      credit: r.credit_name ? { wish: 'name', name: r.credit_name } : { wish: 'none' },
      upstreamConsent: r.upstream_consent,
    },
    clocks: reportClocks(deps.policy, clockInput(r), pauses.get(reportId) ?? [], now),
    // Only the fields a reporter may read; event data can hold more for the team.
    timeline: events.map((e) => ({
      at: e.at,
      kind: e.kind,
      by: party(e.actor_kind),
      ...(str(e.data.from) ? { from: str(e.data.from) } : {}),
      ...(str(e.data.to) ? { to: str(e.data.to) } : {}),
      ...(str(e.data.reason) ? { reason: str(e.data.reason) } : {}),
      ...(str(e.data.credit) ? { credit: str(e.data.credit) } : {}),
    })),
    messages: messages.map((m) => ({ id: m.id, at: m.at, by: party(m.author_kind), body: m.body, attachments: attachments.filter((a) => a.message_id === m.id).map(file) })),
    attachments: attachments.filter((a) => a.message_id === null).map(file),
  };
}
