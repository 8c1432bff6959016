import type { Generated } from 'kysely';

export interface ContractNumberSequenceTable {
  year: number;
  last_value: number;
}

export interface ContractTable {
  id: Generated<number>;
  /** HT-YYYY-NNNNNN, unique, given at creation. */
  number: string;
  customer_id: number;
  type: string;
  title: string;
  status: string;
  owner_id: number;
  opportunity_id: number | null;
  project_id: number | null;
  quote_id: number | null;
  start_date: string | null;
  end_date: string | null;
  delivery_terms: string;
  notes: string;
  total_list_fen: number;
  total_net_fen: number;
  total_quantity: number;
  has_special_discount: number;
  /** The latest sales-contract approval. */
  approval_id: number | null;
  approved_content_hash: string | null;
  approved_at: string | null;
  sealed_at: string | null;
  sealed_by: number | null;
  seal_type: string | null;
  sealed_content_hash: string | null;
  seal_note: string | null;
  archived_at: string | null;
  archived_by: number | null;
  archive_number: string | null;
  archive_location: string | null;
  void_reason: string | null;
  /** The status a void request started from, restored when the void is rejected or withdrawn. */
  void_from_status: string | null;
  void_approval_id: number | null;
  voided_at: string | null;
  version: number;
  created_by: number;
  created_at: string;
  updated_at: string;
}

export interface ContractLineTable {
  id: Generated<number>;
  contract_id: number;
  seq: number;
  book_id: number | null;
  isbn: string | null;
  title: string;
  list_price_fen: number;
  quantity: number;
  discount: number;
  floor_discount: number | null;
  is_special_discount: number;
  list_amount_fen: number;
  net_amount_fen: number;
}

export interface ContractInstallmentTable {
  id: Generated<number>;
  contract_id: number;
  seq: number;
  due_date: string;
  amount_fen: number;
  percent_bp: number | null;
  note: string;
}

export interface ContractAttachmentTable {
  id: Generated<number>;
  contract_id: number;
  kind: string;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  /** Content hash; the file is stored under DATA_DIR by this hash. */
  sha256: string;
  uploaded_by: number;
  uploaded_at: string;
  removed_at: string | null;
}

export interface ContractTables {
  contract_number_sequence: ContractNumberSequenceTable;
  contract: ContractTable;
  contract_line: ContractLineTable;
  contract_installment: ContractInstallmentTable;
  contract_attachment: ContractAttachmentTable;
}
