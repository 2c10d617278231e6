import type { Context } from '../../context.js';
import { nextDue, reportClocks, type StageClock } from '../../domain/reports/sla-status.js';
import type { REPORT_STATES } from '../../domain/reports/states.js';
import { clockInput } from './report-for-team.js';
import { pausesByReport } from './report-pauses.js';

export const DUE_FILTERS = ['due_soon', 'overdue'] as const;
export const CHANNELS = ['web', 'api', 'email', 'github', 'gitlab'] as const;
export const SEVERITY_FILTERS = ['none', 'low', 'medium', 'high', 'critical', 'unrated'] as const;

export interface InboxFilters {
  /** A state, or "open" (everything not rejected or disclosed), or undefined for all. */
  state?: (typeof REPORT_STATES)[number] | 'open';
  severity?: (typeof SEVERITY_FILTERS)[number];
  channel?: (typeof CHANNELS)[number];
  due?: (typeof DUE_FILTERS)[number];
  /** Coordinators see only the reports they were invited to. */
  onlyGrantedTo?: string;
}

export interface InboxRow {
  id: string;
  number: number;
  title: string;
  state: string;
  severity: string | null;
  channel: string;
  image: string | null;
  tag: string | null;
  receivedAt: Date;
  assignee: string | null;
  next: StageClock | null;
}

type Deps = Pick<Context, 'db' | 'policy' | 'clock'>;

const CLOSED = ['rejected', 'disclosed'];

/** Rows an inbox page shows: enough to scan, few enough to render fast with 100,000 reports stored. */
export const INBOX_PAGE_SIZE = 100;

export interface InboxPageResult {
  rows: InboxRow[];
  /** How many reports match the filters, on every page. */
  total: number;
  page: number;
  pageSize: number;
}

function inboxQuery(deps: Deps, f: InboxFilters) {
  let q = deps.db
    .selectFrom('reports')
    .leftJoin('users', 'users.id', 'reports.assignee_id')
    .select([
      'reports.id',
      'reports.number',
      'reports.title',
      'reports.state',
      'reports.severity',
      'reports.channel',
      'reports.image',
      'reports.tag',
      'reports.received_at',
      'reports.acknowledged_at',
      'reports.triaged_at',
      'reports.fixed_at',
      'reports.disclosed_at',
      'users.name as assignee',
    ]);
  if (f.state === 'open') q = q.where('reports.state', 'not in', CLOSED);
  else if (f.state) q = q.where('reports.state', '=', f.state);
  // a rejected or disclosed report has no clock left: it is never due
  if (f.due && f.state !== 'open') q = q.where('reports.state', 'not in', CLOSED);
  if (f.severity === 'unrated') q = q.where('reports.severity', 'is', null);
  else if (f.severity) q = q.where('reports.severity', '=', f.severity);
  if (f.channel) q = q.where('reports.channel', '=', f.channel);
  if (f.onlyGrantedTo) {
    const userId = f.onlyGrantedTo;
    q = q.where((eb) => eb.exists(eb.selectFrom('coordinator_grants').select('report_id').whereRef('coordinator_grants.report_id', '=', 'reports.id').where('coordinator_grants.user_id', '=', userId)));
  }
  return q;
}

type InboxQueryRow = Awaited<ReturnType<ReturnType<typeof inboxQuery>['execute']>>[number];

async function withClocks(deps: Deps, rows: InboxQueryRow[]): Promise<InboxRow[]> {
  const now = deps.clock();
  const pausesOf = await pausesByReport(deps.db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    state: r.state,
    severity: r.severity,
    channel: r.channel,
    image: r.image,
    tag: r.tag,
    receivedAt: r.received_at,
    assignee: r.assignee,
    next: nextDue(reportClocks(deps.policy, clockInput(r), pausesOf.get(r.id) ?? [], now)),
  }));
}

/**
 * Every report that matches, with the clock that is due next, the most urgent first. Urgency needs
 * each report's clocks (the policy's calendar, pauses), so every matching report is read: with the
 * default "open" filter that is the open reports only. Closed-only filters go through listInboxPage.
 */
export async function listInbox(deps: Deps, f: InboxFilters): Promise<InboxRow[]> {
  const out = await withClocks(deps, await inboxQuery(deps, f).execute());
  const filtered = f.due === 'overdue' ? out.filter((r) => r.next?.status === 'overdue') : f.due === 'due_soon' ? out.filter((r) => r.next?.status === 'due_soon') : out;
  return filtered.sort(byUrgency);
}

/**
 * One page of the inbox. Open reports are ordered by urgency (all of them are read for that, see
 * listInbox); a filter for rejected or disclosed reports, which have no clocks, is ordered by
 * arrival and paged in the database, so 60,000 closed reports cost one page of rows.
 */
export async function listInboxPage(deps: Deps, f: InboxFilters, page = 1, pageSize = INBOX_PAGE_SIZE): Promise<InboxPageResult> {
  const offset = (page - 1) * pageSize;
  if ((f.state === 'rejected' || f.state === 'disclosed') && !f.due) {
    const q = inboxQuery(deps, f);
    const counted = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q.orderBy('reports.received_at', 'desc').orderBy('reports.number', 'desc').limit(pageSize).offset(offset).execute();
    return { rows: await withClocks(deps, rows), total: Number(counted.n), page, pageSize };
  }
  const all = await listInbox(deps, f);
  return { rows: all.slice(offset, offset + pageSize), total: all.length, page, pageSize };
}

const urgency = (r: InboxRow) => (r.next?.status === 'overdue' ? 0 : r.next?.status === 'due_soon' ? 1 : r.next ? 2 : 3);

function byUrgency(a: InboxRow, b: InboxRow): number {
  return urgency(a) - urgency(b) || (a.next?.deadline?.getTime() ?? Infinity) - (b.next?.deadline?.getTime() ?? Infinity) || b.receivedAt.getTime() - a.receivedAt.getTime();
}
