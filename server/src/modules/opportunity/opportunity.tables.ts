import type { Generated } from 'kysely';

export interface OpportunityTable {
  id: Generated<number>;
  customer_id: number;
  name: string;
  kind: string;
  stage: string;
  /** Furthest stage reached: 1 initial contact, 2 needs confirmed, 3 quoting, 4 negotiating, 5 won. */
  max_stage_rank: number;
  expected_amount_fen: number;
  expected_close_date: string;
  /** Actual close date when won or lost, otherwise the expected close date ('YYYY-MM-DD', Asia/Shanghai). */
  close_date: string;
  owner_id: number;
  competitor: string | null;
  notes: string | null;
  lost_reason: string | null;
  won_contract_id: number | null;
  closed_at: string | null;
  last_activity_at: string;
  stale_notified_at: string | null;
  created_by: number;
  created_at: string;
  updated_at: string;
}

export interface OpportunityStageChangeTable {
  id: Generated<number>;
  opportunity_id: number;
  from_stage: string | null;
  to_stage: string;
  reason: string | null;
  actor_user_id: number | null;
  changed_at: string;
}

export interface OpportunityTables {
  opportunity: OpportunityTable;
  opportunity_stage_change: OpportunityStageChangeTable;
}
