import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const key = Buffer.alloc(32, 1).toString('base64');

describe('configuration from the environment', () => {
  it('defaults to the embedded database and the example policy, with no secret of its own', () => {
    const c = loadConfig({}, '/srv/desk');
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, policyFile: '/srv/desk/examples/policies/mautic-docker.yaml', dataDir: '/srv/desk/data', secretKey: null });
    expect(c.database).toEqual({ kind: 'pglite', dataDir: '/srv/desk/data/db' });
    expect(c.baseUrl.toString()).toBe('http://localhost:8080/');
  });

  it('DATABASE_URL without CVDESK_SECRET_KEY is a clear start-up error, not a default secret', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://desk@db/desk' }, '/')).toThrow(/CVDESK_SECRET_KEY is required with DATABASE_URL/);
    const c = loadConfig({ DATABASE_URL: 'postgres://desk@db/desk', CVDESK_SECRET_KEY: key }, '/');
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://desk@db/desk' });
    expect(c.secretKey?.length).toBe(32);
  });

  it('names each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' }, '/')).toThrow(/PORT/);
    expect(() => loadConfig({ CVDESK_BASE_URL: 'ftp://x' }, '/')).toThrow(/CVDESK_BASE_URL/);
    expect(() => loadConfig({ CVDESK_SECRET_KEY: 'c2hvcnQ=' }, '/')).toThrow(/at least 32 random bytes/);
    expect(() => loadConfig({ CVDESK_SIGNING_KEY_PASSPHRASE: 'x' }, '/')).toThrow(/CVDESK_SIGNING_KEY_FILE is not/);
  });

  it('an https base URL keeps its path with one trailing slash', () => {
    expect(loadConfig({ CVDESK_BASE_URL: 'https://example.org/security' }, '/').baseUrl.toString()).toBe('https://example.org/security/');
  });
});
