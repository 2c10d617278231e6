import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely's view of the schema in migrations/. Keep it in step with them. */
type Timestamp = ColumnType<Date, Date, Date>;
type Json<T = unknown> = ColumnType<T, T, T>;

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member' | 'coordinator';
  password_hash: string;
  totp_secret: string | null;
  totp_enabled_at: Timestamp | null;
  /** The last TOTP time step accepted (migration 0002): replayed codes are refused. */
  totp_last_step: number | null;
  created_at: Timestamp;
  last_active_at: Timestamp | null;
  removed_at: Timestamp | null;
}

export interface ReportsTable {
  id: string;
  number: Generated<number>;
  title: string;
  image: string | null;
  tag: string | null;
  description: string;
  steps: string | null;
  impact: string | null;
  reporter_cvss: string | null;
  reporter_name: string | null;
  reporter_email: string | null;
  credit_name: string | null;
  language: string;
  channel: 'web' | 'api' | 'email' | 'github' | 'gitlab';
  encrypted: Generated<boolean>;
  state: string;
  rejection_reason: string | null;
  duplicate_of: string | null;
  severity: string | null;
  cvss_vector: string | null;
  cvss_score: number | null;
  cwe: string | null;
  scope_area: string | null;
  upstream_consent: Generated<boolean>;
  assignee_id: string | null;
  received_at: Timestamp;
  acknowledged_at: Timestamp | null;
  triaged_at: Timestamp | null;
  fixed_at: Timestamp | null;
  disclosed_at: Timestamp | null;
  token_hash: string;
  updated_at: Timestamp;
  /** The reporter's OpenPGP public key, armored (migration 0006): mail to them is encrypted to it. */
  reporter_key: string | null;
}

export interface ReportPausesTable {
  id: Generated<number>;
  report_id: string;
  started_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface ReportEventsTable {
  id: Generated<number>;
  report_id: string;
  at: Timestamp;
  actor_kind: 'reporter' | 'user' | 'system';
  actor_id: string | null;
  kind: string;
  data: Json<Record<string, unknown>>;
  visible: boolean;
}

export interface MessagesTable {
  id: string;
  report_id: string;
  at: Timestamp;
  author_kind: 'reporter' | 'user' | 'system';
  author_id: string | null;
  internal: boolean;
  body: string;
}

export interface AttachmentsTable {
  id: string;
  report_id: string;
  message_id: string | null;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Uint8Array;
  created_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  second_factor: boolean;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface InvitationsTable {
  token_hash: string;
  email: string | null;
  role: 'admin' | 'member' | 'coordinator';
  report_id: string | null;
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
}

export interface CoordinatorGrantsTable {
  user_id: string;
  report_id: string;
  granted_by: string | null;
  created_at: Timestamp;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  key: string;
  at: Timestamp;
}

/** A request counter of a rate limit for one key and fixed window (migration 0013). */
export interface RateLimitCountersTable {
  key: string;
  window_start: Timestamp;
  window_end: Timestamp;
  count: number;
}

export interface AuditLogTable {
  seq: number;
  at: Timestamp;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  report_id: string | null;
  detail: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface JobRunsTable {
  name: string;
  slot: Timestamp;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  error: string | null;
}

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  payload: Json<Record<string, unknown>>;
  dedupe_key: string | null;
  run_at: Timestamp;
  attempts: Generated<number>;
  locked_until: Timestamp | null;
  done_at: Timestamp | null;
  last_error: string | null;
}

/** One mail the desk means to send (migration 0006), once per dedupe key. */
export interface MailOutboxTable {
  id: string;
  dedupe_key: string;
  kind: 'ack' | 'event' | 'message' | 'new-report' | 'due-soon' | 'overdue' | 'digest' | 'invitation' | 'subscription-confirm' | 'announcement';
  audience: 'reporter' | 'team' | 'invitee' | 'subscriber';
  report_id: string | null;
  user_id: string | null;
  recipient: string;
  language: string;
  payload: Json<Record<string, unknown>>;
  /** A link the mail carries, sealed with the desk's key; erased once sent. */
  secret: string | null;
  status: 'pending' | 'sent' | 'failed' | 'cancelled';
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  message_id: string;
}

/** One mail the SMTP listener took (migration 0007): stored once per Message-ID, with what it became. */
export interface InboundMailTable {
  id: string;
  message_id: string;
  received_at: Timestamp;
  size: number;
  sha256: string;
  envelope_from: string | null;
  claimed_from: string | null;
  sender_proof: 'none' | 'pgp';
  outcome: 'report' | 'message' | 'refused' | 'ignored';
  reason: string | null;
  report_id: string | null;
  message_ref: string | null;
  encryption: 'none' | 'pgp-mime' | 'inline';
  decryption: 'none' | 'decrypted' | 'kept-encrypted' | 'failed';
  signature: 'not_signed' | 'verified' | 'bad_signature' | 'unknown_key';
  signer_fingerprint: string | null;
  dropped: Json<Array<{ filename: string; reason: string }>>;
}

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: Timestamp;
}

export interface ImageRepositoriesTable {
  name: string;
  last_sync_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_error: string | null;
}

export interface ImageManifestsTable {
  repository: string;
  digest: string;
  media_type: string;
  /** JSON array of "os/arch[/variant]". */
  platforms: string;
  created: Timestamp | null;
  revision: string | null;
  version: string | null;
  base_name: string | null;
  base_digest: string | null;
  fetched_at: Timestamp;
}

export interface ImageTagsTable {
  repository: string;
  tag: string;
  digest: string;
  first_seen_at: Timestamp;
  /** When the tag got its current digest. */
  changed_at: Timestamp;
  seen_at: Timestamp;
}

export interface ImageSyncsTable {
  id: string;
  repository: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  status: 'running' | 'succeeded' | 'failed';
  tags_total: number;
  manifests_fetched: number;
  tags_added: number;
  tags_changed: number;
  tags_removed: number;
  error: string | null;
}

export interface RebuildRunsTable {
  id: string;
  slot: Timestamp | null;
  source: 'schedule' | 'manual';
  requested_by: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  status: 'running' | 'triggered' | 'not-needed' | 'not-triggered' | 'failed';
  rebuild_when: 'always' | 'drift';
  reason: string | null;
  repositories: Json;
  tags: Json;
  trigger_kind: string | null;
  request: Json | null;
  response_status: number | null;
  response_body: string | null;
  attempts: Generated<number>;
  triggered_at: Timestamp | null;
  error: string | null;
}

/** Where a fixed report's fix goes (migration 0005): out-of-cycle decision, fix build, shipment. */
export interface ReportReleasesTable {
  report_id: string;
  out_of_cycle: boolean;
  out_of_cycle_basis: 'severity' | 'urgent' | null;
  /** The latest out-of-cycle decision, either way: who, when and why. */
  decided_at: Timestamp | null;
  decided_by: string | null;
  decision_reason: string | null;
  build_repository: string | null;
  build_tag: string | null;
  /** The inventory's digest of the tag when the build was recorded. */
  build_digest: string | null;
  build_recorded_at: Timestamp | null;
  build_recorded_by: string | null;
  shipped_in: 'window' | 'out_of_cycle' | 'release' | null;
  /** YYYY-MM-DD in the policy's zone: the window's date, or the day of the out-of-cycle or plain release. */
  shipped_date: string | null;
  shipped_at: Timestamp | null;
  shipped_by: string | null;
  updated_at: Timestamp;
}

/** One row per security window the team was reminded of (migration 0005). */
export interface ReleaseRemindersTable {
  window_start: Timestamp;
  window_date: string;
  sent_at: Timestamp;
  reports: Json<Array<{ id: string; number: number; title: string; severity: string | null }>>;
}

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

export interface AdvisoryReportsTable {
  advisory_id: string;
  report_id: string;
}

/** A report imported from a forge (migration 0008): once per (forge, external id). */
export interface ForgeImportsTable {
  forge: 'github' | 'gitlab';
  /** GitHub: the GHSA id; GitLab: "<host>:<issue id>". */
  external_id: string;
  report_id: string;
  /** GitHub: owner/repo; GitLab: the project's full path. */
  project: string;
  project_id: string | null;
  issue_iid: number | null;
  url: string;
  reporter_login: string | null;
  data: Json<Record<string, unknown>>;
  via: 'poll' | 'webhook' | 'backfill';
  imported_at: Timestamp;
}

/** A team message mirrored back to the forge it came from (migration 0008). */
export interface ForgeCommentsTable {
  message_id: string;
  report_id: string;
  forge: 'github' | 'gitlab';
  state: 'pending' | 'posted' | 'failed';
  requested_by: string | null;
  requested_at: Timestamp;
  attempts: Generated<number>;
  posted_at: Timestamp | null;
  external_id: string | null;
  url: string | null;
  error: string | null;
}

/** The last poll of each forge source (migration 0008). */
export interface ForgeSourcesTable {
  source: string;
  last_poll_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_error: string | null;
  last_imported: Generated<number>;
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

export interface Tables {
  users: UsersTable;
  reports: ReportsTable;
  report_pauses: ReportPausesTable;
  report_events: ReportEventsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  coordinator_grants: CoordinatorGrantsTable;
  login_attempts: LoginAttemptsTable;
  rate_limit_counters: RateLimitCountersTable;
  audit_log: AuditLogTable;
  job_runs: JobRunsTable;
  jobs: JobsTable;
  settings: SettingsTable;
  inbound_mail: InboundMailTable;
  mail_outbox: MailOutboxTable;
  image_repositories: ImageRepositoriesTable;
  image_manifests: ImageManifestsTable;
  image_tags: ImageTagsTable;
  image_syncs: ImageSyncsTable;
  rebuild_runs: RebuildRunsTable;
  report_releases: ReportReleasesTable;
  release_reminders: ReleaseRemindersTable;
  forge_imports: ForgeImportsTable;
  forge_comments: ForgeCommentsTable;
  forge_sources: ForgeSourcesTable;
  advisories: AdvisoriesTable;
  advisory_revisions: AdvisoryRevisionsTable;
  advisory_reports: AdvisoryReportsTable;
  subscribers: SubscribersTable;
  webhooks: WebhooksTable;
  announcements: AnnouncementsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  advisory_frozen: AdvisoryFrozenTable;
}

export type Report = Selectable<ReportsTable>;
export type NewReport = Insertable<ReportsTable>;
export type ReportUpdate = Updateable<ReportsTable>;
export type User = Selectable<UsersTable>;
export type Message = Selectable<MessagesTable>;
export type ReportEvent = Selectable<ReportEventsTable>;
export type Attachment = Selectable<AttachmentsTable>;
