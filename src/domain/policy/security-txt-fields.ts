import { addDuration } from '../calendar/index.js';
import type { SecurityTxtFields } from '../../formats/security-txt/fields.js';
import { calendarOf } from '../reports/sla-plan.js';
import type { Contact } from './schema-contacts.js';
import type { Policy } from './schema.js';

export type SecurityTxtFieldsResult = { ok: true; fields: SecurityTxtFields } | { ok: false; message: string };

const trimSlash = (u: string) => u.replace(/\/+$/, '');

function contactUri(c: Contact, baseUrl?: string): string | null {
  switch (c.type) {
    case 'email':
      return `mailto:${c.address}`;
    case 'web-form':
      return c.url ?? (baseUrl ? `${trimSlash(baseUrl)}/report` : null);
    case 'github-advisory':
      return c.url;
    case 'gitlab-confidential-issue': {
      const q = `issue[confidential]=on${c.template ? `&issuable_template=${encodeURIComponent(c.template)}` : ''}`;
      return `${c.url}${c.url.includes('?') ? '&' : '?'}${q}`;
    }
  }
}

/**
 * The security.txt a policy implies, as of `now`: contacts in the policy's order (the first is the
 * preferred one, RFC 9116 §2.5.3), Expires = now + securityTxt.expiresAfter, the desk key as Encryption.
 */
export function securityTxtFields(p: Policy, now: Date, baseUrl?: string): SecurityTxtFieldsResult {
  const contact = [...new Set(p.contacts.map((c) => contactUri(c, baseUrl)).filter((u): u is string => u !== null))];
  if (contact.length === 0) {
    return { ok: false, message: 'the policy has no contact that security.txt can name: its only contact is the web form, so give --base-url (where the desk runs) or a web-form url' };
  }
  const keys = [p.openpgp?.keyUrl, ...p.contacts.map((c) => (c.type === 'email' ? c.encryption?.keyUrl : undefined))];
  const encryption = [...new Set(keys.filter((k): k is string => !!k))];
  const policyUrl = p.securityTxt.policy ?? (baseUrl ? `${trimSlash(baseUrl)}/policy` : undefined);
  const fields: SecurityTxtFields = {
    contact,
    expires: wholeSeconds(addDuration(now, p.securityTxt.expiresAfter, calendarOf(p))),
    canonical: p.securityTxt.canonical,
    preferredLanguages: p.languages,
  };
  if (encryption.length) fields.encryption = encryption;
  if (policyUrl) fields.policy = [policyUrl];
  if (p.securityTxt.acknowledgments) fields.acknowledgments = [p.securityTxt.acknowledgments];
  if (p.securityTxt.hiring) fields.hiring = [p.securityTxt.hiring];
  if (p.securityTxt.csaf) fields.csaf = [p.securityTxt.csaf];
  return { ok: true, fields };
}

/** A published expiry needs no milliseconds; dropping them keeps the file tidy and readers' parsers happy. */
const wholeSeconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
