import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import type { Database } from '../../src/adapters/db/open-database.js';
import { notifyEvents } from '../../src/app/notifications/notify-events.js';
import { sendDueMail, type SendOutcome } from '../../src/app/notifications/send-due-mail.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { startMailSink, type MailSink } from '../support/mail-sink.js';

/**
 * A policy with what mail needs: an e-mail contact (Reply-To addresses), English and German, an
 * automatic acknowledgement and stages with known targets.
 */
export const MAIL_POLICY = `
version: 1
project:
  name: Mail Test Image
  url: https://example.org/
team:
  name: Example Security Team
languages: [en, de]
contacts:
  - type: email
    address: security@example.org
  - type: web-form
scope:
  inScope: [The example container image]
sla:
  acknowledge:
    target: 24 hours
    automatic: AUTOMATIC
  triage: 10 calendar days
  fix:
    target: 20 calendar days
    from: triaged
calendar:
  timeZone: Europe/Berlin
NOTIFICATIONS
securityTxt:
  canonical: [https://example.org/.well-known/security.txt]
`;

export async function policyFile(options: { automatic?: boolean; notifications?: string } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cvdesk-mail-policy-'));
  const file = join(dir, 'policy.yaml');
  await writeFile(file, MAIL_POLICY.replace('AUTOMATIC', String(options.automatic ?? true)).replace('NOTIFICATIONS', options.notifications ?? ''));
  return file;
}

export interface MailDesk {
  desk: TestDesk;
  sink: MailSink;
  /** One round of the mail task: events to outbox rows, then the due rows out. */
  deliver(): Promise<SendOutcome[]>;
  close(): Promise<void>;
}

export async function startMailDesk(
  options: { now?: Date; automatic?: boolean; notifications?: string; env?: Record<string, string>; sink?: MailSink; database?: Database; mail?: boolean } = {},
): Promise<MailDesk> {
  const sink = options.sink ?? (await startMailSink());
  const policy = await policyFile(options);
  const desk = await startTestDesk({
    now: options.now ?? new Date('2026-11-23T10:00:00Z'),
    ...(options.database ? { database: options.database } : {}),
    env: { CVDESK_POLICY: policy, ...(options.mail === false ? {} : { CVDESK_MAIL_URL: sink.url }), ...options.env },
  });
  return {
    desk,
    sink,
    deliver: async () => {
      await notifyEvents(desk.ctx);
      return sendDueMail(desk.ctx);
    },
    close: async () => {
      await desk.close();
      if (!options.sink) await sink.close();
    },
  };
}

/** A fresh OpenPGP key pair for a reporter (curve25519, no passphrase). */
export async function reporterKeyPair(email = 'rita@example.org'): Promise<{ publicKey: string; privateKey: string }> {
  const { publicKey, privateKey } = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'Rita Reporter', email }], format: 'armored' });
  return { publicKey, privateKey };
}

export const outbox = (desk: TestDesk) => desk.ctx.db.selectFrom('mail_outbox').selectAll().orderBy('created_at').orderBy('dedupe_key').execute();
