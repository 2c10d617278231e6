import { z } from 'zod';
import type { Db } from '../adapters/db/open-database.js';
import { appendAudit } from './audit.js';
import { AppError } from './errors.js';

/**
 * Notices for the admins: things the desk noticed on its own (a security.txt about to expire, a
 * job that keeps failing) that a person should see. One settings row per notice key, so that the
 * same condition seen again updates its notice instead of adding another, and concurrent desk
 * processes cannot lose each other's notices (no read-modify-write of a shared list).
 */
export type NoticeLevel = 'info' | 'warn' | 'bad';

export interface AdminNotice {
  key: string;
  level: NoticeLevel;
  message: string;
  /** When this notice was first raised (or raised again after a dismissal). */
  raisedAt: string;
  /** When the condition was last seen. */
  lastSeenAt: string;
  /** How often it was seen since it was raised. */
  count: number;
  dismissedAt: string | null;
  dismissedBy: string | null;
}

const PREFIX = 'admin_notice:';

const noticeSchema = z.object({
  key: z.string(),
  level: z.enum(['info', 'warn', 'bad']),
  message: z.string(),
  raisedAt: z.string(),
  lastSeenAt: z.string(),
  count: z.number(),
  dismissedAt: z.string().nullable(),
  dismissedBy: z.string().nullable(),
});

const inputSchema = z.object({
  key: z.string().min(1).max(200),
  level: z.enum(['info', 'warn', 'bad']),
  message: z.string().min(1).max(2000),
});

/**
 * Raises a notice, or refreshes the one with the same key: message and level are replaced and the
 * count goes up. A dismissed notice raised again comes back, since the condition has recurred.
 * `db` may be a transaction, so the notice lands with the change it reports.
 */
export async function addAdminNotice(db: Db, input: { key: string; level: NoticeLevel; message: string }, now: Date): Promise<{ notice: AdminNotice; created: boolean }> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid_input', `an admin notice needs a key and a message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { key, level, message } = parsed.data;
  const row = await db.selectFrom('settings').select('value').where('key', '=', PREFIX + key).forUpdate().executeTakeFirst();
  const old = row ? noticeSchema.safeParse(row.value) : null;
  const at = now.toISOString();
  const active = old?.success && old.data.dismissedAt === null ? old.data : null;
  const notice: AdminNotice = active
    ? { ...active, level, message, lastSeenAt: at, count: active.count + 1 }
    : { key, level, message, raisedAt: at, lastSeenAt: at, count: 1, dismissedAt: null, dismissedBy: null };
  await db
    .insertInto('settings')
    .values({ key: PREFIX + key, value: notice, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: notice, updated_at: now }))
    .execute();
  return { notice, created: active === null };
}

const LEVEL_ORDER: Record<NoticeLevel, number> = { bad: 0, warn: 1, info: 2 };

/** The notices to show: active ones by default, worst first, then newest first. */
export async function listAdminNotices(db: Db, options: { includeDismissed?: boolean } = {}): Promise<AdminNotice[]> {
  const rows = await db.selectFrom('settings').select('value').where('key', 'like', `${PREFIX}%`).execute();
  return rows
    .map((r) => noticeSchema.safeParse(r.value))
    .filter((r) => r.success)
    .map((r) => r.data)
    .filter((n) => options.includeDismissed || n.dismissedAt === null)
    .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || b.lastSeenAt.localeCompare(a.lastSeenAt) || a.key.localeCompare(b.key));
}

/** An admin has read and handled a notice. Audited, like every change a person makes. */
export async function dismissAdminNotice(
  db: Db,
  input: { key: string; userId: string },
  now: Date,
): Promise<{ ok: true; notice: AdminNotice } | { ok: false; reason: 'not_found' | 'already_dismissed' }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('settings').select('value').where('key', '=', PREFIX + input.key).forUpdate().executeTakeFirst();
    const parsed = row ? noticeSchema.safeParse(row.value) : null;
    if (!parsed?.success) return { ok: false as const, reason: 'not_found' as const };
    if (parsed.data.dismissedAt !== null) return { ok: false as const, reason: 'already_dismissed' as const };
    const notice: AdminNotice = { ...parsed.data, dismissedAt: now.toISOString(), dismissedBy: input.userId };
    await trx.updateTable('settings').set({ value: notice, updated_at: now }).where('key', '=', PREFIX + input.key).execute();
    await appendAudit(trx, { actorKind: 'user', actorId: input.userId, action: 'admin_notice.dismissed', detail: { key: input.key } }, now);
    return { ok: true as const, notice };
  });
}
