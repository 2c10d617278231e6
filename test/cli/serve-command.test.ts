import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/serve-process.js';

/** `npm start` is `cvdesk serve`: the real built command, on a fresh embedded database. */
describe('cvdesk serve (npm start)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-serve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on the embedded database, prints its URL and a one-time admin link, serves, and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/cvdesk.js', 'serve'], {
      env: { PATH: process.env.PATH, PORT: String(port), CVDESK_DATA_DIR: dir, CVDESK_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 600 && !out.includes('/team/setup/'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain(`cvdesk is serving Mautic Docker image at http://localhost:${port}/`);
    const link = /http:\/\/localhost:\d+\/team\/setup\/[A-Za-z0-9_-]{43}/.exec(out)?.[0];
    expect(link).toBeDefined();
    const txt = await fetch(`http://127.0.0.1:${port}/.well-known/security.txt`);
    expect(txt.status).toBe(200);
    expect(await txt.text()).toContain('Contact:');
    const setup = await fetch(link!.replace('localhost', '127.0.0.1'));
    expect(setup.status).toBe(200);
    // the generated secret key is private to the desk's user
    expect(statSync(join(dir, 'secret.key')).mode & 0o077).toBe(0);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);

  it('a missing required secret stops the start with a message naming it', async () => {
    const child = spawn(process.execPath, ['bin/cvdesk.js', 'serve'], { env: { PATH: process.env.PATH, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('CVDESK_SECRET_KEY is required with DATABASE_URL');
    expect(err).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  });
});
