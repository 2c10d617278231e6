import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/adapters/db/open-database.js';
import type { NewReport } from '../../src/adapters/db/tables.js';
import { newToken } from '../../src/app/tokens.js';

/** A report row as intake would store it, for tests of what happens after intake. */
export async function insertReport(db: Db, over: Partial<NewReport> = {}): Promise<{ id: string; number: number; token: string }> {
  const { token, hash } = newToken();
  const at = over.received_at ?? new Date('2026-11-23T10:00:00Z');
  const row = await db
    .insertInto('reports')
    .values({
      id: randomUUID(),
      title: 'Stored XSS in the admin panel',
      image: 'docker.io/mautic/mautic',
      tag: '5.2.1-apache',
      description: 'The name field is not escaped.',
      steps: null,
      impact: null,
      reporter_cvss: null,
      reporter_name: 'Rita Reporter',
      reporter_email: 'rita@example.org',
      credit_name: 'Rita Reporter',
      language: 'en',
      channel: 'web',
      state: 'received',
      rejection_reason: null,
      duplicate_of: null,
      severity: null,
      cvss_vector: null,
      cvss_score: null,
      cwe: null,
      scope_area: null,
      assignee_id: null,
      received_at: at,
      acknowledged_at: null,
      triaged_at: null,
      fixed_at: null,
      disclosed_at: null,
      token_hash: hash,
      updated_at: at,
      ...over,
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
  return { ...row, token };
}

export async function insertUser(db: Db, over: { role?: 'admin' | 'member' | 'coordinator'; name?: string; email?: string } = {}): Promise<{ id: string; name: string }> {
  const id = randomUUID();
  const name = over.name ?? `User ${id.slice(0, 4)}`;
  await db
    .insertInto('users')
    .values({ id, email: over.email ?? `${id}@example.org`, name, role: over.role ?? 'member', password_hash: 'not-a-login', totp_secret: null, totp_enabled_at: null, created_at: new Date(), last_active_at: null, removed_at: null })
    .execute();
  return { id, name };
}
