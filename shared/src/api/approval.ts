import { z } from 'zod';
import { fenSchema, discountSchema } from '../money.js';
import { roleSchema } from '../roles.js';
import {
  approvalActionSchema,
  approvalStatusSchema,
  historyActionSchema,
  stepModeSchema,
  stepStatusSchema,
  taskStatusSchema,
} from '../approval-rules.js';
import { contractTypeSchema } from './contract.js';

/** Templates shipped with the product; an admin edits their steps but not their codes. */
export const approvalTemplateCodeSchema = z.enum(['sales_contract', 'special_discount', 'invoice_request', 'return_order', 'contract_void']);
export type ApprovalTemplateCode = z.infer<typeof approvalTemplateCodeSchema>;

/** Who approves a step. Resolved when the step becomes active, so it follows the org chart of that day. */
export const approverRuleSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('role'),
    role: roleSchema,
    /** Only holders of the role who lead a department, e.g. the finance manager rather than every accountant. */
    leadersOnly: z.boolean().default(false),
  }),
  z.object({
    kind: z.literal('submitter_leader'),
    /** 1 = the leader of the submitter's department, 2 = the leader above that… */
    levelsUp: z.number().int().min(1, '至少向上 1 级').max(5, '最多向上 5 级'),
  }),
  z.object({
    kind: z.literal('department_leaders'),
    /** Department names as synced from the org chart, e.g. ['编辑部', '发行部']. */
    departmentNames: z.array(z.string().trim().min(1, '部门名称不能为空')).min(1, '至少填写一个部门').max(10),
  }),
  z.object({
    kind: z.literal('users'),
    userIds: z.array(z.number().int().positive()).min(1, '至少选择一位审批人').max(20, '最多 20 位审批人'),
  }),
]);
export type ApproverRule = z.infer<typeof approverRuleSchema>;

/** When a step applies. A step whose condition is false for the submitted subject is skipped. */
export const stepConditionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('amount_at_least'), amountFen: fenSchema }),
  z.object({ kind: z.literal('special_discount') }),
  z.object({ kind: z.literal('contract_type_in'), contractTypes: z.array(contractTypeSchema).min(1, '至少选择一种合同类型') }),
]);
export type StepCondition = z.infer<typeof stepConditionSchema>;

export const templateStepSchema = z.object({
  /** Stable English key of the step within its template, e.g. 'legal'. */
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, '步骤标识只能包含小写字母、数字和下划线，并以字母开头'),
  name: z.string().trim().min(1, '步骤名称不能为空').max(40, '步骤名称最多 40 个字'),
  approver: approverRuleSchema,
  mode: stepModeSchema,
  condition: stepConditionSchema.nullable().default(null),
});
export type TemplateStep = z.infer<typeof templateStepSchema>;

export const templateDefinitionSchema = z
  .object({
    name: z.string().trim().min(1, '模板名称不能为空').max(40, '模板名称最多 40 个字'),
    description: z.string().trim().max(200, '说明最多 200 个字').default(''),
    steps: z.array(templateStepSchema).min(1, '至少需要一个审批步骤').max(12, '最多 12 个审批步骤'),
  })
  .refine((definition) => new Set(definition.steps.map((step) => step.key)).size === definition.steps.length, {
    message: '步骤标识不能重复',
    path: ['steps'],
  });
export type TemplateDefinition = z.infer<typeof templateDefinitionSchema>;

export const approvalTemplateSchema = z.object({
  id: z.number().int(),
  code: approvalTemplateCodeSchema,
  version: z.number().int(),
  active: z.boolean(),
  definition: templateDefinitionSchema,
  updatedAt: z.string(),
  updatedByName: z.string().nullable(),
});
export type ApprovalTemplate = z.infer<typeof approvalTemplateSchema>;

export const approvalTemplateListSchema = z.object({ items: z.array(approvalTemplateSchema) });

export const templateCodeParamsSchema = z.object({ code: approvalTemplateCodeSchema });

export const updateTemplateRequestSchema = z.object({
  definition: templateDefinitionSchema,
  /** The version the admin edited; a newer one saved meanwhile makes the update a conflict. */
  version: z.number().int().positive(),
});

/** A line as the approver sees it, with the special-discount mark. */
export const subjectLineSchema = z.object({
  title: z.string(),
  isbn: z.string().nullable(),
  quantity: z.number().int(),
  listPriceFen: fenSchema,
  discount: discountSchema,
  netAmountFen: z.number().int(),
  floorDiscount: discountSchema.nullable(),
  isSpecialDiscount: z.boolean(),
});

export const subjectAttachmentSchema = z.object({
  fileName: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  /** API path that downloads the file, checked against the viewer's access. */
  downloadPath: z.string(),
});

/**
 * The subject as submitted: what conditions are evaluated on and what approvers see. It is stored with the
 * instance, so the approval page shows exactly the content that was approved.
 */
export const approvalSubjectSchema = z.object({
  title: z.string().min(1).max(200),
  amountFen: z.number().int(),
  hasSpecialDiscount: z.boolean(),
  contractType: contractTypeSchema.optional(),
  summaryFields: z.array(z.object({ label: z.string(), value: z.string() })).max(20),
  /** In-app path of the subject's own page, e.g. '/contracts/12'. */
  url: z.string(),
  lines: z.array(subjectLineSchema).optional(),
  attachments: z.array(subjectAttachmentSchema).optional(),
});
export type ApprovalSubject = z.infer<typeof approvalSubjectSchema>;

export const userRefSchema = z.object({ id: z.number().int(), name: z.string() });

export const approvalBoxSchema = z.enum(['pending', 'submitted', 'handled']);
export type ApprovalBox = z.infer<typeof approvalBoxSchema>;

export const approvalListQuerySchema = z.object({
  box: approvalBoxSchema.default('pending'),
  /** Id of the last item of the previous page (keyset paging, newest first). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const approvalListItemSchema = z.object({
  approvalId: z.number().int(),
  /** The viewer's task for 'pending' and 'handled'; null for 'submitted'. */
  taskId: z.number().int().nullable(),
  templateCode: approvalTemplateCodeSchema,
  templateName: z.string(),
  title: z.string(),
  amountFen: z.number().int(),
  hasSpecialDiscount: z.boolean(),
  status: approvalStatusSchema,
  taskStatus: taskStatusSchema.nullable(),
  submitter: userRefSchema,
  currentStepName: z.string().nullable(),
  submittedAt: z.string(),
  /** When the viewer's task was created (pending) or acted on (handled), else when the instance last changed. */
  at: z.string(),
  /** Paging cursor of this row. */
  cursor: z.number().int(),
});
export type ApprovalListItem = z.infer<typeof approvalListItemSchema>;

export const approvalListSchema = z.object({
  items: z.array(approvalListItemSchema),
  nextBefore: z.number().int().nullable(),
});
export type ApprovalList = z.infer<typeof approvalListSchema>;

export const approvalCountsSchema = z.object({ pending: z.number().int() });

export const approvalStepViewSchema = z.object({
  index: z.number().int(),
  key: z.string(),
  name: z.string(),
  mode: stepModeSchema,
  status: stepStatusSchema,
  /** Why a step was skipped or fell back to the admin, in Chinese. */
  note: z.string().nullable(),
  tasks: z.array(
    z.object({
      id: z.number().int(),
      assignee: userRefSchema,
      status: taskStatusSchema,
      comment: z.string().nullable(),
      createdAt: z.string(),
      actedAt: z.string().nullable(),
    }),
  ),
});

export const approvalHistoryEntrySchema = z.object({
  id: z.number().int(),
  round: z.number().int(),
  action: historyActionSchema,
  actor: userRefSchema.nullable(),
  comment: z.string().nullable(),
  /** A human-readable line for entries the engine wrote, e.g. who a task was transferred to. */
  detail: z.string().nullable(),
  contentHash: z.string().nullable(),
  createdAt: z.string(),
});
export type ApprovalHistoryEntry = z.infer<typeof approvalHistoryEntrySchema>;

export const approvalDetailSchema = z.object({
  id: z.number().int(),
  templateCode: approvalTemplateCodeSchema,
  templateName: z.string(),
  templateVersion: z.number().int(),
  subjectType: z.string(),
  subjectId: z.number().int(),
  subject: approvalSubjectSchema,
  contentHash: z.string(),
  status: approvalStatusSchema,
  round: z.number().int(),
  version: z.number().int(),
  submitter: userRefSchema,
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  currentStepIndex: z.number().int().nullable(),
  steps: z.array(approvalStepViewSchema),
  history: z.array(approvalHistoryEntrySchema),
  availableActions: z.array(approvalActionSchema),
  sendBackTargets: z.array(z.object({ index: z.number().int(), name: z.string() })),
});
export type ApprovalDetail = z.infer<typeof approvalDetailSchema>;

const commentText = z.string().trim().max(500, '意见最多 500 个字');
/** The instance version the user saw; when given and stale, the action is refused with a conflict. */
const expectedVersion = z.number().int().positive().optional();

export const approveRequestSchema = z.object({ comment: commentText.optional(), version: expectedVersion });
export const rejectRequestSchema = z.object({ comment: commentText.min(1, '驳回时请填写原因'), version: expectedVersion });
export const sendBackRequestSchema = z.object({
  toStepIndex: z.number().int().min(0),
  comment: commentText.min(1, '退回时请填写原因'),
  version: expectedVersion,
});
export const transferRequestSchema = z.object({ toUserId: z.number().int().positive(), comment: commentText.optional(), version: expectedVersion });
export const addApproverRequestSchema = z.object({ userId: z.number().int().positive(), comment: commentText.optional(), version: expectedVersion });
export const withdrawRequestSchema = z.object({ comment: commentText.optional(), version: expectedVersion });
export const commentRequestSchema = z.object({ comment: commentText.min(1, '评论内容不能为空') });
export const resubmitRequestSchema = z.object({ comment: commentText.optional() });

export const approvalReminderSettingsSchema = z.object({
  /** Hours a task may wait before its approver is first reminded. */
  afterHours: z.number().int().min(1).max(24 * 30),
  /** Hours between two reminders of the same task. */
  everyHours: z.number().int().min(1).max(24 * 30),
});
export type ApprovalReminderSettings = z.infer<typeof approvalReminderSettingsSchema>;
