import { z } from 'zod';
import { discountSchema, fenSchema } from '../money.js';
import { bookCategorySchema } from './book.js';

/**
 * draft → sent, or draft → pending_approval → approved → sent when a line has a 特殊折扣.
 * A rejected or withdrawn approval returns the quote to draft. Revising a sent quote supersedes it with a
 * new version; turning it into a contract draft marks it converted.
 */
export const quoteStatusSchema = z.enum(['draft', 'pending_approval', 'approved', 'sent', 'superseded', 'converted']);
export type QuoteStatus = z.infer<typeof quoteStatusSchema>;

export const quoteStatusLabels: Record<QuoteStatus, string> = {
  draft: '草稿',
  pending_approval: '特价审批中',
  approved: '特价已批准',
  sent: '已发送',
  superseded: '已修订',
  converted: '已转合同',
};

/** Outcome of the latest special-discount approval of this version; `none` when never submitted. */
export const specialDiscountApprovalSchema = z.enum(['none', 'pending', 'approved', 'rejected', 'withdrawn']);
export type SpecialDiscountApproval = z.infer<typeof specialDiscountApprovalSchema>;

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const quoteLineSchema = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  bookId: z.number().int(),
  isbn: z.string(),
  title: z.string(),
  category: bookCategorySchema,
  series: z.string().nullable(),
  /** 定价 copied from the catalog when the line was added; later catalog changes do not move it. */
  listPriceFen: fenSchema,
  quantity: z.number().int(),
  discount: discountSchema,
  defaultDiscount: discountSchema,
  floorDiscount: discountSchema.nullable(),
  listAmountFen: fenSchema,
  netAmountFen: fenSchema,
  isSpecialDiscount: z.boolean(),
});
export type QuoteLine = z.infer<typeof quoteLineSchema>;

export const quoteSummarySchema = z.object({
  id: z.number().int(),
  number: z.string(),
  version: z.number().int(),
  customerId: z.number().int(),
  customerName: z.string(),
  opportunityId: z.number().int().nullable(),
  opportunityName: z.string().nullable(),
  ownerId: z.number().int(),
  ownerName: z.string(),
  status: quoteStatusSchema,
  specialDiscountApproval: specialDiscountApprovalSchema,
  approvalId: z.number().int().nullable(),
  validUntil: z.string(),
  listAmountFen: fenSchema,
  netAmountFen: fenSchema,
  totalQuantity: z.number().int(),
  lineCount: z.number().int(),
  specialLineCount: z.number().int(),
  /** Reason, in Chinese, that the quote cannot be sent or turned into a contract now; null when it can. */
  blockedReason: z.string().nullable(),
  contractId: z.number().int().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type QuoteSummary = z.infer<typeof quoteSummarySchema>;

export const quoteVersionSchema = z.object({
  id: z.number().int(),
  version: z.number().int(),
  status: quoteStatusSchema,
  netAmountFen: fenSchema,
  createdAt: z.string(),
});

export const quoteDetailSchema = quoteSummarySchema.extend({
  notes: z.string().nullable(),
  lines: z.array(quoteLineSchema),
  versions: z.array(quoteVersionSchema),
  /** Shown when this quote would take the customer past its credit limit, with the figures; null otherwise. */
  creditWarning: z.string().nullable(),
  /** Actions the phone may offer; each flag is the server's decision, and the phone only shows it. */
  actions: z.object({
    edit: z.boolean(),
    submitApproval: z.boolean(),
    send: z.boolean(),
    revise: z.boolean(),
    createContract: z.boolean(),
  }),
});
export type QuoteDetail = z.infer<typeof quoteDetailSchema>;

export const quoteLineInputSchema = z.object({
  /** Id of an existing line of this quote, so its copied list price is kept; absent for a new line. */
  lineId: z.number().int().positive().optional(),
  bookId: z.number().int().positive('请选择图书'),
  quantity: z.number().int('数量必须是整数').min(1, '数量至少为 1').max(1_000_000, '数量不能超过 1,000,000'),
  discount: discountSchema,
});
export type QuoteLineInput = z.infer<typeof quoteLineInputSchema>;

/** Largest quote accepted: a library's annual list runs to a few hundred titles. */
export const maxQuoteLines = 2000;

export const quoteCreateSchema = z.object({
  customerId: z.number().int().positive('请选择客户'),
  opportunityId: z.number().int().positive().nullable().default(null),
  validUntil: dateSchema,
  notes: z.string().trim().max(2000, '备注不能超过 2000 个字').nullable().default(null),
  lines: z.array(quoteLineInputSchema).max(maxQuoteLines, `一张报价单最多 ${maxQuoteLines} 行`),
});
export type QuoteCreate = z.infer<typeof quoteCreateSchema>;

export const quoteUpdateSchema = quoteCreateSchema.omit({ customerId: true });
export type QuoteUpdate = z.infer<typeof quoteUpdateSchema>;

export const quoteListQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  customerId: z.coerce.number().int().positive().optional(),
  opportunityId: z.coerce.number().int().positive().optional(),
  status: quoteStatusSchema.optional(),
  /** Latest version of each quote only (default), or every version. */
  versions: z.enum(['latest', 'all']).default('latest'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type QuoteListQuery = z.infer<typeof quoteListQuerySchema>;

export const quotePageSchema = z.object({
  items: z.array(quoteSummarySchema),
  total: z.number().int(),
});

export const lineDefaultsRequestSchema = z.object({
  customerId: z.number().int().positive(),
  bookIds: z.array(z.number().int().positive()).min(1).max(maxQuoteLines),
});

export const lineDefaultsSchema = z.object({
  items: z.array(
    z.object({
      bookId: z.number().int(),
      isbn: z.string(),
      title: z.string(),
      category: bookCategorySchema,
      series: z.string().nullable(),
      listPriceFen: fenSchema,
      status: z.string(),
      defaultDiscount: discountSchema,
      floorDiscount: discountSchema.nullable(),
      /** Source of the discount for the line's hint: the customer's 'agreement' or the publisher-wide 'fallback'. */
      source: z.enum(['agreement', 'fallback']),
    }),
  ),
});
export type LineDefaults = z.infer<typeof lineDefaultsSchema>['items'][number];

export const fallbackDiscountSchema = z.object({
  defaultDiscount: discountSchema,
  floorDiscount: discountSchema.nullable(),
});
