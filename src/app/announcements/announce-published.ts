import type { Context } from '../../context.js';
import { PUBLISHED_EVENT } from '../../formats/announcement.js';
import { enqueueMail } from '../notifications/outbox.js';

type Deps = Pick<Context, 'db' | 'clock' | 'newId' | 'secretKey' | 'config' | 'log'>;

export interface AnnounceRun {
  announced: Array<{ ident: string; mails: number; webhooks: number }>;
}

/**
 * The announcement job: each published advisory not yet announced gets, in one transaction, its
 * announcements row, an outbox row per confirmed subscriber and a delivery per active webhook. The
 * row's primary key decides which process announces (the other's insert finds it and does
 * nothing), so each publication is announced once. Only rows in state 'published' are looked at:
 * drafts, scheduled and withdrawn advisories are never announced. The mail and the webhook body
 * are made when they go out, from the public advisory.
 */
export async function announcePublished(deps: Deps): Promise<AnnounceRun> {
  const due = await deps.db
    .selectFrom('advisories as a')
    .select(['a.id', 'a.ident'])
    .where('a.state', '=', 'published')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('announcements as n').select('n.advisory_id').whereRef('n.advisory_id', '=', 'a.id').where('n.event', '=', 'published'))))
    .orderBy('a.published_at')
    .execute();
  const run: AnnounceRun = { announced: [] };
  for (const a of due) {
    const done = await announceOne(deps, a);
    if (done) run.announced.push(done);
  }
  return run;
}

async function announceOne(deps: Deps, a: { id: string; ident: string }): Promise<AnnounceRun['announced'][number] | null> {
  const now = deps.clock();
  const done = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('advisories').select(['state', 'revision']).where('id', '=', a.id).forShare().executeTakeFirst();
    if (row?.state !== 'published') return null;
    const claimed = await trx
      .insertInto('announcements')
      .values({ advisory_id: a.id, event: 'published', revision: row.revision, announced_at: now, mails: 0, webhooks: 0 })
      .onConflict((oc) => oc.columns(['advisory_id', 'event']).doNothing())
      .returning('advisory_id')
      .executeTakeFirst();
    if (!claimed) return null; // another desk process announced it
    const subscribers = await trx.selectFrom('subscribers').select(['id', 'email', 'language']).where('state', '=', 'confirmed').orderBy('created_at').execute();
    const mails = await enqueueMail(
      trx,
      deps,
      subscribers.map((s) => ({
        dedupeKey: `announcement:${a.id}:published:${s.id}`,
        kind: 'announcement' as const,
        audience: 'subscriber' as const,
        reportId: null,
        userId: null,
        recipient: s.email,
        language: s.language,
        payload: { advisoryId: a.id, ident: a.ident, event: 'published', subscriberId: s.id },
      })),
      now,
    );
    const hooks = await trx.selectFrom('webhooks').select('id').where('active', '=', true).execute();
    if (hooks.length) {
      await trx
        .insertInto('webhook_deliveries')
        .values(hooks.map((h) => ({ id: deps.newId(), webhook_id: h.id, advisory_id: a.id, event: PUBLISHED_EVENT, status: 'pending' as const, next_attempt_at: now, locked_until: null, last_status: null, last_error: null, created_at: now, delivered_at: null })))
        .onConflict((oc) => oc.columns(['webhook_id', 'advisory_id', 'event']).doNothing())
        .execute();
    }
    await trx.updateTable('announcements').set({ mails, webhooks: hooks.length }).where('advisory_id', '=', a.id).where('event', '=', 'published').execute();
    return { ident: a.ident, mails, webhooks: hooks.length };
  });
  if (done) deps.log.info({ advisory: done.ident, mails: done.mails, webhooks: done.webhooks }, 'advisory announced');
  return done;
}
