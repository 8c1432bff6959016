import { z } from 'zod';
import { fenSchema, signedFenSchema } from '../money.js';
import { ledgerEntryKinds } from '../receivable-rules.js';
import { customerRefSchema, dateSchema, monthSchema, pageQuerySchema } from './receivable.js';

/** Payloads of monthly statements (对账单), their share links and the customer's disputes. */

export const ledgerEntryKindSchema = z.enum(ledgerEntryKinds);

export const statementFiguresSchema = z.object({
  openingBalanceFen: signedFenSchema,
  shippedFen: signedFenSchema,
  returnedFen: signedFenSchema,
  receivedFen: signedFenSchema,
  adjustedFen: signedFenSchema,
  closingBalanceFen: signedFenSchema,
});

export const statementLineSchema = z.object({
  /** The frozen line id of a sent statement; null on a draft. */
  id: z.number().int().nullable(),
  lineNo: z.number().int(),
  kind: ledgerEntryKindSchema,
  entryDate: dateSchema,
  documentNumber: z.string(),
  description: z.string(),
  listAmountFen: signedFenSchema.nullable(),
  amountFen: signedFenSchema,
  /** Running balance after this line. */
  balanceFen: signedFenSchema,
});
export type StatementLine = z.infer<typeof statementLineSchema>;

export const statementStatusSchema = z.enum(['draft', 'sent', 'confirmed', 'disputed']);
export const statementStatusLabels: Record<z.infer<typeof statementStatusSchema>, string> = {
  draft: '草稿（未发送）',
  sent: '已发送',
  confirmed: '客户已确认',
  disputed: '客户有异议',
};

export const statementDisputeSchema = z.object({
  id: z.number().int(),
  statementId: z.number().int(),
  statementLineId: z.number().int().nullable(),
  lineNo: z.number().int().nullable(),
  documentNumber: z.string().nullable(),
  lineAmountFen: signedFenSchema.nullable(),
  claimedAmountFen: signedFenSchema.nullable(),
  /** claimed − ours when the clerk gave an amount. */
  differenceFen: signedFenSchema.nullable(),
  withinTolerance: z.boolean(),
  comment: z.string(),
  clerkName: z.string(),
  status: z.enum(['open', 'resolved', 'settled']),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolutionNote: z.string().nullable(),
  customer: customerRefSchema,
  month: monthSchema,
});
export type StatementDispute = z.infer<typeof statementDisputeSchema>;

export const statementSchema = z.object({
  id: z.number().int().nullable(),
  number: z.string().nullable(),
  customer: customerRefSchema,
  month: monthSchema,
  status: statementStatusSchema,
  figures: statementFiguresSchema,
  lineCount: z.number().int(),
  sentAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  confirmedByName: z.string().nullable(),
});
export type Statement = z.infer<typeof statementSchema>;

export const statementDetailSchema = z.object({
  statement: statementSchema,
  lines: z.array(statementLineSchema),
  /** Lines are paged; the figures always cover the whole month. */
  linesTotal: z.number().int(),
  disputes: z.array(statementDisputeSchema),
  shares: z.array(z.object({ id: z.number().int(), expiresAt: z.string(), createdAt: z.string(), revokedAt: z.string().nullable(), lastViewedAt: z.string().nullable() })),
});

export const statementQuerySchema = pageQuerySchema.extend({
  customerId: z.coerce.number().int().positive(),
  month: monthSchema,
});

export const statementLinesQuerySchema = pageQuerySchema.extend({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

export const sendStatementSchema = z.object({ customerId: z.number().int().positive(), month: monthSchema });

export const statementListQuerySchema = pageQuerySchema.extend({
  month: monthSchema.optional(),
  customerId: z.coerce.number().int().positive().optional(),
  status: z.enum(['sent', 'confirmed', 'disputed']).optional(),
});
export const statementListSchema = z.object({ items: z.array(statementSchema), total: z.number().int() });

export const createShareSchema = z.object({ expiresInDays: z.number().int().min(1).max(90).optional() });
export const shareLinkSchema = z.object({ id: z.number().int(), url: z.string(), expiresAt: z.string() });

export const publicStatementSchema = z.object({
  publisherName: z.string(),
  statement: statementSchema.omit({ customer: true }).extend({ customerName: z.string() }),
  lines: z.array(statementLineSchema),
  linesTotal: z.number().int(),
  disputes: z.array(z.object({ id: z.number().int(), statementLineId: z.number().int().nullable(), comment: z.string(), claimedAmountFen: signedFenSchema.nullable(), clerkName: z.string(), status: z.enum(['open', 'resolved', 'settled']), createdAt: z.string() })),
  expiresAt: z.string(),
});
export type PublicStatement = z.infer<typeof publicStatementSchema>;

export const publicConfirmSchema = z.object({ clerkName: z.string().trim().min(1, '请填写您的姓名').max(40) });

export const publicDisputeSchema = z.object({
  clerkName: z.string().trim().min(1, '请填写您的姓名').max(40),
  statementLineId: z.number().int().positive().nullable(),
  comment: z.string().trim().min(2, '请写明异议内容').max(500),
  /** The amount the customer's books show for the line (as on the document, not negative), or their closing balance for a statement-level dispute. */
  claimedAmountFen: fenSchema.nullable().optional(),
});

export const disputeListQuerySchema = pageQuerySchema.extend({ status: z.enum(['open', 'resolved', 'settled']).default('open') });
export const disputeListSchema = z.object({ items: z.array(statementDisputeSchema), total: z.number().int() });
export const resolveDisputeSchema = z.object({ note: z.string().trim().min(2, '请写明处理结果').max(500) });
export const settleDisputeResultSchema = z.object({ dispute: statementDisputeSchema, adjustmentFen: signedFenSchema, postingMonth: monthSchema });

