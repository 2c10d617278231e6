import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationNames } from '../../src/adapters/db/migrate.js';
import { openDatabase, type Database, type DatabaseTarget, type Db } from '../../src/adapters/db/open-database.js';
import { auditRead } from '../../src/app/audit.js';
import { testEngine } from '../support/database.js';
import { runCli } from '../support/run-cli.js';

/**
 * `cvdesk db migrate` and `cvdesk audit verify` through the real entry point, on a database of
 * their own: an embedded one in a temporary data folder, or (with CVDESK_TEST_DATABASE_URL) a new
 * database on the PostgreSQL server, named by DATABASE_URL and without CVDESK_SECRET_KEY.
 */
describe(`cvdesk db migrate and audit verify on ${testEngine()}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-audit-cli-'));
  let env: Record<string, string>;
  let target: DatabaseTarget;
  let dropDatabase = async () => {};
  /** PostgreSQL: one pool for the whole file. PGlite: opened per use, never while the CLI has it open. */
  let shared: Database | null = null;

  beforeAll(async () => {
    const server = process.env.CVDESK_TEST_DATABASE_URL;
    if (!server) {
      env = { CVDESK_DATA_DIR: dir };
      target = { kind: 'pglite', dataDir: join(dir, 'db') };
      return;
    }
    const name = `cvdesk_cli_${Date.now().toString(36)}`;
    const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: server, max: 1 }) }) });
    await sql`create database ${sql.id(name)}`.execute(admin);
    const url = new URL(server);
    url.pathname = `/${name}`;
    env = { DATABASE_URL: url.toString() };
    target = { kind: 'postgres', url: url.toString() };
    dropDatabase = async () => {
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
      await admin.destroy();
    };
  });
  afterAll(async () => {
    await shared?.close();
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (target.kind === 'postgres') {
      shared ??= await openDatabase(target);
      return fn(shared.db);
    }
    const database = await openDatabase(target);
    try {
      return await fn(database.db);
    } finally {
      await database.close();
    }
  }

  const verify = (...flags: string[]) => runCli(['audit', 'verify', ...flags], { env });

  it('audit verify before there is a cvdesk database: exit 2, saying why', async () => {
    const r = await verify();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(target.kind === 'pglite' ? /there is no database at .*db \(set CVDESK_DATA_DIR/ : /has no audit log .*run cvdesk db migrate/);
  });

  it('db migrate applies every migration, and then has nothing to do', async () => {
    const first = await runCli(['db', 'migrate', '--json'], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.json()).toEqual({ applied: migrationNames(), current: migrationNames().at(-1), migrations: migrationNames().length });
    const again = await runCli(['db', 'migrate'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/is up to date \(\d+ migrations, newest /);
  }, 60_000);

  it('an empty log is intact', async () => {
    const r = await verify();
    expect(r.stdout).toBe('intact: 0 entries\n');
    expect(r.code).toBe(0);
  });

  it('an intact log of 25 entries', async () => {
    await withDb(async (db) => {
      for (let i = 0; i < 25; i++) await auditRead(db, { actorKind: 'user', actorId: 'u1', action: 'report.read', detail: { i, note: 'ä "quoted" <b>' } }, new Date(Date.UTC(2026, 10, 23, 10, 0, i, 123)));
    });
    const r = await verify();
    expect(r.stdout).toBe('intact: 25 entries\n');
    expect(r.code).toBe(0);
    expect((await verify('--json')).json()).toEqual({ intact: true, entries: 25, lastSeq: 25 });
  });

  /** Tampers with SQL, runs verify, then undoes the tampering and checks the log is intact again. */
  async function tampered(change: string, undo: string, withJson = false) {
    await withDb((db) => sql.raw(change).execute(db));
    const text = await verify();
    const json = withJson ? await verify('--json') : text;
    await withDb((db) => sql.raw(undo).execute(db));
    expect((await verify()).code).toBe(0);
    return { text, json };
  }

  it('detects an UPDATE of a row’s detail', async () => {
    const original = await withDb((db) => db.selectFrom('audit_log').select('detail').where('seq', '=', 13).executeTakeFirstOrThrow());
    const { text, json } = await tampered(`update audit_log set detail = '{"i": 12, "note": "nothing to see"}' where seq = 13`, `update audit_log set detail = '${JSON.stringify(original.detail)}' where seq = 13`, true);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^audit log broken at seq 13: its content does not match its hash/);
    expect(text.stdout).toContain('12 entries before it verify.');
    expect(json.code).toBe(1);
    expect(json.json()).toMatchObject({ intact: false, entries: 12, break: { seq: 13, problem: 'hash_mismatch' } });
  });

  it('detects a DELETE of a middle row', async () => {
    const row = await withDb((db) => db.selectFrom('audit_log').selectAll().where('seq', '=', 8).executeTakeFirstOrThrow());
    const restore = `insert into audit_log (seq, at, actor_kind, actor_id, action, report_id, detail, prev_hash, hash) values (8, '${row.at.toISOString()}', '${row.actor_kind}', '${row.actor_id}', '${row.action}', null, '${JSON.stringify(row.detail)}', '${row.prev_hash}', '${row.hash}')`;
    const { text, json } = await tampered('delete from audit_log where seq = 8', restore, true);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^audit log broken at seq 9: the entry before it is missing/);
    expect(json.json()).toMatchObject({ intact: false, entries: 7, break: { seq: 9, problem: 'gap' } });
  });

  it('detects a changed prev_hash', async () => {
    const row = await withDb((db) => db.selectFrom('audit_log').select('prev_hash').where('seq', '=', 20).executeTakeFirstOrThrow());
    const { text } = await tampered(`update audit_log set prev_hash = '${'0'.repeat(64)}' where seq = 20`, `update audit_log set prev_hash = '${row.prev_hash}' where seq = 20`);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^audit log broken at seq 20: its prev_hash is not the previous entry's hash/);
  });

  it('a database that cannot be reached: exit 2, no secret asked for, no password shown', async () => {
    const r = await runCli(['audit', 'verify'], { env: { DATABASE_URL: 'postgres://cvdesk:hunter2@127.0.0.1:1/nothing' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cvdesk: cannot open PostgreSQL at postgres:\/\/cvdesk:\*\*\*@127\.0\.0\.1:1\/nothing: /);
    expect(r.stderr).not.toContain('hunter2');
    const m = await runCli(['db', 'migrate'], { env: { DATABASE_URL: 'postgres://cvdesk@127.0.0.1:1/nothing' } });
    expect(m.code).toBe(2);
    const bad = await runCli(['db', 'migrate'], { env: { DATABASE_URL: 'mysql://x@127.0.0.1/db' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/DATABASE_URL/);
  });
});
