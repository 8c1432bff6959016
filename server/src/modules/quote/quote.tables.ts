import type { Generated } from 'kysely';

export interface QuoteTable {
  id: Generated<number>;
  /** Shared by every version of one quote, e.g. 'BJ-2026-000042'. */
  number: string;
  version: number;
  previous_version_id: number | null;
  customer_id: number;
  opportunity_id: number | null;
  owner_id: number;
  status: string;
  special_discount_approval: string;
  approval_id: number | null;
  /** sha256 of the lines and terms; an approval covers exactly this content. */
  content_hash: string;
  valid_until: string;
  notes: string | null;
  list_amount_fen: number;
  net_amount_fen: number;
  total_quantity: number;
  line_count: number;
  special_line_count: number;
  contract_id: number | null;
  sent_at: string | null;
  created_by: number;
  created_at: string;
  updated_at: string;
}

export interface QuoteLineTable {
  id: Generated<number>;
  quote_id: number;
  seq: number;
  book_id: number;
  isbn: string;
  title: string;
  category: string;
  series: string | null;
  list_price_fen: number;
  quantity: number;
  discount: number;
  default_discount: number;
  floor_discount: number | null;
  list_amount_fen: number;
  net_amount_fen: number;
  is_special_discount: number;
}

export interface QuoteTables {
  quote: QuoteTable;
  quote_line: QuoteLineTable;
}
