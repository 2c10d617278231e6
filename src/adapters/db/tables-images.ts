/** Kysely's view of the image inventory, rebuild and release tables (migrations 0003 to 0005). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;
type Json<T = unknown> = ColumnType<T, T, T>;

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
