import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../adapters/db/open-database.js';
import type { Context } from '../../context.js';
import { enqueueMail, type MailIntent } from './outbox.js';
import { recipientsByReport } from './team-recipients.js';

/**
 * Turns what happened on reports into mail, without the use cases knowing about mail: it reads the
 * timeline (report_events) and the conversation (messages) after a cursor kept in settings and
 * writes outbox rows keyed by the event or message. A transaction that commits late may carry an
 * earlier time than rows already read, so each pass reads again from OVERLAP before the cursor; the
 * dedupe keys make the second look harmless. Nothing before the cursor's floor (set when mail
 * arrived on the desk, migration 0006) is ever mailed.
 *
 * - a new report: to the team (members and admins; coordinators invited to it);
 * - every visible change by the team or the desk, and every message to the reporter: to the
 *   reporter, when they left an address. Their own actions, the receipt (which has its own mail)
 *   and the automatic acknowledgement (which is that mail) are not mailed.
 */
export const NOTIFIER_CURSOR = 'mail_notifier_cursor';
export const OVERLAP_MS = 15 * 60_000;
const PAGE = 200;

const cursorSchema = z.object({ floor: z.string().nullable().optional(), through: z.string().nullable().optional() });

type Deps = Pick<Context, 'db' | 'clock' | 'newId' | 'secretKey' | 'config'>;

interface Cursor {
  floor: Date | null;
  through: Date | null;
}

async function readCursor(db: Db): Promise<Cursor> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', NOTIFIER_CURSOR).executeTakeFirst();
  const parsed = cursorSchema.safeParse(row?.value ?? {});
  const date = (s: string | null | undefined) => (s ? new Date(s) : null);
  return parsed.success ? { floor: date(parsed.data.floor), through: date(parsed.data.through) } : { floor: null, through: null };
}

/** Moves the cursor forward only: two passes at once cannot move it back. */
async function advanceCursor(db: Db, cursor: Cursor, through: Date, now: Date): Promise<void> {
  if (cursor.through && cursor.through.getTime() >= through.getTime()) return;
  const value = { floor: cursor.floor?.toISOString() ?? null, through: through.toISOString() };
  await db
    .insertInto('settings')
    .values({ key: NOTIFIER_CURSOR, value, updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value, updated_at: now }).where(sql<boolean>`coalesce((settings.value->>'through')::timestamptz, '-infinity'::timestamptz) < ${through}`),
    )
    .execute();
}

export async function notifyEvents(deps: Deps): Promise<{ queued: number }> {
  const now = deps.clock();
  const cursor = await readCursor(deps.db);
  const floor = cursor.floor?.getTime() ?? -Infinity;
  const start = new Date(Math.max(floor, (cursor.through?.getTime() ?? -Infinity) - OVERLAP_MS, 0));
  const after = (at: Date) => at.getTime() > floor;
  let queued = 0;
  let newest: Date | null = null;
  const seen = (at: Date) => {
    if (!newest || at > newest) newest = at;
  };

  for (let last: { at: Date; id: number } = { at: start, id: -1 }; ; ) {
    const events = await deps.db
      .selectFrom('report_events')
      .innerJoin('reports', 'reports.id', 'report_events.report_id')
      .select(['report_events.id', 'report_events.at', 'report_events.kind', 'report_events.actor_kind', 'report_events.visible', 'report_events.data', 'reports.id as report_id', 'reports.reporter_email', 'reports.language'])
      .where(sql<boolean>`(report_events.at, report_events.id) > (${last.at}, ${last.id})`)
      .orderBy('report_events.at')
      .orderBy('report_events.id')
      .limit(PAGE)
      .execute();
    const fresh = events.filter((e) => after(e.at));
    const team = await recipientsByReport(
      deps.db,
      fresh.filter((e) => e.kind === 'received').map((e) => e.report_id),
    );
    const intents: MailIntent[] = [];
    for (const e of fresh) {
      if (e.kind === 'received') {
        for (const u of team.get(e.report_id) ?? []) {
          intents.push({ dedupeKey: `event:${e.id}:team:${u.id}`, kind: 'new-report', audience: 'team', reportId: e.report_id, userId: u.id, recipient: u.email, language: 'en', payload: { eventId: e.id } });
        }
      } else if (e.visible && e.actor_kind !== 'reporter' && e.reporter_email && e.data.automatic !== true) {
        intents.push({ dedupeKey: `event:${e.id}:reporter`, kind: 'event', audience: 'reporter', reportId: e.report_id, userId: null, recipient: e.reporter_email, language: e.language, payload: { eventId: e.id } });
      }
    }
    queued += await enqueueMail(deps.db, deps, intents, now);
    for (const e of events) seen(e.at);
    const tail = events.at(-1);
    if (!tail || events.length < PAGE) break;
    last = { at: tail.at, id: tail.id };
  }

  for (let last: { at: Date; id: string } = { at: start, id: '00000000-0000-0000-0000-000000000000' }; ; ) {
    const messages = await deps.db
      .selectFrom('messages')
      .innerJoin('reports', 'reports.id', 'messages.report_id')
      .select(['messages.id', 'messages.at', 'messages.author_kind', 'messages.internal', 'reports.id as report_id', 'reports.reporter_email', 'reports.language'])
      .where(sql<boolean>`(messages.at, messages.id) > (${last.at}, ${last.id}::uuid)`)
      .orderBy('messages.at')
      .orderBy('messages.id')
      .limit(PAGE)
      .execute();
    const intents: MailIntent[] = messages
      .filter((m) => after(m.at) && !m.internal && m.author_kind !== 'reporter' && m.reporter_email)
      .map((m) => ({ dedupeKey: `message:${m.id}:reporter`, kind: 'message', audience: 'reporter', reportId: m.report_id, userId: null, recipient: m.reporter_email!, language: m.language, payload: { messageId: m.id } }));
    queued += await enqueueMail(deps.db, deps, intents, now);
    for (const m of messages) seen(m.at);
    const tail = messages.at(-1);
    if (!tail || messages.length < PAGE) break;
    last = { at: tail.at, id: tail.id };
  }

  const through = newest as Date | null;
  if (through) await advanceCursor(deps.db, cursor, through, now);
  return { queued };
}
