import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/app/errors.js';
import { loadConfig } from '../../src/config.js';

const failure = (env: Record<string, string>): string => {
  try {
    loadConfig(env, '/srv');
  } catch (e) {
    if (isAppError(e)) return e.message;
    throw e;
  }
  throw new Error('expected the configuration to be refused');
};

describe('CVDESK_IMAP_URL and its companions', () => {
  it('none: no IMAP intake', () => {
    expect(loadConfig({}, '/srv').imap).toBeNull();
  });

  it('imaps with the default port and INBOX; imap with 143; a folder path, percent-encoded parts, a move target, a CA file, a schedule', () => {
    expect(loadConfig({ CVDESK_IMAP_URL: 'imaps://desk:pw@imap.example.org' }, '/srv').imap).toEqual({
      secure: true,
      host: 'imap.example.org',
      port: 993,
      user: 'desk',
      password: 'pw',
      folder: 'INBOX',
      moveTo: null,
      caFile: null,
      pollCron: '* * * * *',
    });
    expect(
      loadConfig(
        {
          CVDESK_IMAP_URL: 'imap://security%40example.org:p%40ss%3Aw%2Frd@[::1]:1143/Security%20Reports/Incoming',
          CVDESK_IMAP_MOVE_TO: 'Security Reports/Filed',
          CVDESK_IMAP_CA_FILE: 'tls/ca.pem',
          CVDESK_IMAP_POLL_CRON: '*/5 * * * *',
        },
        '/srv',
      ).imap,
    ).toEqual({ secure: false, host: '::1', port: 1143, user: 'security@example.org', password: 'p@ss:w/rd', folder: 'Security Reports/Incoming', moveTo: 'Security Reports/Filed', caFile: '/srv/tls/ca.pem', pollCron: '*/5 * * * *' });
    expect(loadConfig({ CVDESK_IMAP_URL: 'imaps://d:p@h/INBOX', CVDESK_IMAP_POLL_CRON: 'off' }, '/').imap!.pollCron).toBeNull();
  });

  it('refuses what cannot work, and never repeats the URL (it holds a password)', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ CVDESK_IMAP_URL: 'https://desk:hunter2secret@imap.example.org/' }, /CVDESK_IMAP_URL must look like imaps:\/\/user:password@host\[:port\]\/Folder/],
      [{ CVDESK_IMAP_URL: 'not a url hunter2secret' }, /CVDESK_IMAP_URL must look like/],
      [{ CVDESK_IMAP_URL: 'imaps://desk@imap.example.org/' }, /needs a user and a password/],
      [{ CVDESK_IMAP_URL: 'imaps://desk:hunter2secret@imap.example.org/INBOX?x=1' }, /CVDESK_IMAP_URL must look like/],
      [{ CVDESK_IMAP_URL: 'imaps://desk:hunter2%E0secret@imap.example.org/' }, /the password is not percent-encoded correctly/],
      [{ CVDESK_IMAP_URL: 'imaps://desk:hunter2secret@imap.example.org/Reports', CVDESK_IMAP_MOVE_TO: 'Reports' }, /CVDESK_IMAP_MOVE_TO names the polled folder itself/],
      [{ CVDESK_IMAP_URL: 'imaps://desk:hunter2secret@imap.example.org/', CVDESK_IMAP_POLL_CRON: 'often' }, /CVDESK_IMAP_POLL_CRON: .*\(or "off"\)/],
      [{ CVDESK_IMAP_MOVE_TO: 'Filed' }, /CVDESK_IMAP_MOVE_TO or CVDESK_IMAP_CA_FILE is set but CVDESK_IMAP_URL is not/],
    ];
    for (const [env, message] of cases) {
      const m = failure(env);
      expect(m).toMatch(message);
      expect(m).not.toContain('hunter2');
    }
  });
});
