import type { Generated } from 'kysely';

export interface SalesTargetTable {
  id: Generated<number>;
  /** 'YYYY-MM' of the tenant's calendar. */
  month: string;
  subject_type: string;
  /** app_user.id or department.id by subject_type. */
  subject_id: number;
  metric: string;
  /** Fen for contract_amount and receipts; a count for new_customers and visits. */
  value: number;
  set_by: number;
  set_at: string;
}

export interface TargetTables {
  sales_target: SalesTargetTable;
}
