import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from '../../context.js';
import { formatReplyTag, matchRecipient, REPLY_MAC_LENGTH, withPlusTag } from '../../domain/mail/addresses.js';

/**
 * The per-report reply address: notifications to a reporter carry Reply-To
 * `local+r<number>-<mac>@domain` on the policy's first e-mail contact, where mac is the first 20
 * base32 characters (lower case) of HMAC-SHA256(secretKey, "reply:" + report id). Only the desk can
 * make one, so a mail threads into a report only when it answers that report's own mail: a forged
 * From never does (see receive-mail.ts).
 */

type KeyDeps = Pick<Context, 'policy' | 'secretKey'>;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32 without padding, lower case. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

function replyMac(secretKey: Buffer, reportId: string): string {
  return base32(createHmac('sha256', secretKey).update(`reply:${reportId}`, 'utf8').digest()).slice(0, REPLY_MAC_LENGTH);
}

/** The addresses reports come in to: the policy's e-mail contacts, in policy order. */
export function deskMailboxes(policy: Context['policy']): string[] {
  return policy.contacts.flatMap((c) => (c.type === 'email' ? [c.address] : []));
}

/** The Reply-To for mail about this report, or null when the policy has no e-mail contact. */
export function replyAddressFor(ctx: KeyDeps, report: { id: string; number: number }): string | null {
  const first = deskMailboxes(ctx.policy)[0];
  if (!first) return null;
  return withPlusTag(first, formatReplyTag({ number: report.number, mac: replyMac(ctx.secretKey, report.id) }));
}

/**
 * The report a reply address belongs to, or null when the address is not a desk mailbox with a
 * valid tag. The MAC is compared in constant time; an unknown number costs the same work.
 */
export async function reportForReplyAddress(ctx: KeyDeps & Pick<Context, 'db'>, address: string): Promise<{ id: string } | null> {
  const match = matchRecipient(address, deskMailboxes(ctx.policy));
  if (match.kind !== 'desk' || !match.tag) return null;
  const row = await ctx.db.selectFrom('reports').select('id').where('number', '=', match.tag.number).executeTakeFirst();
  const expected = Buffer.from(replyMac(ctx.secretKey, row?.id ?? 'no such report'), 'utf8');
  const given = Buffer.from(match.tag.mac, 'utf8');
  const same = given.length === expected.length && timingSafeEqual(given, expected);
  return row && same ? { id: row.id } : null;
}
