import type { Generated } from 'kysely';

/**
 * Tables of the receivable module. Amounts are integer fen; `*_date` columns are calendar dates of the
 * tenant zone, `*_at` columns UTC instants. The counters `allocated_fen`, `credited_fen`, `issued_fen`,
 * `settled_quantity` and `returned_quantity` are kept in step with their detail rows inside the same
 * transaction, and CHECK constraints stop them from passing the amount they belong to.
 */
export interface PaymentPlanTable {
  id: Generated<number>;
  customer_id: number;
  /** Set for a contract installment. */
  contract_id: number | null;
  /** Set for the plan a consignment settlement bills. */
  consignment_settlement_id: number | null;
  seq: number;
  due_date: string;
  amount_fen: number;
  allocated_fen: number;
  status: 'open' | 'partial' | 'received' | 'cancelled';
  /** Highest overdue threshold (days) whose notices have been queued; 0 before the first. */
  overdue_notified_days: number;
  created_at: string;
  /** Amount written off when the plan was cancelled (`amount_fen - allocated_fen`); 0 unless cancelled. */
  cancelled_fen: Generated<number>;
  /** Time the plan's contract was voided, set on received plans of that contract too. */
  cancelled_at: string | null;
}

export interface ReceiptTable {
  id: Generated<number>;
  number: string;
  customer_id: number;
  received_date: string;
  amount_fen: number;
  allocated_fen: number;
  payer_name: string;
  method: 'bank_transfer' | 'cash' | 'check' | 'acceptance_bill' | 'online' | 'other';
  /** The bank's transaction reference; unique, so an imported row is never imported twice. */
  bank_reference: string | null;
  note: string | null;
  source: 'manual' | 'bank_import';
  status: 'active' | 'reversed';
  created_by: number;
  created_at: string;
  reversed_at: string | null;
  reversed_by: number | null;
  reversal_reason: string | null;
}

export interface AllocationTable {
  id: Generated<number>;
  plan_id: number;
  /** Exactly one of receipt_id and return_order_id is set. */
  receipt_id: number | null;
  return_order_id: number | null;
  amount_fen: number;
  method: 'auto' | 'manual' | 'return_credit';
  created_by: number | null;
  created_at: string;
  reversed_at: string | null;
  reversed_by: number | null;
}

export interface ReceivableEntryTable {
  id: Generated<number>;
  customer_id: number;
  kind: 'shipment' | 'consignment_settlement' | 'return' | 'receipt' | 'receipt_reversal' | 'adjustment';
  source_id: number;
  document_number: string;
  entry_date: string;
  /** 'YYYY-MM' the entry is booked in; later than entry_date's month when that month's statement was already sent. */
  posting_month: string;
  /** Signed: positive raises what the customer owes. */
  amount_fen: number;
  list_amount_fen: number | null;
  description: string;
  created_at: string;
}

export interface ShipmentTable {
  id: Generated<number>;
  number: string;
  customer_id: number;
  contract_id: number | null;
  shipped_date: string;
  terms: 'sale' | 'consignment';
  list_amount_fen: number;
  net_amount_fen: number;
  total_quantity: number;
  source: 'manual' | 'import';
  note: string | null;
  created_by: number;
  created_at: string;
}

export interface ShipmentLineTable {
  id: Generated<number>;
  shipment_id: number;
  line_no: number;
  isbn: string;
  title: string;
  quantity: number;
  list_price_fen: number;
  discount: number;
  list_amount_fen: number;
  net_amount_fen: number;
  /** Consignment only: copies billed by settlements. */
  settled_quantity: number;
  /** Consignment only: copies returned unsold. */
  returned_quantity: number;
}

export interface ReturnOrderTable {
  id: Generated<number>;
  number: string;
  customer_id: number;
  contract_id: number | null;
  shipment_id: number | null;
  return_date: string;
  terms: 'sale' | 'consignment';
  list_amount_fen: number;
  net_amount_fen: number;
  total_quantity: number;
  /** Part of net_amount_fen applied to payment plans. */
  credited_fen: number;
  status: 'pending_approval' | 'confirmed' | 'rejected' | 'withdrawn';
  approval_id: number | null;
  reason: string;
  source: 'manual' | 'import';
  created_by: number;
  created_at: string;
  confirmed_at: string | null;
}

export interface ReturnOrderLineTable {
  id: Generated<number>;
  return_order_id: number;
  line_no: number;
  isbn: string;
  title: string;
  quantity: number;
  list_price_fen: number;
  discount: number;
  list_amount_fen: number;
  net_amount_fen: number;
}

export interface ConsignmentAgreementTable {
  customer_id: number;
  /** Days after shipment within which unsold copies may be returned. */
  return_window_days: number;
  /** Days before the window closes when the owner rep is warned. */
  warn_days_before: number;
  /** Days after a settlement when its payment falls due. */
  payment_days: number;
  active: number;
  updated_by: number;
  updated_at: string;
}

export interface ConsignmentSettlementTable {
  id: Generated<number>;
  number: string;
  customer_id: number;
  period_from: string;
  period_to: string;
  list_amount_fen: number;
  net_amount_fen: number;
  total_quantity: number;
  source: 'manual' | 'import';
  created_by: number;
  created_at: string;
}

export interface ConsignmentSettlementLineTable {
  id: Generated<number>;
  settlement_id: number;
  shipment_line_id: number;
  isbn: string;
  title: string;
  quantity: number;
  list_price_fen: number;
  discount: number;
  list_amount_fen: number;
  net_amount_fen: number;
}

export interface ConsignmentReturnDrawTable {
  id: Generated<number>;
  return_order_line_id: number;
  shipment_line_id: number;
  quantity: number;
}

export interface InvoiceRequestTable {
  id: Generated<number>;
  number: string;
  contract_id: number;
  customer_id: number;
  buyer_name: string;
  tax_id: string;
  address_phone: string;
  bank_account: string;
  amount_fen: number;
  /** Blue minus red amounts issued on this request. */
  issued_fen: number;
  different_buyer_confirmed: number;
  status: 'pending_approval' | 'approved' | 'rejected' | 'withdrawn' | 'issued';
  approval_id: number | null;
  note: string | null;
  requested_by: number;
  created_at: string;
  decided_at: string | null;
}

export interface InvoiceTable {
  id: Generated<number>;
  invoice_request_id: number;
  contract_id: number;
  customer_id: number;
  kind: 'blue' | 'red';
  /** Empty for a fully digital invoice (数电票), which has only the 20-digit number. */
  invoice_code: string;
  invoice_number: string;
  issue_date: string;
  amount_fen: number;
  tax_fen: number;
  /** Red-letter invoices: the blue invoice they reverse. */
  reverses_invoice_id: number | null;
  /** Blue invoices: how much red-letter invoices have reversed so far. */
  reversed_fen: number;
  recorded_by: number;
  created_at: string;
}

export interface InvoiceLineTable {
  id: Generated<number>;
  invoice_id: number;
  line_no: number;
  description: string;
  amount_fen: number;
  tax_rate_bp: number;
  tax_fen: number;
}

export interface StatementTable {
  id: Generated<number>;
  number: string;
  customer_id: number;
  month: string;
  opening_fen: number;
  shipped_fen: number;
  returned_fen: number;
  received_fen: number;
  adjusted_fen: number;
  closing_fen: number;
  line_count: number;
  status: 'sent' | 'confirmed' | 'disputed';
  sent_by: number;
  sent_at: string;
  confirmed_at: string | null;
  confirmed_by_name: string | null;
}

export interface StatementLineTable {
  id: Generated<number>;
  statement_id: number;
  line_no: number;
  entry_id: number;
  kind: ReceivableEntryTable['kind'];
  entry_date: string;
  document_number: string;
  description: string;
  list_amount_fen: number | null;
  amount_fen: number;
}

export interface StatementShareTable {
  id: Generated<number>;
  statement_id: number;
  token_hash: string;
  expires_at: string;
  created_by: number;
  created_at: string;
  revoked_at: string | null;
  last_viewed_at: string | null;
}

export interface StatementDisputeTable {
  id: Generated<number>;
  statement_id: number;
  /** Null when the clerk disputes the statement as a whole. */
  statement_line_id: number | null;
  comment: string;
  /** The amount the customer's books show for the line, when the clerk gives one. */
  claimed_amount_fen: number | null;
  clerk_name: string;
  status: 'open' | 'resolved' | 'settled';
  created_at: string;
  resolved_at: string | null;
  resolved_by: number | null;
  resolution_note: string | null;
}

export interface OverdueOverflowTable {
  as_of_date: string;
  user_id: number;
  plan_count: number;
  amount_fen: number;
  /** Summaries sent for this day and person so far; part of the summary's dedup key. */
  flush_count: number;
  flushed_at: string | null;
}

export interface ReceivableTables {
  payment_plan: PaymentPlanTable;
  receipt: ReceiptTable;
  allocation: AllocationTable;
  receivable_entry: ReceivableEntryTable;
  shipment: ShipmentTable;
  shipment_line: ShipmentLineTable;
  return_order: ReturnOrderTable;
  return_order_line: ReturnOrderLineTable;
  consignment_agreement: ConsignmentAgreementTable;
  consignment_settlement: ConsignmentSettlementTable;
  consignment_settlement_line: ConsignmentSettlementLineTable;
  consignment_return_draw: ConsignmentReturnDrawTable;
  invoice_request: InvoiceRequestTable;
  invoice: InvoiceTable;
  invoice_line: InvoiceLineTable;
  statement: StatementTable;
  statement_line: StatementLineTable;
  statement_share: StatementShareTable;
  statement_dispute: StatementDisputeTable;
  overdue_overflow: OverdueOverflowTable;
}
