/**
 * A base-image CVE on the Mautic image, fixed by the weekly rebuild: 5.2.1-apache (and 5.2.1, the
 * same image) pushed again on the updated base image, the FPM variant not affected. The desk's
 * provider serves, beside the csaf_security_advisory, one csaf_vex document per upstream CVE.
 */
import { createHash } from 'node:crypto';
import * as openpgp from 'openpgp';
import type { Db } from '../../src/adapters/db/open-database.js';
import type { TestDesk } from '../support/desk.js';
import { digest, MAUTIC } from '../releases/support.js';

export { digest, MAUTIC, seedInventory } from '../releases/support.js';

/** The tags after the rebuild: 5.2.1-apache and 5.2.1 carry the rebuilt image d; the image they replaced was a. */
export const REBUILT = { '5.2.1-apache': digest('d'), '5.2.1': digest('d'), '5.2.1-fpm': digest('b'), '5.2.0-apache': digest('c') };
export const UPSTREAM = ['CVE-2024-6119', 'CVE-2024-5535'];

/** The editor's document of the advisory (the desk adds id, status, dates). */
export function baseImageDocument(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'OpenSSL flaws in the base image of the Apache variant',
    summary: 'The Debian base image carried an OpenSSL with two known flaws; the weekly rebuild picked up the fixed package.',
    details: 'OpenSSL before 3.0.14-1~deb12u2 can read an invalid address when it checks a host name, and can overread a buffer in SSL_select_next_proto.',
    severity: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L' },
    cwe: ['CWE-843'],
    upstream: UPSTREAM,
    component: { name: 'openssl', purl: 'pkg:deb/debian/openssl', fixedVersion: '3.0.14-1~deb12u2' },
    images: [
      {
        name: MAUTIC,
        fixed: [
          { tag: '5.2.1-apache', digest: digest('d'), replaces: [digest('a')] },
          { tag: '5.2.1', digest: digest('d'), replaces: [digest('a')] },
        ],
        notAffected: [{ variants: ['fpm'], versions: [{ introduced: '5.0.0' }], justification: 'vulnerable_code_not_in_execute_path', statement: 'The FPM variant never verifies host names with OpenSSL.' }],
      },
    ],
    credits: [{ name: 'Debian Security Team', type: 'remediation_developer' }],
    ...over,
  };
}

export const get = (desk: TestDesk, url: string) => desk.app.inject({ method: 'GET', url });
export const sha = (alg: 'sha256' | 'sha512', s: string): string => createHash(alg).update(s, 'utf8').digest('hex');

/** Every file the provider serves, by address (the listed documents with their hashes and signatures, and the listings). */
export async function providerFiles(desk: TestDesk): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const root = '/.well-known/csaf';
  for (const f of ['provider-metadata.json', 'service.json', 'white/index.txt', 'white/changes.csv', 'white/csaf-feed-tlp-white.json']) out.set(`${root}/${f}`, (await get(desk, `${root}/${f}`)).body);
  for (const path of (out.get(`${root}/white/index.txt`) ?? '').trim().split('\n').filter(Boolean)) {
    for (const suffix of ['', '.sha256', '.sha512', '.asc']) {
      const r = await get(desk, `${root}/white/${path}${suffix}`);
      if (r.statusCode === 200) out.set(`${root}/white/${path}${suffix}`, r.body);
    }
  }
  return out;
}

/** Does the detached signature verify against the armored public key (judged at `date`)? */
export async function verifies(text: string, armoredSignature: string, armoredKey: string, date: Date): Promise<boolean> {
  const { signatures } = await openpgp.verify({
    message: await openpgp.createMessage({ binary: new TextEncoder().encode(text) }),
    signature: await openpgp.readSignature({ armoredSignature }),
    verificationKeys: await openpgp.readKey({ armoredKey }),
    date,
    format: 'binary',
  });
  try {
    await signatures[0]?.verified;
    return signatures.length === 1;
  } catch {
    return false;
  }
}

/** The stored frozen documents of an advisory's revision. */
export async function frozenTexts(db: Db, ident: string, revision: number): Promise<Array<{ trackingId: string; json: string }>> {
  const row = await db
    .selectFrom('advisory_frozen as f')
    .innerJoin('advisories as a', 'a.id', 'f.advisory_id')
    .select('f.outputs')
    .where('a.ident', '=', ident)
    .where('f.revision', '=', revision)
    .executeTakeFirst();
  return (row?.outputs as { csaf?: Array<{ trackingId: string; json: string }> } | undefined)?.csaf ?? [];
}
