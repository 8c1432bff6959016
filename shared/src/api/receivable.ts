import { z } from 'zod';
import { fenSchema, signedFenSchema } from '../money.js';
import { agingBuckets, planStatuses } from '../receivable-rules.js';

/** Payloads of payment plans, aging, receipts and allocations (回款计划、账龄、回款、核销). */

export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
export const agingBucketSchema = z.enum(agingBuckets);
export const planStatusSchema = z.enum(planStatuses);

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(30),
  offset: z.coerce.number().int().min(0).default(0),
});

export const customerRefSchema = z.object({ id: z.number().int(), name: z.string(), ownerId: z.number().int().nullable(), ownerName: z.string().nullable() });

export const customerSearchQuerySchema = z.object({ q: z.string().trim().max(50).default(''), limit: z.coerce.number().int().min(1).max(50).default(20) });
export const customerSearchSchema = z.object({ items: z.array(customerRefSchema) });

export const paymentPlanSchema = z.object({
  id: z.number().int(),
  customer: customerRefSchema,
  contractId: z.number().int().nullable(),
  contractNumber: z.string().nullable(),
  consignmentSettlementId: z.number().int().nullable(),
  seq: z.number().int(),
  dueDate: dateSchema,
  amountFen: fenSchema,
  allocatedFen: fenSchema,
  /** Written off when the contract was voided; 0 unless the status is 'cancelled'. */
  cancelledFen: fenSchema,
  outstandingFen: fenSchema,
  status: planStatusSchema,
  /** Time the plan's contract was voided, also set on a received plan of that contract. */
  cancelledAt: z.string().nullable(),
  daysOverdue: z.number().int(),
  agingBucket: agingBucketSchema,
});
export type PaymentPlan = z.infer<typeof paymentPlanSchema>;

/** Plan list filter: unpaid (open or partly received), received, cancelled, or all of them. */
export const planListStatusSchema = z.enum(['unpaid', 'received', 'cancelled', 'all']);

/** An aging bucket, or 'overdue' for every bucket past due. */
export const planBucketFilterSchema = z.union([agingBucketSchema, z.literal('overdue')]);

export const planListQuerySchema = pageQuerySchema.extend({
  bucket: planBucketFilterSchema.optional(),
  status: planListStatusSchema.default('unpaid'),
  customerId: z.coerce.number().int().positive().optional(),
  contractId: z.coerce.number().int().positive().optional(),
  ownerId: z.coerce.number().int().positive().optional(),
});

export const planListSchema = z.object({ items: z.array(paymentPlanSchema), total: z.number().int() });

export const allocationSchema = z.object({
  id: z.number().int(),
  planId: z.number().int(),
  receiptId: z.number().int().nullable(),
  receiptNumber: z.string().nullable(),
  returnOrderId: z.number().int().nullable(),
  returnOrderNumber: z.string().nullable(),
  amountFen: fenSchema,
  method: z.enum(['auto', 'manual', 'return_credit']),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  reversedAt: z.string().nullable(),
});
export type Allocation = z.infer<typeof allocationSchema>;

export const planDetailSchema = z.object({
  plan: paymentPlanSchema,
  allocations: z.array(allocationSchema),
  /** Other installments of the same contract, for context. */
  siblings: z.array(paymentPlanSchema),
});

export const agingBucketTotalSchema = z.object({ bucket: agingBucketSchema, amountFen: fenSchema, count: z.number().int() });

export const agingTotalsSchema = z.object({
  asOfDate: dateSchema,
  buckets: z.array(agingBucketTotalSchema),
  outstandingFen: fenSchema,
  overdueFen: fenSchema,
  overdueCount: z.number().int(),
});
export type AgingTotals = z.infer<typeof agingTotalsSchema>;

export const receivableOverviewSchema = z.object({
  aging: agingTotalsSchema,
  /** One row per owner rep in scope; empty for a rep looking at their own. */
  byOwner: z.array(agingTotalsSchema.extend({ ownerId: z.number().int().nullable(), ownerName: z.string().nullable() })),
  openDisputes: z.number().int(),
  pendingInvoiceRequests: z.number().int(),
  unallocatedReceiptsFen: fenSchema,
});

export const overviewQuerySchema = z.object({ asOf: dateSchema.optional() });

export const receiptMethods = ['bank_transfer', 'cash', 'check', 'acceptance_bill', 'online', 'other'] as const;
export const receiptMethodSchema = z.enum(receiptMethods);
export const receiptMethodLabels: Record<(typeof receiptMethods)[number], string> = {
  bank_transfer: '银行转账',
  cash: '现金',
  check: '支票',
  acceptance_bill: '承兑汇票',
  online: '线上支付',
  other: '其他',
};

export const receiptSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  customer: customerRefSchema,
  receivedDate: dateSchema,
  amountFen: fenSchema,
  allocatedFen: fenSchema,
  unallocatedFen: fenSchema,
  payerName: z.string(),
  method: receiptMethodSchema,
  bankReference: z.string().nullable(),
  note: z.string().nullable(),
  source: z.enum(['manual', 'bank_import']),
  status: z.enum(['active', 'reversed']),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  reversedAt: z.string().nullable(),
  reversalReason: z.string().nullable(),
});
export type Receipt = z.infer<typeof receiptSchema>;

export const receiptDetailSchema = z.object({ receipt: receiptSchema, allocations: z.array(allocationSchema.extend({ plan: paymentPlanSchema })) });

export const allocationInputSchema = z.object({
  planId: z.number().int().positive(),
  amountFen: fenSchema.min(1, '核销金额必须大于 0'),
});

export const allocationModeSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('auto') }),
  z.object({ mode: z.literal('none') }),
  z.object({ mode: z.literal('manual'), allocations: z.array(allocationInputSchema).min(1, '请至少核销一期').max(200) }),
]);

export const createReceiptSchema = z.object({
  customerId: z.number().int().positive(),
  receivedDate: dateSchema,
  amountFen: fenSchema.min(1, '回款金额必须大于 0'),
  payerName: z.string().trim().min(1, '请填写付款方').max(100, '付款方不能超过 100 个字'),
  method: receiptMethodSchema,
  bankReference: z.string().trim().max(64, '银行流水号不能超过 64 位').optional().transform((value) => (value ? value : null)),
  note: z.string().trim().max(500).optional().transform((value) => (value ? value : null)),
  allocation: allocationModeSchema.default({ mode: 'auto' }),
});
export type CreateReceipt = z.infer<typeof createReceiptSchema>;

export const receiptListQuerySchema = pageQuerySchema.extend({
  customerId: z.coerce.number().int().positive().optional(),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  unallocated: z.enum(['true', 'false']).optional().transform((value) => value === 'true'),
  q: z.string().trim().max(50).optional(),
});

export const receiptListSchema = z.object({ items: z.array(receiptSchema), total: z.number().int() });

export const manualAllocationSchema = z.object({ allocations: z.array(allocationInputSchema).min(1, '请至少核销一期').max(200) });

export const reverseReceiptSchema = z.object({ reason: z.string().trim().min(2, '请写明冲销原因').max(200) });

export const allocationResultSchema = z.object({
  allocations: z.array(z.object({ planId: z.number().int(), amountFen: fenSchema })),
  unallocatedFen: fenSchema,
});

export const receiptImportRowSchema = z.object({
  row: z.number().int(),
  /** 'skipped': a debit (outgoing) line of the bank statement, not a receipt. */
  status: z.enum(['new', 'duplicate', 'skipped', 'error']),
  receivedDate: z.string().nullable(),
  amountFen: fenSchema.nullable(),
  payerName: z.string().nullable(),
  bankReference: z.string().nullable(),
  customer: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  message: z.string().nullable(),
});

export const receiptImportReportSchema = z.object({
  dryRun: z.boolean(),
  total: z.number().int(),
  created: z.number().int(),
  duplicates: z.number().int(),
  skipped: z.number().int(),
  errors: z.number().int(),
  /** Sum of the new receipts. */
  amountFen: fenSchema,
  rows: z.array(receiptImportRowSchema),
});
export type ReceiptImportReport = z.infer<typeof receiptImportReportSchema>;

export const contractReceivableSummarySchema = z.object({
  contractId: z.number().int(),
  planFen: fenSchema,
  receivedFen: fenSchema,
  creditedFen: fenSchema,
  /** Unreceived plan amounts written off when the contract was voided. */
  cancelledFen: fenSchema,
  outstandingFen: fenSchema,
  overdueFen: fenSchema,
  shippedNetFen: fenSchema,
  returnedNetFen: fenSchema,
  invoicedFen: signedFenSchema,
  reservedFen: fenSchema,
  invoiceableFen: fenSchema,
  plans: z.array(paymentPlanSchema),
});
export type ContractReceivableSummary = z.infer<typeof contractReceivableSummarySchema>;

export const customerReceivableSummarySchema = z.object({
  customerId: z.number().int(),
  outstandingFen: fenSchema,
  ledgerBalanceFen: signedFenSchema,
  unallocatedReceiptsFen: fenSchema,
  aging: agingTotalsSchema,
  /** Returned 码洋 ÷ shipped 码洋 over the last twelve months, basis points; null when nothing shipped. */
  returnRateBp: z.number().int().nullable(),
  ownerReturnRateBp: z.number().int().nullable(),
  shippedListFen: fenSchema,
  returnedListFen: fenSchema,
  consignment: z.boolean(),
});

export const receivableSettingsSchema = z.object({
  overdue: z.object({
    repDays: z.number().int().min(1).max(365),
    leaderDays: z.number().int().min(1).max(365),
    financeDays: z.number().int().min(1).max(365),
    /** Local time of the daily scan, 'HH:MM'. */
    runAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM'),
    /** ISO weekday of the managers' digest, 1 = Monday. */
    digestWeekday: z.number().int().min(1).max(7),
    /** Individual notices one person gets per run before the rest are folded into one summary. */
    maxNoticesPerRecipient: z.number().int().min(1).max(200),
  }).refine((value) => value.repDays < value.leaderDays && value.leaderDays < value.financeDays, { message: '提醒天数须依次递增：业务员 < 部门负责人 < 财务和总经理', path: ['leaderDays'] }),
  /** A return needing 退货审批 when returned 码洋 passes this share of shipped 码洋, basis points. */
  returnApprovalShareBp: z.number().int().min(0).max(10_000),
  /** Disputed differences finance may settle in one step, fen. */
  statementToleranceFen: fenSchema,
  /** Days a statement share link stays valid. */
  shareLinkDays: z.number().int().min(1).max(90),
});
export type ReceivableSettings = z.infer<typeof receivableSettingsSchema>;
