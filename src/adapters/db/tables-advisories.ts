/** Kysely's view of the advisory and announcement tables (migrations 0009, 0010, 0012 and 0014). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;
type Json<T = unknown> = ColumnType<T, T, T>;

/** An advisory on the desk (migration 0009): the advisory model's document in a state. */
export interface AdvisoriesTable {
  id: string;
  /** The public name: CVDESK-2026-0001. */
  ident: string;
  state: 'draft' | 'scheduled' | 'published' | 'withdrawn';
  /** The advisory model's input document of the current revision (without inventories). */
  document: Json<Record<string, unknown>>;
  /** 0 until published; then 1, 2, ... as advisory_revisions. */
  revision: Generated<number>;
  scheduled_for: Timestamp | null;
  scheduled_by: string | null;
  published_at: Timestamp | null;
  created_at: Timestamp;
  created_by: string | null;
  updated_at: Timestamp;
  withdrawn_at: Timestamp | null;
  withdrawn_reason: string | null;
  /** An admin's decision to publish without a fixed build in the inventory. */
  override_by: string | null;
  override_reason: string | null;
}

/** Every published revision of an advisory (migration 0009). */
export interface AdvisoryRevisionsTable {
  advisory_id: string;
  revision: number;
  document: Json<Record<string, unknown>>;
  at: Timestamp;
  by: string | null;
  summary: string;
}

/** What a published revision was published as (migration 0012; see src/app/advisories/freeze-advisory.ts). */
export interface AdvisoryFrozenTable {
  advisory_id: string;
  revision: number;
  resolution: Json<Record<string, unknown>>;
  outputs: Json<Record<string, unknown>>;
  frozen_at: Timestamp;
}

/** A repository's inventory as a publication read it, stored once by its content (migration 0014). */
export interface InventorySnapshotsTable {
  /** sha256 of the JSON of [repository, tags]. */
  digest: string;
  repository: string;
  tags: Json<Array<{ tag: string; digest: string }>>;
  taken_at: Timestamp;
}

/** One affected image of a frozen revision (migration 0014): what the tag status queries. */
export interface AdvisoryAffectedTable {
  advisory_id: string;
  revision: number;
  repository: string;
  tag: string;
  digest: string;
}

export interface AdvisoryReportsTable {
  advisory_id: string;
  report_id: string;
}

/** An address that asked for advisories by mail (migration 0010): double opt-in, only token hashes kept. */
export interface SubscribersTable {
  id: string;
  email: string;
  language: 'en' | 'de';
  state: 'pending' | 'confirmed' | 'unsubscribed';
  confirm_hash: string | null;
  confirm_expires_at: Timestamp | null;
  confirm_sent_at: Timestamp | null;
  unsubscribe_hash: string;
  created_at: Timestamp;
  confirmed_at: Timestamp | null;
  unsubscribed_at: Timestamp | null;
}

/** A URL that receives signed announcements (migration 0010); the HMAC key is sealed with the desk's key. */
export interface WebhooksTable {
  id: string;
  url: string;
  secret: string;
  active: Generated<boolean>;
  created_at: Timestamp;
  created_by: string | null;
  removed_at: Timestamp | null;
  removed_by: string | null;
}

/** One advisory event announced (migration 0010): written once, with the mail and deliveries it caused. */
export interface AnnouncementsTable {
  advisory_id: string;
  event: 'published';
  revision: number;
  announced_at: Timestamp;
  mails: number;
  webhooks: number;
}

/** One announcement to one webhook (migration 0010), retried with backoff like the outbox. */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  advisory_id: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_status: number | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}
