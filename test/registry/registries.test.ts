import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistries, parseRegistryAuth, readRegistryAuthFile, registryKeyHost } from '../../src/adapters/registry/registries.js';
import { loadConfig, loadRegistrySettings } from '../../src/config.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('registry credentials from a Docker config.json', () => {
  it('reads auth, username/password, identity and registry tokens, with Docker Hub under one name', () => {
    const creds = parseRegistryAuth(
      {
        auths: {
          'https://index.docker.io/v1/': { auth: b64('hub-user:p:w') },
          'ghcr.io': { username: 'bot', password: 'ghp_secret' },
          'registry.gitlab.com': { username: 'oauth2', identitytoken: 'glpat-x' },
          'harbor.example.org:8443': { registrytoken: 'tok' },
        },
      },
      'test',
    );
    expect(creds.get('docker.io')).toEqual({ username: 'hub-user', password: 'p:w' });
    expect(creds.get('ghcr.io')).toEqual({ username: 'bot', password: 'ghp_secret' });
    expect(creds.get('registry.gitlab.com')).toEqual({ username: 'oauth2', password: 'glpat-x' });
    expect(creds.get('harbor.example.org:8443')).toEqual({ token: 'tok' });
  });

  it('says what is wrong without repeating a secret', () => {
    expect(() => parseRegistryAuth({ auths: { 'ghcr.io': { auth: b64('no-colon-secret') } } }, 'f')).toThrow(/ghcr.io.*not base64 of username:password/);
    expect(() => parseRegistryAuth({ auths: { 'ghcr.io': { auth: b64('no-colon-secret') } } }, 'f')).not.toThrow(/no-colon-secret/);
    expect(() => parseRegistryAuth({ auths: { 'ghcr.io': { username: 'bot' } } }, 'f')).toThrow(/ghcr.io has neither/);
    expect(() => parseRegistryAuth({ credsStore: 'desktop' }, 'f')).toThrow(/expected \{"auths"/);
  });

  it('reads the file and reports a missing or broken one clearly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cvdesk-auth-'));
    await writeFile(join(dir, 'ok.json'), JSON.stringify({ auths: { 'docker.io': { auth: b64('u:p') } } }));
    await writeFile(join(dir, 'bad.json'), '{not json');
    expect((await readRegistryAuthFile(join(dir, 'ok.json'))).get('docker.io')).toEqual({ username: 'u', password: 'p' });
    await expect(readRegistryAuthFile(join(dir, 'bad.json'))).rejects.toThrow(/is not JSON/);
    await expect(readRegistryAuthFile(join(dir, 'none.json'))).rejects.toThrow(/no such file/);
  });

  it('names hosts the way image references do', () => {
    expect(registryKeyHost('registry-1.docker.io')).toBe('docker.io');
    expect(registryKeyHost('HTTPS://GHCR.IO/v2/')).toBe('ghcr.io');
    expect(registryKeyHost('127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });

  it('keeps one client per host and uses the credentials of that host', () => {
    const registries = createRegistries({ credentials: new Map([['docker.io', { token: 't' }]]), plainHttp: [] });
    expect(registries.client('index.docker.io')).toBe(registries.client('docker.io'));
    expect(registries.client('ghcr.io')).not.toBe(registries.client('docker.io'));
    expect(registries.client('ghcr.io').registry).toBe('ghcr.io');
  });
});

describe('registry settings from the environment', () => {
  it('reads the auth file, the plain-HTTP hosts and the sync schedule', () => {
    const s = loadRegistrySettings({ CVDESK_REGISTRY_AUTH_FILE: 'auth.json', CVDESK_REGISTRY_PLAIN_HTTP: 'Registry.lan:5000, 10.0.0.5' }, '/srv/desk');
    expect(s).toEqual({ authFile: '/srv/desk/auth.json', plainHttp: ['registry.lan:5000', '10.0.0.5'], syncCron: '20 * * * *' });
    expect(loadRegistrySettings({ CVDESK_IMAGE_SYNC_CRON: 'off' }, '/').syncCron).toBeNull();
    expect(loadConfig({ CVDESK_REBUILD_TOKEN: 'ghp_x' }, '/').rebuildToken).toBe('ghp_x');
    expect(loadConfig({}, '/').rebuildToken).toBeNull();
  });

  it('refuses a bad host or schedule', () => {
    expect(() => loadRegistrySettings({ CVDESK_REGISTRY_PLAIN_HTTP: 'http://x/' }, '/')).toThrow(/CVDESK_REGISTRY_PLAIN_HTTP: "http:\/\/x\/" is not a host/);
    expect(() => loadRegistrySettings({ CVDESK_IMAGE_SYNC_CRON: 'hourly please' }, '/')).toThrow(/CVDESK_IMAGE_SYNC_CRON/);
  });
});
