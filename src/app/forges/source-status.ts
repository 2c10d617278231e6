import type { Context } from '../../context.js';
import { addAdminNotice } from '../admin-notices.js';

/** What one poll of one forge source did. */
export interface SourcePollResult {
  source: string;
  imported: number[];
  existing: number;
  /** Items left out (malformed, or refused by the report rules), named. */
  problems: string[];
  /** The whole source could not be read: nothing of it was imported this time. */
  error: string | null;
}

/**
 * Records a poll's outcome on the source's row, and raises an admin notice when something went
 * wrong, so that a token that expired or a forge that answers nonsense is seen by a person and
 * not only in a log. The notice names no secret: messages come from the forge clients, which
 * never put a header in a message.
 */
export async function recordSourcePoll(deps: Pick<Context, 'db'>, r: SourcePollResult, now: Date): Promise<void> {
  const trouble = [r.error, ...r.problems].filter((x): x is string => !!x);
  const lastError = trouble.length > 0 ? trouble.join('\n').slice(0, 4000) : null;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('forge_sources')
      .values({ source: r.source, last_poll_at: now, last_success_at: r.error ? null : now, last_error: lastError, last_imported: r.imported.length })
      .onConflict((oc) =>
        oc.column('source').doUpdateSet((eb) => ({
          last_poll_at: now,
          last_success_at: r.error ? eb.ref('forge_sources.last_success_at') : now,
          last_error: lastError,
          last_imported: r.imported.length,
        })),
      )
      .execute();
    if (lastError) {
      const more = trouble.length > 1 ? ` (and ${trouble.length - 1} more problem${trouble.length > 2 ? 's' : ''})` : '';
      await addAdminNotice(trx, { key: `forge:${r.source}`, level: r.error ? 'bad' : 'warn', message: `${trouble[0]!.slice(0, 1500)}${more}` }, now);
    }
  });
}

/** One line per failed source, or null when all went well: what a scheduled run records as its error. */
export function pollFailure(results: SourcePollResult[]): string | null {
  const bad = results.filter((r) => r.error || r.problems.length > 0);
  if (bad.length === 0) return null;
  return bad.map((r) => `${r.source}: ${r.error ?? r.problems[0]}`).join('\n');
}

/**
 * Reads every source in turn (one that fails does not stop the others), records each outcome for
 * the source status and notices, and logs what was imported or what failed, in the caller's words.
 */
export async function pollEachSource<S extends { key: string }>(
  deps: Pick<Context, 'db' | 'log' | 'clock'>,
  sources: readonly S[],
  pollOne: (source: S) => Promise<SourcePollResult>,
  words: { imported: string; failed: string },
): Promise<SourcePollResult[]> {
  const results: SourcePollResult[] = [];
  for (const source of sources) {
    const result = await pollOne(source);
    await recordSourcePoll(deps, result, deps.clock());
    if (result.imported.length > 0) deps.log.info({ source: source.key, reports: result.imported }, words.imported);
    if (result.error) deps.log.warn({ source: source.key, error: result.error }, words.failed);
    results.push(result);
  }
  return results;
}
