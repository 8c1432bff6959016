/** Monthly KPI rollups maintained by the triggers of migration 0065; months are 'YYYY-MM' in Asia/Shanghai. */

export interface KpiOwnerMonthTable {
  /** The owner's user id, or 0 for records without an owner (customers in the pool). */
  owner_key: number;
  month: string;
  new_customers: number;
  visits: number;
  opportunities_created: number;
  opportunities_won: number;
  opportunities_lost: number;
  contracts_signed: number;
  contract_amount_fen: number;
  shipped_net_fen: number;
  shipped_list_fen: number;
  returned_net_fen: number;
  returned_list_fen: number;
  receipts_fen: number;
}

export interface KpiCustomerMonthTable {
  customer_id: number;
  month: string;
  shipped_net_fen: number;
  shipped_list_fen: number;
  returned_net_fen: number;
  returned_list_fen: number;
  receipts_fen: number;
}

export interface KpiVisitCoverageTable {
  owner_id: number;
  customer_id: number;
  month: string;
  visits: number;
}

export interface KpiTables {
  kpi_owner_month: KpiOwnerMonthTable;
  kpi_customer_month: KpiCustomerMonthTable;
  kpi_visit_coverage: KpiVisitCoverageTable;
}
