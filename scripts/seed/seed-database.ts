import { randomBytes } from 'node:crypto';
import { sql, type Insertable } from 'kysely';
import type { Db } from '../../src/adapters/db/open-database.js';
import type { Tables } from '../../src/adapters/db/tables.js';
import { hashPassword } from '../../src/adapters/crypto/passwords.js';
import { AUDIT_HEAD, sha256Hex } from '../../src/app/audit.js';
import { freezeUnfrozen, unfrozenIdents } from '../../src/app/advisories/freeze-advisory.js';
import { AppError } from '../../src/app/errors.js';
import { createLogger } from '../../src/context.js';
import { chainInput, GENESIS_HASH, type AuditEntryContent } from '../../src/domain/audit/chain.js';
import type { Advisory } from '../../src/domain/advisories/schema.js';
import type { Policy } from '../../src/domain/policy/schema.js';
import { seedAdvisories } from './advisories.js';
import { seedInventory } from './images.js';
import { Random } from './random.js';
import { seedReports, type AuditDraft, type TeamMemberRef } from './reports.js';

export interface SeedOptions {
  reports: number;
  advisories: number;
  tags: number;
  /** The moment the data is seeded against: reports arrive over the two years before it. */
  now: Date;
  /** The generator's seed: the same seed, sizes and now write the same data. */
  seed: number;
  policy: Policy;
  /** The example advisory the seeded ones are made from. */
  template: Advisory;
  /** The address the desk serves at: the published advisories are frozen with documents that name it. */
  baseUrl: URL;
  progress?: (message: string) => void;
}

export interface SeedSummary {
  users: number;
  reports: number;
  byState: Record<string, number>;
  events: number;
  messages: number;
  advisories: number;
  advisoriesByState: Record<string, number>;
  repositories: number;
  tags: number;
  manifests: number;
  auditEntries: number;
}

/** What must be empty before seeding: the seed adds a world of its own and never mixes it with real data. */
const MUST_BE_EMPTY = ['reports', 'advisories', 'image_tags', 'audit_log'] as const;

/** Refuses a database that already holds reports, advisories, image tags or audit entries. */
export async function assertEmpty(db: Db): Promise<void> {
  for (const table of MUST_BE_EMPTY) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const n = Number(row.n);
    if (n > 0) throw new AppError('conflict', `the database already holds data (${n} rows in ${table}); the seed writes only into an empty desk database: point DATABASE_URL or CVDESK_DATA_DIR at a new one`);
  }
}

/**
 * Seeds a migrated, empty desk database with a team, `reports` reports, `advisories` advisories
 * and `tags` image tags of the policy's repositories, all in one transaction: either the whole
 * world is there or nothing is.
 */
export async function seedDatabase(db: Db, o: SeedOptions): Promise<SeedSummary> {
  const say = o.progress ?? (() => {});
  await assertEmpty(db);
  const rnd = new Random(o.seed);
  const now = o.now;

  const passwordHash = await hashPassword(randomBytes(24).toString('base64')); // nobody signs in as a seeded member
  const team: Array<TeamMemberRef & { name: string; email: string }> = [
    { role: 'admin', name: 'Seeded Admin' },
    ...Array.from({ length: 8 }, (_, i) => ({ role: 'member' as const, name: `Seeded Member ${i + 1}` })),
    ...Array.from({ length: 2 }, (_, i) => ({ role: 'coordinator' as const, name: `Seeded Coordinator ${i + 1}` })),
  ].map((u, i) => ({ ...u, role: u.role as TeamMemberRef['role'], id: rnd.uuid(), email: `seed-${i + 1}-${o.seed}@cvdesk.invalid` }));

  say(`generating ${o.tags} image tags`);
  const repositories = o.policy.project.images.map((i) => i.name);
  const inventory = seedInventory(rnd, { repositories, variants: o.policy.tags.variants, aliases: o.policy.tags.rollingAliases, total: o.tags, now });
  const versions = [...inventory.versions.values()].flat();
  say(`generating ${o.reports} reports`);
  const reports = seedReports(rnd, { count: o.reports, now, policy: o.policy, team, versions });
  say(`generating ${o.advisories} advisories`);
  const inventories = new Map(repositories.map((r) => [r, inventory.tags.filter((t) => t.repository === r).map((t) => ({ tag: t.tag, digest: t.digest }))]));
  const advisories = seedAdvisories(rnd, { count: o.advisories, now, policy: o.policy, template: o.template, reports: reports.reports, team, versions, inventories });
  const audit = chain([...reports.audit, ...advisories.audit]);
  const grants = team
    .filter((u) => u.role === 'coordinator')
    .flatMap((u) => Array.from({ length: Math.min(5, reports.reports.length) }, (_, k) => ({ user_id: u.id, report_id: reports.reports[reports.reports.length - 1 - ((k * 7) % reports.reports.length)]!.id, granted_by: team[0]!.id, created_at: now })))
    .filter((g, i, all) => all.findIndex((h) => h.user_id === g.user_id && h.report_id === g.report_id) === i);

  await db.transaction().execute(async (trx) => {
    const put = async <T extends keyof Tables & string>(table: T, rows: readonly object[]) => {
      if (rows.length === 0) return;
      say(`writing ${rows.length} rows into ${table}`);
      const columns = Object.keys(rows[0]!).length;
      const size = Math.max(1, Math.floor(30_000 / columns));
      for (let i = 0; i < rows.length; i += size) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are built to the table's shape above
        await trx.insertInto(table).values(rows.slice(i, i + size) as any).execute();
      }
    };
    await put(
      'users',
      team.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, password_hash: passwordHash, totp_secret: null, totp_enabled_at: null, totp_last_step: null, created_at: new Date(now.getTime() - 800 * 86_400_000), last_active_at: now, removed_at: null })),
    );
    await put('reports', reports.reports);
    const numbers = await trx.selectFrom('reports').select((eb) => [eb.fn.min<number>('number').as('lo'), eb.fn.max<number>('number').as('hi')]).executeTakeFirstOrThrow();
    if (reports.reports.length && (Number(numbers.lo) !== 1 || Number(numbers.hi) !== reports.reports.length)) {
      throw new AppError('conflict', `the report numbers of this database do not start at 1 (it held reports once); seed a new database`);
    }
    await put('report_events', [...reports.events, ...advisories.events]);
    await put('report_pauses', reports.pauses);
    await put('messages', reports.messages);
    await put('forge_imports', reports.forgeImports);
    await put('coordinator_grants', grants);
    await put(
      'image_repositories',
      repositories.map((name) => ({ name, last_sync_at: now, last_success_at: now, last_error: null })),
    );
    await put('image_manifests', inventory.manifests);
    await put('image_tags', inventory.tags);
    await put(
      'image_syncs',
      repositories.map((repository) => {
        const n = inventory.tags.filter((t) => t.repository === repository).length;
        return { id: rnd.uuid(), repository, started_at: new Date(now.getTime() - 60_000), finished_at: now, status: 'succeeded', tags_total: n, manifests_fetched: inventory.manifests.filter((m) => m.repository === repository).length, tags_added: n, tags_changed: 0, tags_removed: 0, error: null };
      }),
    );
    await put('advisories', advisories.advisories);
    await put('advisory_revisions', advisories.revisions);
    await put('advisory_reports', advisories.links);
    await put('audit_log', audit.rows);
    if (audit.head) {
      await trx
        .insertInto('settings')
        .values({ key: AUDIT_HEAD, value: audit.head, updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: audit.head, updated_at: now }))
        .execute();
    }
  });
  await freezePublished(db, o.policy, o.baseUrl, say);
  say('analyzing');
  await sql`analyze`.execute(db);

  const count = <T extends { state?: unknown }>(rows: readonly T[]) => rows.reduce<Record<string, number>>((m, r) => ((m[String(r.state)] = (m[String(r.state)] ?? 0) + 1), m), {});
  return {
    users: team.length,
    reports: reports.reports.length,
    byState: count(reports.reports),
    events: reports.events.length + advisories.events.length,
    messages: reports.messages.length,
    advisories: advisories.advisories.length,
    advisoriesByState: count(advisories.advisories),
    repositories: repositories.length,
    tags: inventory.tags.length,
    manifests: inventory.manifests.length,
    auditEntries: audit.rows.length,
  };
}

/**
 * Freezes the published advisories that are not frozen yet as publication freezes them (documents,
 * inventory snapshot, affected images), by the desk's own code. What cannot be frozen is an error.
 */
export async function freezePublished(db: Db, policy: Policy, baseUrl: URL, say: (message: string) => void = () => {}): Promise<void> {
  say('freezing the published advisories');
  let shown = 0;
  await freezeUnfrozen({ db, policy, config: { baseUrl }, log: createLogger('warn', process.stderr) }, (n, of) => {
    if (n === of || n - shown >= 1000) say(`froze ${(shown = n)} of ${of} advisories`);
  });
  const left = await unfrozenIdents(db, ['published', 'withdrawn']);
  if (left.length) throw new AppError('internal', `seed: ${left.length} published advisories could not be frozen (the first: ${left[0]}); see the log above`);
}

/** The audit entries in time order, hash-chained as appendAudit chains them. */
function chain(drafts: AuditDraft[]): { rows: Array<Insertable<Tables['audit_log']>>; head: { seq: number; hash: string } | null } {
  const sorted = drafts.map((d, i) => ({ d, i })).sort((a, b) => a.d.at.getTime() - b.d.at.getTime() || a.i - b.i);
  let prevHash = GENESIS_HASH;
  const rows = sorted.map(({ d }, k) => {
    const content: AuditEntryContent = { seq: k + 1, at: d.at.toISOString(), actorKind: d.actorKind, actorId: d.actorId, action: d.action, reportId: d.reportId, detail: d.detail };
    const hash = sha256Hex(chainInput(prevHash, content));
    const row = { seq: content.seq, at: d.at, actor_kind: d.actorKind, actor_id: d.actorId, action: d.action, report_id: d.reportId, detail: d.detail, prev_hash: prevHash, hash };
    prevHash = hash;
    return row;
  });
  return { rows, head: rows.length ? { seq: rows.length, hash: prevHash } : null };
}
