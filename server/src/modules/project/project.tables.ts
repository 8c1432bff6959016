import type { Generated } from 'kysely';

export interface ProjectTable {
  id: Generated<number>;
  /** Business number such as XM-2026-0007, unique. */
  number: string;
  kind: string;
  name: string;
  status: Generated<string>;
  owner_id: number;
  opportunity_id: number | null;
  budget_fen: Generated<number>;
  start_date: string | null;
  end_date: string | null;
  description: Generated<string>;
  /** Reason given when the project was completed or cancelled; null while it is active. */
  closed_reason: string | null;
  closed_at: string | null;
  closed_by: number | null;
  created_by: number;
  created_at: string;
  updated_at: string;
}

export interface ProjectCustomerTable {
  project_id: number;
  customer_id: number;
  /** Name when the customer joined the project, so members outside the customer's scope can read it. */
  customer_name: string;
  is_primary: number;
}

export interface ProjectMemberTable {
  project_id: number;
  user_id: number;
  role: string;
  added_by: number | null;
  added_at: string;
}

export interface ProjectMilestoneTable {
  id: Generated<number>;
  project_id: number;
  seq: number;
  name: string;
  due_date: string | null;
  done_date: string | null;
  assignee_id: number | null;
  created_at: string;
}

export interface ProjectTaskTable {
  id: Generated<number>;
  project_id: number;
  milestone_id: number | null;
  title: string;
  notes: Generated<string>;
  assignee_id: number;
  due_date: string | null;
  status: Generated<string>;
  done_at: string | null;
  done_by: number | null;
  created_by: number;
  created_at: string;
  updated_at: string;
}

export interface ProjectDocumentTable {
  id: Generated<number>;
  project_id: number;
  kind: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  /** Content hash; the file lives under DATA_DIR/project-documents/<sha256>. */
  sha256: string;
  note: Generated<string>;
  uploaded_by: number;
  uploaded_at: string;
}

export interface ProjectLinkTable {
  id: Generated<number>;
  project_id: number;
  ref_type: string;
  ref_id: number;
  title: string;
  occurred_at: string;
  linked_by: number | null;
  linked_at: string;
}

export interface ProjectBookListItemTable {
  id: Generated<number>;
  project_id: number;
  line_no: number;
  isbn: string;
  title: string;
  quantity: number;
  held: Generated<number>;
  book_id: number | null;
  list_price_fen: number | null;
  /** Sum of this line's delivery lines, kept in the same transaction as each batch. */
  delivered_quantity: Generated<number>;
  created_at: string;
}

export interface ProjectHoldingTable {
  project_id: number;
  isbn: string;
}

export interface ProjectDeliveryBatchTable {
  id: Generated<number>;
  project_id: number;
  batch_no: number;
  shipped_date: string;
  note: Generated<string>;
  created_by: number;
  created_at: string;
}

export interface ProjectDeliveryLineTable {
  batch_id: number;
  item_id: number;
  quantity: number;
}

export interface ProjectSubscriptionTable {
  project_id: number;
  school_customer_id: number;
  school_name: string;
  term: string;
  catalog_sent_date: string | null;
  order_deadline: string;
  term_start_date: string;
}

export interface ProjectSubscriptionOrderTable {
  id: Generated<number>;
  project_id: number;
  course: string;
  class_name: string;
  isbn: string;
  title: string;
  book_id: number | null;
  quantity: number;
  shipped_quantity: Generated<number>;
  shipped_date: string | null;
  returned_quantity: Generated<number>;
  returned_date: string | null;
  created_by: number;
  created_at: string;
  updated_at: string;
}

export interface ProjectTables {
  project: ProjectTable;
  project_customer: ProjectCustomerTable;
  project_member: ProjectMemberTable;
  project_milestone: ProjectMilestoneTable;
  project_task: ProjectTaskTable;
  project_document: ProjectDocumentTable;
  project_link: ProjectLinkTable;
  project_book_list_item: ProjectBookListItemTable;
  project_holding: ProjectHoldingTable;
  project_delivery_batch: ProjectDeliveryBatchTable;
  project_delivery_line: ProjectDeliveryLineTable;
  project_subscription: ProjectSubscriptionTable;
  project_subscription_order: ProjectSubscriptionOrderTable;
}
