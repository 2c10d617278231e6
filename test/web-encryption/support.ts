import { writeFile } from 'node:fs/promises';
import { sql } from 'kysely';
import * as openpgp from 'openpgp';
import type { Db } from '../../src/adapters/db/open-database.js';
import { deskFiles, DESK_PASSPHRASE, keyPair, type KeyPair } from '../mail-in/support.js';
import { startTestDesk, type TestDesk, type TestDeskOptions } from '../support/desk.js';

/**
 * A desk with the policy's OpenPGP key (passphrase-protected, as a real one), and what a
 * reporter's browser does with it: the report's confidential fields as one armored message and
 * each file as a binary message, in the format of src/domain/reports/sealed-report.ts.
 */
export { DESK_PASSPHRASE, keyPair, type KeyPair };

export interface KeyedDesk {
  desk: TestDesk;
  deskKey: KeyPair;
  keyFile: string;
  close(): Promise<void>;
}

/** `policyKey` names another key in the policy than the one the desk has; `withKey: false` gives the desk none. */
export async function startKeyedDesk(o: { withKey?: boolean; policyKey?: KeyPair; deskKey?: KeyPair } & Pick<TestDeskOptions, 'database'> = {}): Promise<KeyedDesk> {
  const deskKey = o.deskKey ?? (await keyPair('Example Security Team', 'crypt@example.org', DESK_PASSPHRASE));
  const files = await deskFiles({ deskKey: o.policyKey ?? deskKey });
  if (o.policyKey) await writeFile(files.keyFile, deskKey.privateKey, { mode: 0o600 });
  const desk = await startTestDesk({
    ...(o.database ? { database: o.database } : {}),
    env: { CVDESK_POLICY: files.policy, ...(o.withKey === false ? {} : { CVDESK_SIGNING_KEY_FILE: files.keyFile, CVDESK_SIGNING_KEY_PASSPHRASE: DESK_PASSPHRASE }) },
  });
  return { desk, deskKey, keyFile: files.keyFile, close: () => desk.close() };
}

export interface PlainReport {
  title: string;
  description: string;
  steps?: string;
  impact?: string;
  cvss?: string;
  files?: Array<{ name: string; type: string; data: Buffer }>;
}

/** What assets/encrypt-report.js sends, made with openpgp in Node. */
export async function sealReport(publicKey: string, r: PlainReport): Promise<{ encrypted: string; files: Array<{ filename: string; data: Buffer }> }> {
  const key = await openpgp.readKey({ armoredKey: publicKey });
  const files: Array<{ filename: string; data: Buffer }> = [];
  const listed: Array<{ file: string; name: string; type: string; size: number }> = [];
  for (const [i, f] of (r.files ?? []).entries()) {
    const filename = `attachment-${i + 1}.pgp`;
    const data = await openpgp.encrypt({ message: await openpgp.createMessage({ binary: f.data, filename: f.name }), encryptionKeys: key, format: 'binary' });
    files.push({ filename, data: Buffer.from(data) });
    listed.push({ file: filename, name: f.name, type: f.type, size: f.data.length });
  }
  const { files: _files, ...fields } = r;
  void _files;
  const text = JSON.stringify({ type: 'cvdesk-report', version: 1, ...fields, attachments: listed });
  const encrypted = await openpgp.encrypt({ message: await openpgp.createMessage({ text }), encryptionKeys: key });
  return { encrypted, files };
}

/** Decrypts what the desk stored, as a team member with the project key would. */
export async function openSealed(deskKey: KeyPair, data: string | Uint8Array): Promise<string | Uint8Array> {
  const privateKey = await openpgp.decryptKey({ privateKey: await openpgp.readPrivateKey({ armoredKey: deskKey.privateKey }), passphrase: DESK_PASSPHRASE });
  const message = typeof data === 'string' ? await openpgp.readMessage({ armoredMessage: data }) : await openpgp.readMessage({ binaryMessage: data });
  const r = await openpgp.decrypt({ message, decryptionKeys: privateKey, format: typeof data === 'string' ? 'utf8' : 'binary' });
  return r.data as string | Uint8Array;
}

/**
 * Every place in the database a canary could be: each text, character, JSON and bytea column of
 * every table in every schema (the job queue's included). Returns "schema.table.column" per hit.
 */
export async function canaryHits(db: Db, canary: string): Promise<string[]> {
  const columns = await sql<{ table_schema: string; table_name: string; column_name: string; data_type: string }>`
    select c.table_schema, c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema')
      and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')`.execute(db);
  const hits: string[] = [];
  for (const c of columns.rows) {
    const col = sql.ref(`${c.table_schema}.${c.table_name}.${c.column_name}`);
    const table = sql.table(`${c.table_schema}.${c.table_name}`);
    const found =
      c.data_type === 'bytea'
        ? await sql<{ n: number }>`select count(*)::int as n from ${table} where position(convert_to(${canary}, 'UTF8') in ${col}) > 0`.execute(db)
        : await sql<{ n: number }>`select count(*)::int as n from ${table} where strpos(${col}::text, ${canary}) > 0`.execute(db);
    if ((found.rows[0]?.n ?? 0) > 0) hits.push(`${c.table_schema}.${c.table_name}.${c.column_name}`);
  }
  return hits;
}
