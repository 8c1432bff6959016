import type { Generated } from 'kysely';

export interface ApprovalTemplateTable {
  id: Generated<number>;
  code: string;
  version: number;
  active: number;
  /** JSON of TemplateDefinition (shared/src/api/approval.ts). */
  definition: string;
  created_at: string;
  updated_at: string;
  updated_by: number | null;
}

export interface ApprovalInstanceTable {
  id: Generated<number>;
  template_id: number;
  template_code: string;
  template_version: number;
  /** JSON of the TemplateDefinition as it was at submission. */
  template_snapshot: string;
  subject_type: string;
  subject_id: number;
  submitter_id: number;
  title: string;
  amount_fen: number;
  has_special_discount: number;
  /** JSON of the ApprovalSubject of the current round. */
  subject: string;
  /** Hash of the subject module's content, as given at (re)submission. */
  content_hash: string;
  status: string;
  round: number;
  current_step_index: number | null;
  /** Incremented by every transition; updates check it so concurrent actions produce one transition. */
  version: number;
  submitted_at: string;
  decided_at: string | null;
  updated_at: string;
}

export interface ApprovalStepTable {
  id: Generated<number>;
  instance_id: number;
  round: number;
  step_index: number;
  step_key: string;
  name: string;
  mode: string;
  status: string;
  note: string | null;
  activation: number;
  activated_at: string | null;
  completed_at: string | null;
}

export interface ApprovalTaskTable {
  id: Generated<number>;
  instance_id: number;
  round: number;
  step_index: number;
  activation: number;
  assignee_id: number;
  status: string;
  origin: string;
  source_task_id: number | null;
  comment: string | null;
  created_at: string;
  acted_at: string | null;
  last_reminded_at: string | null;
  reminder_count: number;
}

export interface ApprovalHistoryTable {
  id: Generated<number>;
  instance_id: number;
  round: number;
  step_index: number | null;
  task_id: number | null;
  actor_id: number | null;
  action: string;
  comment: string | null;
  detail: string | null;
  content_hash: string | null;
  created_at: string;
}

export interface ApprovalTables {
  approval_template: ApprovalTemplateTable;
  approval_instance: ApprovalInstanceTable;
  approval_step: ApprovalStepTable;
  approval_task: ApprovalTaskTable;
  approval_history: ApprovalHistoryTable;
}
