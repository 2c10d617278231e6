import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpTlsFromConfig, startSmtpListener } from '../../src/adapters/mail/smtp-listener.js';
import { loadConfig } from '../../src/config.js';
import { rawSmtp, sendTo, startIntakeDesk, type IntakeDesk } from './support.js';

describe('SMTP listener configuration', () => {
  it('reads CVDESK_SMTP_LISTEN as host:port and names what is wrong', () => {
    expect(loadConfig({}, '/srv').smtp).toEqual({ listen: null, tlsCert: null, tlsKey: null });
    expect(loadConfig({ CVDESK_SMTP_LISTEN: '0.0.0.0:25' }, '/srv').smtp.listen).toEqual({ host: '0.0.0.0', port: 25 });
    expect(loadConfig({ CVDESK_SMTP_LISTEN: '[::]:2525' }, '/srv').smtp.listen).toEqual({ host: '::', port: 2525 });
    expect(loadConfig({ CVDESK_SMTP_LISTEN: '127.0.0.1:2525', CVDESK_SMTP_TLS_CERT: 'tls/cert.pem', CVDESK_SMTP_TLS_KEY: '/etc/key.pem' }, '/srv').smtp).toEqual({
      listen: { host: '127.0.0.1', port: 2525 },
      tlsCert: '/srv/tls/cert.pem',
      tlsKey: '/etc/key.pem',
    });
    expect(() => loadConfig({ CVDESK_SMTP_LISTEN: '25' }, '/')).toThrow(/CVDESK_SMTP_LISTEN must be host:port/);
    expect(() => loadConfig({ CVDESK_SMTP_LISTEN: 'mail:99999' }, '/')).toThrow(/CVDESK_SMTP_LISTEN must be host:port/);
    expect(() => loadConfig({ CVDESK_SMTP_LISTEN: ':25', CVDESK_SMTP_TLS_CERT: 'c.pem' }, '/')).toThrow(/CVDESK_SMTP_LISTEN must be host:port/);
    expect(() => loadConfig({ CVDESK_SMTP_LISTEN: 'h:25', CVDESK_SMTP_TLS_CERT: 'c.pem' }, '/')).toThrow(/go together/);
    expect(() => loadConfig({ CVDESK_SMTP_TLS_CERT: 'c.pem', CVDESK_SMTP_TLS_KEY: 'k.pem' }, '/')).toThrow(/CVDESK_SMTP_LISTEN is not/);
  });
});

/** STARTTLS with a configured certificate (made here with openssl), and none offered without one. */
describe('SMTP listener STARTTLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvdesk-smtp-tls-'));
  let d: IntakeDesk;
  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    d = await startIntakeDesk();
  }, 60_000);
  afterAll(async () => {
    await d?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('offers STARTTLS only with a certificate, and takes mail over it', async () => {
    const ehlo = (await rawSmtp(d.listener.port, { data: 'Subject: plain\r\n\r\nno tls\r\n' }))[1]!;
    expect(ehlo).toContain('SIZE');
    expect(ehlo).not.toContain('STARTTLS');
    const tls = await smtpTlsFromConfig({ listen: { host: '127.0.0.1', port: 0 }, tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') });
    const listener = await startSmtpListener(d.desk.ctx, { host: '127.0.0.1', port: 0, maxBytes: 1024 * 1024, tls });
    try {
      expect((await rawSmtp(listener.port, { data: 'Subject: x\r\n\r\nx\r\n' }))[1]).toContain('STARTTLS');
      const r = await sendTo(listener.port, { from: 'tls@example.net', to: 'security@example.org', subject: 'Over TLS', text: 'Encrypted in transit.', messageId: '<tls-1@example.net>' }, { requireTLS: true, ca: readFileSync(join(dir, 'cert.pem')) });
      expect(r.ok).toBe(true);
      expect(await d.desk.ctx.db.selectFrom('inbound_mail').select('outcome').where('message_id', '=', '<tls-1@example.net>').executeTakeFirst()).toEqual({ outcome: 'report' });
    } finally {
      await listener.close();
    }
    await expect(smtpTlsFromConfig({ listen: null, tlsCert: join(dir, 'missing.pem'), tlsKey: join(dir, 'key.pem') })).rejects.toThrow(/cannot read CVDESK_SMTP_TLS_CERT/);
  });

  it('will not start for a policy without an e-mail contact, nor on a port in use', async () => {
    const policy = { ...d.desk.ctx.policy, contacts: d.desk.ctx.policy.contacts.filter((c) => c.type !== 'email') };
    await expect(startSmtpListener({ ...d.desk.ctx, policy }, { host: '127.0.0.1', port: 0, maxBytes: 1024 })).rejects.toThrow(/the policy names no e-mail contact/);
    await expect(startSmtpListener(d.desk.ctx, { host: '127.0.0.1', port: d.listener.port, maxBytes: 1024 })).rejects.toThrow(/cannot listen for mail on 127.0.0.1:\d+/);
  });
});
