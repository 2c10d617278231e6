import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../adapters/db/open-database.js';
import type { InboundMailTable } from '../../adapters/db/tables.js';
import { parseMime, type MailFile, type MimeMessage } from '../../adapters/mail/mime.js';
import type { DeskKey } from '../../adapters/pgp/pgp-decrypt.js';
import { readPublicKeys, type ReporterKey } from '../../adapters/pgp/pgp-verify.js';
import type { Context } from '../../context.js';
import { decideIntake, isAutomatic } from '../../domain/mail/intake-decision.js';
import { checkUpload, type AcceptedUpload } from '../../domain/reports/attachment-rules.js';
import { AppError } from '../errors.js';
import { replyAsReporter } from '../reporter/reply-as-reporter.js';
import { submitReport } from '../submit-report.js';
import { deskNote, textNotes, type DroppedFile } from './mail-notes.js';
import { reportFields, replyBody, type MailText } from './mail-report-fields.js';
import { openMail, type OpenedMail } from './open-mail.js';
import { reportForReplyAddress } from './reply-token.js';

/**
 * One mail the SMTP listener received, to its end: a new report, a reporter's message threaded into
 * their report (only through the report's reply address), nothing (bounces and automatic replies),
 * or a refusal the sender is told about. What the mail became is committed with its inbound record
 * before this returns, so the listener's `250` means it is stored; a mail delivered again (same
 * Message-ID) finds that record and is stored once.
 */

export interface ReceivedMail {
  raw: Buffer;
  envelope: { mailFrom: string | null; rcptTo: readonly string[] };
}

export type MailOutcome =
  | { kind: 'report'; reportId: string; number: number; inboundId: string }
  | { kind: 'message'; reportId: string; messageId: string; inboundId: string }
  | { kind: 'ignored'; reason: string; inboundId: string }
  | { kind: 'duplicate'; outcome: InboundMailTable['outcome']; reason: string | null }
  /** A permanent refusal: the sender's server returns the mail with the reason. */
  | { kind: 'refused'; code: 550 | 552 | 554; reason: string };

export type ReceiveDeps = Pick<Context, 'db' | 'clock' | 'newId' | 'config' | 'policy' | 'secretKey'> & {
  /** The desk's unlocked private key, or null when it has none (encrypted mail is then kept encrypted). */
  deskKey: () => Promise<DeskKey | null>;
};

const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

export async function receiveMail(deps: ReceiveDeps, mail: ReceivedMail): Promise<MailOutcome> {
  const now = deps.clock();
  const sha256 = createHash('sha256').update(mail.raw).digest('hex');
  let top: MimeMessage;
  try {
    top = await parseMime(mail.raw);
  } catch (e) {
    return { kind: 'refused', code: 554, reason: `the message cannot be read as MIME (${e instanceof Error ? e.message.slice(0, 200) : 'parse error'})` };
  }
  const key = dedupeKey(top.messageId, sha256);
  const seen = await deps.db.selectFrom('inbound_mail').select(['outcome', 'reason']).where('message_id', '=', key).executeTakeFirst();
  if (seen) return { kind: 'duplicate', outcome: seen.outcome, reason: seen.reason };

  const replyReports: string[] = [];
  // (bounded: a header may list thousands of addresses)
  for (const address of [...mail.envelope.rcptTo, ...top.recipients].slice(0, 200)) {
    const r = await reportForReplyAddress(deps, address);
    if (r && !replyReports.includes(r.id)) replyReports.push(r.id);
  }
  const decision = decideIntake({ replyReports, automatic: isAutomatic(top.autoSubmitted, top.precedence), bounce: !mail.envelope.mailFrom });
  const record = (o: Pick<InboundMailTable, 'outcome' | 'reason' | 'report_id' | 'message_ref'>, opened?: OpenedMail, proven = false, dropped: DroppedFile[] = []) => ({
    id: deps.newId(),
    message_id: key,
    received_at: now,
    size: mail.raw.byteLength,
    sha256,
    envelope_from: mail.envelope.mailFrom || null,
    claimed_from: top.from?.address ?? null,
    sender_proof: proven ? ('pgp' as const) : ('none' as const),
    encryption: opened?.encryption ?? 'none',
    decryption: opened?.decryption ?? 'none',
    signature: opened?.signature.status ?? 'not_signed',
    signer_fingerprint: opened?.signature.status === 'verified' ? opened.signature.fingerprint : null,
    // node-postgres sends a JS array as a PostgreSQL array, not JSON: say it is JSON
    dropped: sql<DroppedFile[]>`cast(${JSON.stringify(dropped)} as jsonb)`,
    ...o,
  });

  try {
    if (decision.kind === 'ignore') {
      const row = record({ outcome: 'ignored', reason: decision.reason, report_id: null, message_ref: null });
      await deps.db.insertInto('inbound_mail').values(row).execute();
      return { kind: 'ignored', reason: decision.reason, inboundId: row.id };
    }
    const thread = decision.kind === 'thread' ? await deps.db.selectFrom('reports').select(['id', 'reporter_key']).where('id', '=', decision.reportId).executeTakeFirstOrThrow() : null;
    const knownKeys = await knownKeysFor(deps.db, thread, top.from?.address ?? null);
    const deskKey = await deps.deskKey();
    const opened = await openMail(mail.raw, top, { deskKey, knownKeys, keepEncrypted: deps.policy.mailIntake.keepEncryptedAtRest, now });
    const proven = thread !== null && senderProven(opened, knownKeys, top.from?.address ?? null);
    const { accepted, dropped } = checkFiles(opened.files, deps.config.limits);
    const originals = opened.encryptedOriginals.map((f) => f.filename);
    const text: MailText = { text: opened.text, notes: textNotes(opened, dropped, originals), hasFiles: accepted.length + originals.length > 0 };
    const newKey = pickReporterKey(opened.carried, top.from?.address ?? null);
    const storedKey = thread?.reporter_key ? knownKeys[0] : undefined;
    const keyNote = storedKey && newKey && newKey.fingerprint !== storedKey.fingerprint ? 'The mail carried a different OpenPGP key than the one stored for the reporter; the stored key was kept.' : null;
    const note = (kind: 'report' | 'reply') => deskNote({ kind, from: top.from, proven, envelopeFrom: mail.envelope.mailFrom, opened, originals, dropped, keyNote });
    const alongside = async (trx: Db, reportId: string, messageId: string | null, inbound: ReturnType<typeof record>) => {
      await storeOriginals(trx, deps, reportId, messageId, opened.encryptedOriginals, now);
      if (newKey) await trx.updateTable('reports').set({ reporter_key: newKey.armored }).where('id', '=', reportId).where('reporter_key', 'is', null).execute();
      await trx.insertInto('messages').values({ id: deps.newId(), report_id: reportId, at: now, author_kind: 'system', author_id: null, internal: true, body: note(messageId ? 'reply' : 'report') }).execute();
      await trx.insertInto('inbound_mail').values(inbound).execute();
    };

    if (thread) {
      const body = replyBody(text);
      if (!body.ok) {
        await deps.db.insertInto('inbound_mail').values(record({ outcome: 'refused', reason: body.reason, report_id: null, message_ref: null }, opened, proven)).execute();
        return { kind: 'refused', code: body.code, reason: body.reason };
      }
      let inboundId = '';
      const r = await replyAsReporter(deps, {
        reportId: thread.id,
        body: body.value,
        attachments: accepted,
        inTransaction: async (trx, m) => {
          const row = record({ outcome: 'message', reason: null, report_id: m.reportId, message_ref: m.id }, opened, proven, dropped);
          inboundId = row.id;
          await alongside(trx, m.reportId, m.id, row);
        },
      });
      return { kind: 'message', reportId: thread.id, messageId: r.messageId, inboundId };
    }

    const fields = reportFields(deps.policy, { subject: opened.subject, from: top.from, contentLanguage: top.contentLanguage }, text);
    if (!fields.ok) {
      await deps.db.insertInto('inbound_mail').values(record({ outcome: 'refused', reason: fields.reason, report_id: null, message_ref: null }, opened, proven)).execute();
      return { kind: 'refused', code: fields.code, reason: fields.reason };
    }
    let inboundId = '';
    const r = await submitReport(deps, {
      fields: fields.value,
      attachments: accepted,
      channel: 'email',
      inTransaction: async (trx, rep) => {
        const row = record({ outcome: 'report', reason: null, report_id: rep.id, message_ref: null }, opened, proven, dropped);
        inboundId = row.id;
        await alongside(trx, rep.id, null, row);
      },
    });
    return { kind: 'report', reportId: r.id, number: r.number, inboundId };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // Another delivery of the same message committed first: this one is that one.
    const first = await deps.db.selectFrom('inbound_mail').select(['outcome', 'reason']).where('message_id', '=', key).executeTakeFirst();
    if (!first) throw new AppError('conflict', 'a mail with this Message-ID was being stored at the same time; try again');
    return { kind: 'duplicate', outcome: first.outcome, reason: first.reason };
  }
}

/** The Message-ID as given (bounded), or the message's hash when it has none. */
function dedupeKey(messageId: string | null, sha256: string): string {
  // eslint-disable-next-line no-control-regex -- control characters never belong in a Message-ID
  const id = messageId?.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return id && id.length <= 900 ? id : `sha256:${sha256}`;
}

/**
 * The keys the desk has for the sender: the one stored with the report a reply belongs to, or, for
 * a new report, those of earlier reports from the From address (up to ten, newest first). The
 * latter only let a signature be checked: anyone may have opened those reports with any key.
 */
async function knownKeysFor(db: Db, thread: { reporter_key: string | null } | null, from: string | null): Promise<ReporterKey[]> {
  if (thread) return thread.reporter_key ? readPublicKeys(thread.reporter_key) : [];
  if (!from) return [];
  const rows = await db
    .selectFrom('reports')
    .select('reporter_key')
    .distinct()
    .where((eb) => eb(eb.fn('lower', ['reporter_email']), '=', from.toLowerCase()))
    .where('reporter_key', 'is not', null)
    .limit(10)
    .execute();
  return (await Promise.all(rows.map((r) => readPublicKeys(r.reporter_key!)))).flat();
}

/**
 * In a reply (which came through the report's reply address), From is proven by a good signature
 * of the key stored with that report, when the key names the From address: the sender is who
 * opened the report. A key that comes with the mail can carry any name, so it proves nothing.
 */
function senderProven(m: OpenedMail, known: readonly ReporterKey[], from: string | null): boolean {
  if (m.signature.status !== 'verified' || !from) return false;
  const fp = m.signature.fingerprint;
  const key = known.find((k) => k.fingerprint === fp);
  return Boolean(key && key.emails.includes(from.toLowerCase()));
}

/** The key to keep for the reporter: one that came with the mail, preferring one naming the From address. */
function pickReporterKey(carried: readonly ReporterKey[], from: string | null): ReporterKey | null {
  return carried.find((k) => from && k.emails.includes(from.toLowerCase())) ?? carried[0] ?? null;
}

/** The desk's attachment rules, file by file: a mail cannot be sent back to fix one file, so the rest is kept. */
function checkFiles(files: readonly MailFile[], limits: Context['config']['limits']): { accepted: AcceptedUpload[]; dropped: DroppedFile[] } {
  const accepted: AcceptedUpload[] = [];
  const dropped: DroppedFile[] = [];
  for (const f of files) {
    const c = checkUpload({ filename: f.filename, contentType: f.contentType, data: f.data }, limits.attachmentBytes);
    if (!c.ok) dropped.push({ filename: f.filename.slice(0, 200), reason: c.problem.message });
    else if (accepted.length >= limits.attachmentsPerReport) dropped.push({ filename: c.upload.filename, reason: `${c.upload.filename}: more than ${limits.attachmentsPerReport} files in one mail` });
    else accepted.push(c.upload);
  }
  return { accepted, dropped };
}

/** Encrypted originals are ciphertext, kept whole (the SMTP size limit bounds them) and served only as downloads. */
async function storeOriginals(trx: Db, deps: Pick<Context, 'newId'>, reportId: string, messageId: string | null, files: readonly MailFile[], now: Date): Promise<void> {
  for (const f of files) {
    await trx
      .insertInto('attachments')
      .values({
        id: deps.newId(),
        report_id: reportId,
        message_id: messageId,
        filename: f.filename.split(/[/\\]/).pop()!.slice(0, 200) || 'encrypted.asc',
        content_type: 'application/pgp-encrypted',
        size: f.data.byteLength,
        sha256: createHash('sha256').update(f.data).digest('hex'),
        data: f.data,
        created_at: now,
      })
      .execute();
  }
}
