import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/adapters/db/open-database.js';
import { openTestDatabase, testEngine } from '../support/database.js';
import { freePort, LOAD_LIMITS, startServe, type ServeProcess } from '../support/serve-process.js';
import { canary, expectCompleteInDatabase, expectCompleteThroughDesk, formSession, submitByApi, submitByForm, type Answer, type Canary } from './intake-load.js';

const WORKERS = 6;
const PER_ROUND_CAP = 150;

/** When each round's SIGKILL comes: after the first answers, at a moment in time, deep into the load. */
const KILLS: Array<{ afterAnswers: number } | { afterMs: number }> = [{ afterAnswers: 2 }, { afterMs: 2500 }, { afterAnswers: 25 }];

/**
 * Issue #7: kill `cvdesk serve` with SIGKILL in the middle of an intake load (API and form, with
 * files), three times at different moments, restarting it on the same data each time. A report whose
 * request got a 2xx must be there after the restart, complete; one whose request got no answer may be
 * there or not, but never half. The embedded database must open again after every kill.
 */
describe(`durability of report intake (cvdesk serve killed mid-load, ${testEngine()})`, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('every report answered 2xx survives SIGKILL complete; the others are whole or absent; the database reopens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvdesk-durability-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const port = await freePort();
    let env: Record<string, string> = {
      PORT: String(port),
      ...LOAD_LIMITS,
      CVDESK_IMAGE_SYNC_CRON: 'off',
      CVDESK_FORGE_POLL_CRON: 'off',
    };
    let pg: (Database & { url?: string }) | null = null;
    if (testEngine() === 'postgres') {
      pg = await openTestDatabase();
      cleanups.push(() => pg!.close());
      env = { ...env, DATABASE_URL: pg.url!, CVDESK_SECRET_KEY: randomBytes(32).toString('base64') };
    } else {
      env = { ...env, CVDESK_DATA_DIR: dir };
    }
    const base = `http://127.0.0.1:${port}`;
    const run = randomBytes(4).toString('hex');
    const sent = new Map<string, Canary>();
    const answers: Answer[] = [];
    let next = 0;

    for (const kill of KILLS) {
      // from the second round on, this start opens the database a SIGKILL left behind
      const desk: ServeProcess = await startServe(env);
      cleanups.push(() => desk.kill());
      let killed = false;
      const killNow = () => {
        killed = true;
        void desk.kill();
      };
      const sessions = await Promise.all(Array.from({ length: WORKERS }, () => formSession(base)));
      let ok = 0;
      let sentThisRound = 0;
      const timer = 'afterMs' in kill ? setTimeout(killNow, kill.afterMs) : null;
      const worker = async (w: number) => {
        while (!killed) {
          if (sentThisRound++ >= PER_ROUND_CAP) {
            killNow();
            break;
          }
          const c = canary(run, next++);
          sent.set(c.key, c);
          const a = c.channel === 'api' ? await submitByApi(base, c) : await submitByForm(base, c, sessions[w]!);
          answers.push(a);
          if (a.status !== null && a.status < 300) ok++;
          if ('afterAnswers' in kill && ok >= kill.afterAnswers) killNow();
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      if (timer) clearTimeout(timer);
      await desk.exited;
      expect(desk.child.signalCode, desk.output()).toBe('SIGKILL');
      if ('afterAnswers' in kill) expect(ok).toBeGreaterThanOrEqual(kill.afterAnswers);
    }

    // every answer that came is a 201; the kills cut requests off mid-way
    const got = answers.filter((a) => a.status !== null);
    expect(got.filter((a) => a.status !== 201).map((a) => `${a.canary.key}: ${a.status}`)).toEqual([]);
    expect(answers.length - got.length, 'requests cut off by the kills').toBeGreaterThan(0);
    expect(got.length).toBeGreaterThanOrEqual(27);

    // the restarted desk opens each answered report by its token, with every file byte-identical
    const last = await startServe(env);
    cleanups.push(() => last.kill());
    for (const a of got) await expectCompleteThroughDesk(base, a);
    await last.kill('SIGTERM');
    expect(await last.exited, last.output()).toBe(0);

    // and in the database: every stored report complete in every table, none twice, no orphans
    const database = pg ?? (await openDatabase({ kind: 'pglite', dataDir: join(dir, 'db') }));
    if (!pg) cleanups.push(() => database.close());
    const stored = await expectCompleteInDatabase(database.db, sent, answers);
    expect(stored).toBeGreaterThanOrEqual(got.length);
    expect(stored).toBeLessThanOrEqual(answers.length);
  }, 300_000);
});
