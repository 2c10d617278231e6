/**
 * Mail addresses as the intake sees them: which of the policy's mailboxes a recipient is, and the
 * per-report reply tag (`local+r<number>-<mac>@domain`) it may carry. Pure: the tag's MAC is
 * checked by the caller (src/app/mail/reply-token.ts), which holds the key.
 */

export interface Mailbox {
  local: string;
  domain: string;
}

/** A reply tag: the report's number and the MAC that proves the desk made the address. */
export interface ReplyTag {
  number: number;
  mac: string;
}

/** Characters of a report reply tag's MAC: RFC 4648 base32, lower case. */
export const REPLY_MAC_LENGTH = 20;
const TAG = new RegExp(`^r([1-9][0-9]{0,9})-([a-z2-7]{${REPLY_MAC_LENGTH}})$`);

/** Splits `local@domain` (angle brackets and surrounding space allowed); null when it is not one address. */
export function parseMailbox(address: string): Mailbox | null {
  const a = address.trim().replace(/^<(.*)>$/, '$1');
  const at = a.lastIndexOf('@');
  if (at <= 0 || at === a.length - 1) return null;
  const local = a.slice(0, at);
  const domain = a.slice(at + 1).toLowerCase().replace(/\.$/, '');
  if (/[\s<>@,;]/.test(domain) || /[\s<>,;]/.test(local) || local.length > 64 || domain.length > 255) return null;
  return { local, domain };
}

/** The local part split at its last `+`: the mailbox part and the tag (lower case), if any. */
export function splitPlus(local: string): { base: string; tag: string | null } {
  const plus = local.lastIndexOf('+');
  return plus < 0 ? { base: local, tag: null } : { base: local.slice(0, plus), tag: local.slice(plus + 1).toLowerCase() };
}

export function parseReplyTag(tag: string): ReplyTag | null {
  const m = TAG.exec(tag.toLowerCase());
  if (!m) return null;
  const number = Number(m[1]);
  return Number.isSafeInteger(number) && number <= 2_147_483_647 ? { number, mac: m[2]! } : null;
}

export const formatReplyTag = (tag: ReplyTag) => `r${tag.number}-${tag.mac}`;

/** The address `local+tag@domain` for a mailbox address (its local part kept whole). */
export function withPlusTag(address: string, tag: string): string | null {
  const m = parseMailbox(address);
  return m ? `${m.local}+${tag}@${m.domain}` : null;
}

/** Local parts compare case-insensitively: mail systems in practice treat them so, and so do reporters. */
const sameMailbox = (a: Mailbox, b: Mailbox) => a.domain === b.domain && a.local.toLowerCase() === b.local.toLowerCase();

export type RecipientMatch =
  /** One of the desk's mailboxes, plain or with a well-formed reply tag (its MAC is checked later). */
  | { kind: 'desk'; contact: string; tag: ReplyTag | null }
  /** A mailbox of a domain the desk receives for, but not one of its addresses (nor a reply address). */
  | { kind: 'unknown-mailbox' }
  /** Another domain: relaying is refused. */
  | { kind: 'foreign-domain' }
  | { kind: 'invalid' };

/**
 * Which of the desk's addresses a recipient is. `contacts` are the policy's e-mail contact
 * addresses. Only the contacts themselves and their reply-tag forms are the desk's: another tag
 * (`security+anything@`) is no mailbox here, so that mail to made-up addresses bounces at once.
 */
export function matchRecipient(address: string, contacts: readonly string[]): RecipientMatch {
  const m = parseMailbox(address);
  if (!m) return { kind: 'invalid' };
  const desk = contacts.map((c) => ({ c, m: parseMailbox(c) })).filter((x): x is { c: string; m: Mailbox } => x.m !== null);
  if (!desk.some((d) => d.m.domain === m.domain)) return { kind: 'foreign-domain' };
  const exact = desk.find((d) => sameMailbox(d.m, m));
  if (exact) return { kind: 'desk', contact: exact.c, tag: null };
  const { base, tag } = splitPlus(m.local);
  const tagged = tag === null ? null : desk.find((d) => sameMailbox(d.m, { local: base, domain: m.domain }));
  const reply = tag === null ? null : parseReplyTag(tag);
  return tagged && reply ? { kind: 'desk', contact: tagged.c, tag: reply } : { kind: 'unknown-mailbox' };
}
