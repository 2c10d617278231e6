import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AdvisoriesTable, AdvisoryRevisionsTable, AdvisoryFrozenTable, AdvisoryReportsTable, InventorySnapshotsTable, AdvisoryAffectedTable, SubscribersTable, WebhooksTable, AnnouncementsTable, WebhookDeliveriesTable } from './tables-advisories.js';
import type { ImageRepositoriesTable, ImageManifestsTable, ImageTagsTable, ImageSyncsTable, RebuildRunsTable, ReportReleasesTable, ReleaseRemindersTable } from './tables-images.js';

export type * from './tables-advisories.js';
export type * from './tables-images.js';

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
  inventory_snapshots: InventorySnapshotsTable;
  advisory_affected: AdvisoryAffectedTable;
}

export type Report = Selectable<ReportsTable>;
export type NewReport = Insertable<ReportsTable>;
export type ReportUpdate = Updateable<ReportsTable>;
export type User = Selectable<UsersTable>;
export type Message = Selectable<MessagesTable>;
export type ReportEvent = Selectable<ReportEventsTable>;
export type Attachment = Selectable<AttachmentsTable>;
