import { z } from 'zod';
import { fenSchema } from '../money.js';
import { fapiaoNumberMessages, parseFapiaoNumber } from '../receivable-rules.js';
import { customerRefSchema, dateSchema, pageQuerySchema } from './receivable.js';

/** Payloads of invoice requests (开票申请) and issued fapiao (发票), including red-letter invoices (红字发票). */

export const invoiceRequestStatusSchema = z.enum(['pending_approval', 'approved', 'rejected', 'withdrawn', 'issued']);
export const invoiceRequestStatusLabels: Record<z.infer<typeof invoiceRequestStatusSchema>, string> = {
  pending_approval: '审批中',
  approved: '待开票',
  rejected: '已驳回',
  withdrawn: '已撤回',
  issued: '已开票',
};

export const buyerSchema = z.object({
  buyerName: z.string().trim().min(2, '请填写购买方名称').max(100),
  taxId: z.string().trim().toUpperCase().min(15, '纳税人识别号应为 15–20 位').max(20, '纳税人识别号应为 15–20 位'),
  addressPhone: z.string().trim().max(200).default(''),
  bankAccount: z.string().trim().max(200).default(''),
});

export const invoicePrefillSchema = buyerSchema.extend({
  contractId: z.number().int(),
  contractNumber: z.string().nullable(),
  customer: customerRefSchema,
  /** The customer's credit code the tax id is checked against. */
  creditCode: z.string().nullable(),
  shippedNetFen: fenSchema,
  returnedNetFen: fenSchema,
  invoicedFen: z.number().int(),
  reservedFen: fenSchema,
  invoiceableFen: fenSchema,
});

export const createInvoiceRequestSchema = buyerSchema.extend({
  contractId: z.number().int().positive(),
  amountFen: fenSchema.min(1, '开票金额必须大于 0'),
  /** The user confirms that the buyer is not the customer (e.g. a headquarters pays for a branch). */
  differentBuyerConfirmed: z.boolean().default(false),
  note: z.string().trim().max(500).optional().transform((value) => (value ? value : null)),
});
export type CreateInvoiceRequest = z.infer<typeof createInvoiceRequestSchema>;

export const invoiceLineInputSchema = z.object({
  description: z.string().trim().min(1, '请填写货物或服务名称').max(100),
  amountFen: fenSchema.min(1, '金额必须大于 0'),
  /** VAT rate in basis points: books are 900 (9 %) in most cases. */
  taxRateBp: z.number().int().min(0).max(10_000),
});

const fapiaoNumberFields = z.object({
  invoiceCode: z.string().trim().max(12).optional().transform((value) => value ?? ''),
  invoiceNumber: z.string().trim().min(8, '请填写发票号码').max(20, '发票号码最多 20 位'),
});

function refineFapiaoNumber(value: { invoiceCode: string; invoiceNumber: string }, ctx: z.RefinementCtx): void {
  const parsed = parseFapiaoNumber(value.invoiceCode, value.invoiceNumber);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: fapiaoNumberMessages[parsed.reason], path: [parsed.reason === 'invalid_legacy_code' ? 'invoiceCode' : 'invoiceNumber'] });
}

export const recordInvoiceSchema = fapiaoNumberFields
  .extend({
    issueDate: dateSchema,
    lines: z.array(invoiceLineInputSchema).min(1, '请至少填写一行').max(100),
  })
  .superRefine(refineFapiaoNumber);
export type RecordInvoice = z.infer<typeof recordInvoiceSchema>;

export const recordRedInvoiceSchema = fapiaoNumberFields
  .extend({
    issueDate: dateSchema,
    amountFen: fenSchema.min(1, '红冲金额必须大于 0'),
    reason: z.string().trim().min(2, '请写明红冲原因').max(200),
  })
  .superRefine(refineFapiaoNumber);

export const invoiceSchema = z.object({
  id: z.number().int(),
  invoiceRequestId: z.number().int(),
  kind: z.enum(['blue', 'red']),
  invoiceCode: z.string(),
  invoiceNumber: z.string(),
  issueDate: dateSchema,
  amountFen: fenSchema,
  taxFen: fenSchema,
  reversesInvoiceId: z.number().int().nullable(),
  reversedFen: fenSchema,
  lines: z.array(z.object({ lineNo: z.number().int(), description: z.string(), amountFen: fenSchema, taxRateBp: z.number().int(), taxFen: fenSchema })),
  createdAt: z.string(),
});

export const invoiceRequestSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  contractId: z.number().int(),
  contractNumber: z.string().nullable(),
  customer: customerRefSchema,
  buyerName: z.string(),
  taxId: z.string(),
  addressPhone: z.string(),
  bankAccount: z.string(),
  amountFen: fenSchema,
  issuedFen: fenSchema,
  differentBuyerConfirmed: z.boolean(),
  status: invoiceRequestStatusSchema,
  approvalId: z.number().int().nullable(),
  note: z.string().nullable(),
  requestedBy: z.object({ id: z.number().int(), name: z.string() }),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

export const invoiceRequestDetailSchema = z.object({ request: invoiceRequestSchema, invoices: z.array(invoiceSchema) });

export const invoiceRequestListQuerySchema = pageQuerySchema.extend({
  status: invoiceRequestStatusSchema.optional(),
  contractId: z.coerce.number().int().positive().optional(),
  customerId: z.coerce.number().int().positive().optional(),
});
export const invoiceRequestListSchema = z.object({ items: z.array(invoiceRequestSchema), total: z.number().int() });
