import { z } from 'zod';
import { fenSchema } from '../money.js';
import {
  projectKindSchema,
  projectMemberRoleSchema,
  projectStatusSchema,
  termSchema,
} from '../project-rules.js';

/** A calendar date of the tenant's time zone. */
export const localDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), '日期不存在，请检查年月日');

const userRefSchema = z.object({ id: z.number().int(), name: z.string() });
export type UserRef = z.infer<typeof userRefSchema>;

const idSchema = z.number().int().positive();
const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(30),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

export const projectIdParamsSchema = z.object({ id: z.coerce.number().int().positive('项目 id 必须是正整数') });
export const projectChildParamsSchema = projectIdParamsSchema.extend({ childId: z.coerce.number().int().positive('id 必须是正整数') });

// ---- Projects ----

export const currentMilestoneSchema = z.object({ id: z.number().int(), name: z.string(), dueDate: z.string().nullable(), overdue: z.boolean() });

export const projectSummarySchema = z.object({
  id: z.number().int(),
  number: z.string(),
  kind: projectKindSchema,
  name: z.string(),
  status: projectStatusSchema,
  owner: userRefSchema,
  primaryCustomer: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  budgetFen: fenSchema,
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  currentMilestone: currentMilestoneSchema.nullable(),
  /** Milestones of the project, done or not, so "none yet" reads differently from "all done". */
  milestoneCount: z.number().int(),
  openTasks: z.number().int(),
  overdueTasks: z.number().int(),
  updatedAt: z.string(),
});
export type ProjectSummary = z.infer<typeof projectSummarySchema>;

export const projectListQuerySchema = z.object({
  q: z.string().trim().max(50, '搜索词不能超过 50 个字').optional(),
  kind: projectKindSchema.optional(),
  status: projectStatusSchema.optional(),
  /** 'mine': projects the caller owns or is a member of; 'all' (default): every project the caller may see. */
  scope: z.enum(['mine', 'all']).default('all'),
  ownerId: z.coerce.number().int().positive().optional(),
  ...pageQuery,
});
export type ProjectListQuery = z.infer<typeof projectListQuerySchema>;

export const projectListSchema = z.object({ items: z.array(projectSummarySchema), total: z.number().int() });

export const projectMemberSchema = z.object({ userId: z.number().int(), name: z.string(), role: projectMemberRoleSchema, addedAt: z.string() });
export type ProjectMember = z.infer<typeof projectMemberSchema>;

export const milestoneSchema = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  name: z.string(),
  dueDate: z.string().nullable(),
  doneDate: z.string().nullable(),
  assignee: userRefSchema.nullable(),
  overdue: z.boolean(),
});
export type Milestone = z.infer<typeof milestoneSchema>;

export const projectCustomerSchema = z.object({ id: z.number().int(), name: z.string(), isPrimary: z.boolean() });

export const projectPermissionsSchema = z.object({
  /** Edit the project, its members and milestones: the owner, the owner's managers, executives. */
  canManage: z.boolean(),
  /** Add tasks, documents, links, deliveries and orders: managers plus every member. */
  canContribute: z.boolean(),
});

export const projectDetailSchema = projectSummarySchema.extend({
  description: z.string(),
  opportunityId: z.number().int().nullable(),
  customers: z.array(projectCustomerSchema),
  members: z.array(projectMemberSchema),
  milestones: z.array(milestoneSchema),
  permissions: projectPermissionsSchema,
  counts: z.object({ tasks: z.number().int(), documents: z.number().int(), links: z.number().int() }),
  /** Closure of a completed or cancelled project: the reason, the time and the user who closed it. Null while active. */
  closure: z.object({ reason: z.string(), at: z.string(), by: userRefSchema.nullable() }).nullable(),
  createdAt: z.string(),
});
export type ProjectDetail = z.infer<typeof projectDetailSchema>;

const milestoneInputSchema = z.object({
  name: z.string().trim().min(1, '里程碑名称不能为空').max(30, '里程碑名称不能超过 30 个字'),
  dueDate: localDateSchema.nullable().default(null),
  assigneeId: idSchema.nullable().default(null),
});

export const subscriptionInputSchema = z
  .object({
    schoolCustomerId: idSchema,
    term: termSchema,
    catalogSentDate: localDateSchema.nullable().default(null),
    orderDeadline: localDateSchema,
    termStartDate: localDateSchema,
  })
  .refine((value) => value.orderDeadline <= value.termStartDate, { path: ['orderDeadline'], message: '征订截止日期应早于开学日期' });
export type SubscriptionInput = z.infer<typeof subscriptionInputSchema>;

export const projectCreateSchema = z
  .object({
    kind: projectKindSchema,
    name: z.string().trim().min(1, '项目名称不能为空').max(60, '项目名称不能超过 60 个字'),
    /** Creates the project from this opportunity: its customer joins the project and the opportunity is linked. */
    opportunityId: idSchema.nullable().default(null),
    customerIds: z.array(idSchema).max(20, '一个项目最多关联 20 个客户').default([]),
    /** Defaults to the caller; a manager may choose a rep of their department subtree. */
    ownerId: idSchema.optional(),
    budgetFen: fenSchema.default(0),
    startDate: localDateSchema.nullable().default(null),
    endDate: localDateSchema.nullable().default(null),
    description: z.string().trim().max(2000, '项目说明不能超过 2000 个字').default(''),
    members: z.array(z.object({ userId: idSchema, role: projectMemberRoleSchema })).max(50, '一个项目最多 50 名成员').default([]),
    /** Omitted: the default milestones of the kind. An empty list: none. */
    milestones: z.array(milestoneInputSchema).max(30, '里程碑不能超过 30 个').optional(),
    /** Required for a 教材征订 project: the school, term and deadlines. */
    subscription: subscriptionInputSchema.optional(),
  })
  .refine((value) => !value.startDate || !value.endDate || value.startDate <= value.endDate, { path: ['endDate'], message: '结束日期不能早于开始日期' })
  .refine((value) => value.kind !== 'textbook_subscription' || value.subscription !== undefined, {
    path: ['subscription'],
    message: '教材征订项目需要填写学校、学期和征订截止日期',
  });
export type ProjectCreate = z.infer<typeof projectCreateSchema>;

export const projectUpdateSchema = z
  .object({
    name: z.string().trim().min(1, '项目名称不能为空').max(60, '项目名称不能超过 60 个字'),
    /** A kind with its own data (book list, deliveries, subscription orders) can only change while that data is empty. */
    kind: projectKindSchema,
    status: projectStatusSchema,
    /** Reason for completing or cancelling the project, required for cancelling. */
    reason: z.string().trim().max(200, '原因不能超过 200 个字'),
    ownerId: idSchema,
    customerIds: z.array(idSchema).max(20, '一个项目最多关联 20 个客户'),
    budgetFen: fenSchema,
    startDate: localDateSchema.nullable(),
    endDate: localDateSchema.nullable(),
    description: z.string().trim().max(2000, '项目说明不能超过 2000 个字'),
    /** Required when the kind changes to 教材征订: the school, term and deadlines. */
    subscription: subscriptionInputSchema,
  })
  .partial()
  .refine((value) => value.status !== 'cancelled' || (value.reason !== undefined && value.reason.length >= 2), { path: ['reason'], message: '取消项目请填写原因（至少 2 个字）' })
  .refine((value) => !value.startDate || !value.endDate || value.startDate <= value.endDate, { path: ['endDate'], message: '结束日期不能早于开始日期' });
export type ProjectUpdate = z.infer<typeof projectUpdateSchema>;

// ---- Members, milestones, tasks ----

export const memberInputSchema = z.object({ userId: idSchema, role: projectMemberRoleSchema });
export const memberParamsSchema = projectIdParamsSchema.extend({ userId: z.coerce.number().int().positive('用户 id 必须是正整数') });
export const projectMembersSchema = z.object({ items: z.array(projectMemberSchema) });

export const milestoneCreateSchema = milestoneInputSchema;
export const milestoneUpdateSchema = z
  .object({
    name: z.string().trim().min(1, '里程碑名称不能为空').max(30, '里程碑名称不能超过 30 个字'),
    dueDate: localDateSchema.nullable(),
    doneDate: localDateSchema.nullable(),
    assigneeId: idSchema.nullable(),
    seq: z.number().int().min(1).max(100),
  })
  .partial();
export const milestoneListSchema = z.object({ items: z.array(milestoneSchema) });

export const taskStatusSchema = z.enum(['open', 'done']);
export const taskSchema = z.object({
  id: z.number().int(),
  projectId: z.number().int(),
  projectName: z.string(),
  milestoneId: z.number().int().nullable(),
  title: z.string(),
  notes: z.string(),
  assignee: userRefSchema,
  dueDate: z.string().nullable(),
  status: taskStatusSchema,
  doneAt: z.string().nullable(),
  overdue: z.boolean(),
  createdAt: z.string(),
});
export type ProjectTask = z.infer<typeof taskSchema>;

export const taskCreateSchema = z.object({
  title: z.string().trim().min(1, '任务内容不能为空').max(100, '任务内容不能超过 100 个字'),
  notes: z.string().trim().max(1000, '备注不能超过 1000 个字').default(''),
  assigneeId: idSchema,
  dueDate: localDateSchema.nullable().default(null),
  milestoneId: idSchema.nullable().default(null),
});
export const taskUpdateSchema = z
  .object({
    title: z.string().trim().min(1, '任务内容不能为空').max(100, '任务内容不能超过 100 个字'),
    notes: z.string().trim().max(1000, '备注不能超过 1000 个字'),
    assigneeId: idSchema,
    dueDate: localDateSchema.nullable(),
    milestoneId: idSchema.nullable(),
    status: taskStatusSchema,
  })
  .partial();
export const taskListSchema = z.object({ items: z.array(taskSchema) });

/** The caller's own tasks across projects: `due` lists open tasks due today or earlier. */
export const myTasksQuerySchema = z.object({ filter: z.enum(['due', 'open', 'done']).default('open') });

// ---- Documents and linked activities ----

export const documentKindSchema = z.enum(['bid_file', 'book_list', 'holdings', 'contract', 'other']);
export const documentKindLabels: Record<z.infer<typeof documentKindSchema>, string> = {
  bid_file: '标书',
  book_list: '书目清单',
  holdings: '馆藏清单',
  contract: '合同',
  other: '其他',
};

export const documentSchema = z.object({
  id: z.number().int(),
  kind: documentKindSchema,
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  note: z.string(),
  uploadedBy: userRefSchema,
  uploadedAt: z.string(),
});
export type ProjectDocument = z.infer<typeof documentSchema>;
export const documentListSchema = z.object({ items: z.array(documentSchema) });

export const linkRefTypeSchema = z.enum(['opportunity', 'visit', 'quote', 'contract', 'approval', 'receipt']);
export type LinkRefType = z.infer<typeof linkRefTypeSchema>;
export const linkRefTypeLabels: Record<LinkRefType, string> = {
  opportunity: '商机',
  visit: '拜访',
  quote: '报价单',
  contract: '合同',
  approval: '审批',
  receipt: '回款',
};

export const projectLinkSchema = z.object({
  id: z.number().int(),
  refType: linkRefTypeSchema,
  refId: z.number().int(),
  title: z.string(),
  /** H5 route of the linked record. */
  url: z.string(),
  occurredAt: z.string(),
  linkedBy: userRefSchema.nullable(),
  /** The caller may remove this link: a manager of the project, or the member who made it. */
  canUnlink: z.boolean(),
});
export type ProjectLink = z.infer<typeof projectLinkSchema>;
export const projectLinkListSchema = z.object({ items: z.array(projectLinkSchema) });
export const linkCreateSchema = z.object({ refType: linkRefTypeSchema, refId: idSchema });

// ---- Library supply: book list, holdings, deliveries ----

export const fillRateSchema = z.object({
  titlesToSupply: z.number().int(),
  copiesToSupply: z.number().int(),
  titlesDelivered: z.number().int(),
  titlesPartlyDelivered: z.number().int(),
  copiesDelivered: z.number().int(),
  titleFillRateBp: z.number().int(),
  copyFillRateBp: z.number().int(),
});

export const bookListItemSchema = z.object({
  id: z.number().int(),
  lineNo: z.number().int(),
  isbn: z.string(),
  title: z.string(),
  quantity: z.number().int(),
  /** The title is in the library's holdings list, so it is not to be supplied. */
  held: z.boolean(),
  bookId: z.number().int().nullable(),
  /** Catalog list price; null when the title is not in the catalog. */
  listPriceFen: z.number().int().nullable(),
  deliveredQuantity: z.number().int(),
});
export type BookListItem = z.infer<typeof bookListItemSchema>;

export const bookListFilterSchema = z.enum(['all', 'to_supply', 'held', 'not_in_catalog', 'undelivered', 'delivered']);
export const bookListQuerySchema = z.object({
  filter: bookListFilterSchema.default('all'),
  q: z.string().trim().max(50, '搜索词不能超过 50 个字').optional(),
  ...pageQuery,
});

export const bookListSummarySchema = z.object({
  lines: z.number().int(),
  copies: z.number().int(),
  held: z.number().int(),
  notInCatalog: z.number().int(),
  holdingsImported: z.number().int(),
  fillRate: fillRateSchema,
  /** 码洋 of the titles to supply at catalog prices; titles not in the catalog are left out. */
  listAmountToSupplyFen: z.number().int(),
});
export type BookListSummary = z.infer<typeof bookListSummarySchema>;

export const bookListPageSchema = z.object({ items: z.array(bookListItemSchema), total: z.number().int(), summary: bookListSummarySchema });

export const importIssueSchema = z.object({ row: z.number().int(), column: z.string(), reason: z.string() });
export const importReportSchema = z.object({
  dryRun: z.boolean(),
  rowsRead: z.number().int(),
  accepted: z.number().int(),
  issues: z.array(importIssueSchema),
  /** Lines of the list after applying (for a dry run: what they would be). */
  summary: z.object({ lines: z.number().int(), held: z.number().int(), notInCatalog: z.number().int() }),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const importQuerySchema = z.object({
  dryRun: z.enum(['true', 'false', '1', '0']).default('false').transform((value) => value === 'true' || value === '1'),
});

export const deliveryLineInputSchema = z.object({
  /** The book list line; or give the ISBN as scanned from the carton. */
  itemId: idSchema.optional(),
  isbn: z.string().trim().max(20).optional(),
  quantity: z.number().int().min(1, '配送数量至少为 1').max(100_000, '配送数量不能超过 100000'),
});
export const deliveryCreateSchema = z.object({
  shippedDate: localDateSchema,
  note: z.string().trim().max(500, '备注不能超过 500 个字').default(''),
  lines: z.array(deliveryLineInputSchema.refine((line) => line.itemId !== undefined || line.isbn, { message: '每行需要书目行 id 或 ISBN' })).min(1, '配送批次至少要有一行').max(5000, '一个批次最多 5000 行'),
});
export type DeliveryCreate = z.infer<typeof deliveryCreateSchema>;

export const deliveryBatchSchema = z.object({
  id: z.number().int(),
  batchNo: z.number().int(),
  shippedDate: z.string(),
  note: z.string(),
  titles: z.number().int(),
  copies: z.number().int(),
  createdBy: userRefSchema,
  createdAt: z.string(),
  lines: z.array(z.object({ itemId: z.number().int(), isbn: z.string(), title: z.string(), quantity: z.number().int() })).optional(),
});
export type DeliveryBatch = z.infer<typeof deliveryBatchSchema>;
export const deliveryListSchema = z.object({ items: z.array(deliveryBatchSchema), fillRate: fillRateSchema });

// ---- Textbook subscription ----

export const subscriptionCountsSchema = z.object({
  orderLines: z.number().int(),
  titlesOrdered: z.number().int(),
  copiesOrdered: z.number().int(),
  titlesShipped: z.number().int(),
  copiesShipped: z.number().int(),
  titlesReturned: z.number().int(),
  copiesReturned: z.number().int(),
  copiesAwaitingShipment: z.number().int(),
});

export const subscriptionSchema = z.object({
  schoolCustomerId: z.number().int(),
  schoolName: z.string(),
  term: z.string(),
  termLabel: z.string(),
  catalogSentDate: z.string().nullable(),
  orderDeadline: z.string(),
  termStartDate: z.string(),
  /** Orders may still be added or changed: the deadline has not passed. */
  orderingOpen: z.boolean(),
  counts: subscriptionCountsSchema,
  courses: z.array(z.object({ course: z.string(), classes: z.number().int(), titles: z.number().int(), copies: z.number().int() })),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const subscriptionUpdateSchema = z
  .object({
    catalogSentDate: localDateSchema.nullable(),
    orderDeadline: localDateSchema,
    termStartDate: localDateSchema,
  })
  .partial();

export const subscriptionOrderSchema = z.object({
  id: z.number().int(),
  course: z.string(),
  className: z.string(),
  isbn: z.string(),
  title: z.string(),
  bookId: z.number().int().nullable(),
  quantity: z.number().int(),
  shippedQuantity: z.number().int(),
  shippedDate: z.string().nullable(),
  returnedQuantity: z.number().int(),
  returnedDate: z.string().nullable(),
});
export type SubscriptionOrder = z.infer<typeof subscriptionOrderSchema>;
export const subscriptionOrderListSchema = z.object({ items: z.array(subscriptionOrderSchema) });

export const subscriptionOrderInputSchema = z.object({
  course: z.string().trim().min(1, '课程不能为空').max(40, '课程名称不能超过 40 个字'),
  className: z.string().trim().min(1, '班级不能为空').max(40, '班级名称不能超过 40 个字'),
  isbn: z.string().trim().min(10, 'ISBN 位数不对').max(20, 'ISBN 位数不对'),
  /** Needed only when the ISBN is not in the catalog. */
  title: z.string().trim().max(200, '书名不能超过 200 个字').optional(),
  quantity: z.number().int().min(1, '订数至少为 1').max(100_000, '订数不能超过 100000'),
});
export const subscriptionOrdersCreateSchema = z.object({ orders: z.array(subscriptionOrderInputSchema).min(1, '至少填写一条订单').max(2000, '一次最多 2000 条订单') });
export const subscriptionOrderUpdateSchema = z.object({ quantity: z.number().int().min(1, '订数至少为 1').max(100_000, '订数不能超过 100000') });

export const subscriptionShipSchema = z.object({
  /** Orders to ship in full; omitted: every order not yet shipped. */
  orderIds: z.array(idSchema).max(2000).optional(),
  shippedDate: localDateSchema,
});
export const subscriptionReturnSchema = z.object({
  quantity: z.number().int().min(1, '退货数量至少为 1'),
  returnedDate: localDateSchema,
});
export const shipResultSchema = z.object({ ordersShipped: z.number().int(), copiesShipped: z.number().int() });

/**
 * Result of importing a school's order sheet. Each row sets the quantity of its course, class and ISBN, so
 * importing the same file again creates and changes nothing.
 */
export const subscriptionImportReportSchema = z.object({
  dryRun: z.boolean(),
  rowsRead: z.number().int(),
  accepted: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Replace mode only: unshipped orders missing from the file, deleted. */
  removed: z.number().int(),
  issues: z.array(importIssueSchema),
  /** Accepted rows whose ISBN is not in the publisher's catalog; they keep the title from the file. */
  notInCatalog: z.array(z.object({ row: z.number().int(), isbn: z.string(), title: z.string() })),
  /** Orders of the project after the import (for a dry run: what they would be). */
  after: z.object({ orderLines: z.number().int(), titles: z.number().int(), copies: z.number().int() }),
});
export type SubscriptionImportReport = z.infer<typeof subscriptionImportReportSchema>;
