import type { Generated } from 'kysely';

/** Tables of the walking skeleton: org, sessions, audit, idempotency, outbox, jobs, settings. */
export interface DepartmentTable {
  id: Generated<number>;
  platform: string;
  platform_department_id: string;
  name: string;
  parent_id: number | null;
  /** Materialized path of local ids, e.g. '/1/4/9/', so a subtree is one LIKE prefix query. */
  path: string;
  sort_order: number;
  active: number;
  synced_at: string;
}

export interface AppUserTable {
  id: Generated<number>;
  platform: string;
  platform_user_id: string;
  union_id: string | null;
  name: string;
  title: string | null;
  avatar_url: string | null;
  active: number;
  left_at: string | null;
  synced_at: string;
  created_at: string;
}

export interface UserDepartmentTable {
  user_id: number;
  department_id: number;
  is_leader: number;
}

export interface UserRoleTable {
  user_id: number;
  role: string;
  granted_by: number | null;
  granted_at: string;
}

export interface SessionTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoke_reason: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  occurred_at: string;
  actor_user_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string;
  /** JSON of what changed. */
  data: string;
  prev_hash: string;
  hash: string;
}

export interface IdempotencyKeyTable {
  user_id: number;
  key: string;
  route: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  dedup_key: string;
  kind: string;
  recipient_user_id: number;
  /** JSON of the PlatformMessage or to-do action. */
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  platform_message_id: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface JobLeaseTable {
  name: string;
  holder: string;
  expires_at: string;
}

export interface PlatformEventTable {
  platform: string;
  event_id: string;
  event_type: string;
  received_at: string;
  processed_at: string | null;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_by: number | null;
  updated_at: string;
}

/** One row whose version goes up with every change to the org tables (see migration 0002_org_version). */
export interface OrgVersionTable {
  id: number;
  version: number;
}

export interface CoreTables {
  department: DepartmentTable;
  app_user: AppUserTable;
  user_department: UserDepartmentTable;
  user_role: UserRoleTable;
  session: SessionTable;
  audit_log: AuditLogTable;
  idempotency_key: IdempotencyKeyTable;
  outbox: OutboxTable;
  job_lease: JobLeaseTable;
  platform_event: PlatformEventTable;
  setting: SettingTable;
  org_version: OrgVersionTable;
}
