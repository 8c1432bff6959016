import { z } from 'zod';
import { discountSchema, fenSchema } from '../money.js';
import { approvalStatusSchema } from '../approval-rules.js';
import { attachmentKindSchema, contractStatusSchema, sealTypeSchema } from '../contract-rules.js';

/** 合同类型: 购销, 馆配, 教材, 框架, 其他. */
export const contractTypeSchema = z.enum(['purchase_sale', 'library_supply', 'textbook', 'framework', 'other']);
export type ContractType = z.infer<typeof contractTypeSchema>;

export const contractTypeLabels: Record<ContractType, string> = {
  purchase_sale: '购销合同',
  library_supply: '馆配合同',
  textbook: '教材合同',
  framework: '框架合同',
  other: '其他',
};

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const optionalId = z.number().int().positive().nullable().default(null);

/**
 * A line as entered: a catalog book (price and title come from the catalog) or a free line with its own
 * title and price, e.g. a book not in the catalog yet.
 */
export const contractLineInputSchema = z
  .object({
    bookId: z.number().int().positive().nullable().default(null),
    title: z.string().trim().max(200, '书名最多 200 个字').nullable().default(null),
    isbn: z.string().trim().nullable().default(null),
    listPriceFen: fenSchema.positive('定价必须大于 0').nullable().default(null),
    quantity: z.number().int('数量必须是整数').positive('数量必须大于 0').max(10_000_000, '数量过大'),
    discount: discountSchema,
  })
  .refine((line) => line.bookId !== null || (line.title && line.listPriceFen !== null), {
    message: '请选择图书，或填写书名和定价',
    path: ['bookId'],
  });
export type ContractLineInput = z.infer<typeof contractLineInputSchema>;

export const installmentInputSchema = z
  .object({
    dueDate: dateSchema,
    amountFen: fenSchema.positive('回款金额必须大于 0').nullable().default(null),
    /** Share of the contract amount in basis points (30% = 3000). */
    percentBp: z.number().int().min(1, '比例必须大于 0').max(10_000, '比例不能超过 100%').nullable().default(null),
    note: z.string().trim().max(100, '备注最多 100 个字').default(''),
  })
  .refine((installment) => (installment.amountFen === null) !== (installment.percentBp === null), {
    message: '每期回款请填写金额或比例（二选一）',
    path: ['amountFen'],
  });
export type InstallmentInputValue = z.infer<typeof installmentInputSchema>;

export const contractInputSchema = z
  .object({
    customerId: z.number().int().positive('请选择客户'),
    type: contractTypeSchema,
    title: z.string().trim().min(1, '请填写合同名称').max(100, '合同名称最多 100 个字'),
    startDate: dateSchema.nullable().default(null),
    endDate: dateSchema.nullable().default(null),
    deliveryTerms: z.string().trim().max(1000, '交货条款最多 1000 个字').default(''),
    notes: z.string().trim().max(1000, '备注最多 1000 个字').default(''),
    opportunityId: optionalId,
    projectId: optionalId,
    lines: z.array(contractLineInputSchema).max(500, '一份合同最多 500 行'),
    installments: z.array(installmentInputSchema).max(36, '最多 36 期回款'),
  })
  .refine((input) => !input.startDate || !input.endDate || input.startDate <= input.endDate, { message: '结束日期不能早于开始日期', path: ['endDate'] })
  .refine((input) => input.type === 'framework' || input.lines.length > 0, { message: '请至少添加一行图书（只有框架合同可以不填明细）', path: ['lines'] });
export type ContractInput = z.infer<typeof contractInputSchema>;

export const updateContractRequestSchema = z.object({ contract: contractInputSchema, version: z.number().int().positive() });

export const contractFromQuoteRequestSchema = z.object({
  quoteId: z.number().int().positive(),
  type: contractTypeSchema.default('purchase_sale'),
  title: z.string().trim().min(1).max(100).optional(),
});

export const contractLineSchema = z.object({
  seq: z.number().int(),
  bookId: z.number().int().nullable(),
  isbn: z.string().nullable(),
  title: z.string(),
  listPriceFen: fenSchema,
  quantity: z.number().int(),
  discount: discountSchema,
  floorDiscount: discountSchema.nullable(),
  isSpecialDiscount: z.boolean(),
  listAmountFen: fenSchema,
  netAmountFen: fenSchema,
});
export type ContractLine = z.infer<typeof contractLineSchema>;

export const installmentSchema = z.object({
  seq: z.number().int(),
  dueDate: z.string(),
  amountFen: fenSchema,
  percentBp: z.number().int().nullable(),
  note: z.string(),
});

export const contractAttachmentSchema = z.object({
  id: z.number().int(),
  kind: attachmentKindSchema,
  fileName: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.object({ id: z.number().int(), name: z.string() }),
  uploadedAt: z.string(),
  /** Uploaded after the last approval: sealing waits for a new approval. */
  addedAfterApproval: z.boolean(),
  downloadPath: z.string(),
});
export type ContractAttachment = z.infer<typeof contractAttachmentSchema>;

export const contractActionSchema = z.enum(['edit', 'submit', 'withdraw', 'upload', 'seal', 'archive', 'void', 'request_void']);
export type ContractAction = z.infer<typeof contractActionSchema>;

export const contractSummarySchema = z.object({
  id: z.number().int(),
  number: z.string(),
  title: z.string(),
  type: contractTypeSchema,
  status: contractStatusSchema,
  customer: z.object({ id: z.number().int(), name: z.string() }),
  owner: z.object({ id: z.number().int(), name: z.string() }),
  totalNetFen: fenSchema,
  hasSpecialDiscount: z.boolean(),
  updatedAt: z.string(),
});
export type ContractSummary = z.infer<typeof contractSummarySchema>;

export const contractListQuerySchema = z.object({
  status: contractStatusSchema.optional(),
  customerId: z.coerce.number().int().positive().optional(),
  /** Part of the number or title. */
  q: z.string().trim().max(50).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const contractListSchema = z.object({ items: z.array(contractSummarySchema), nextBefore: z.number().int().nullable() });
export type ContractList = z.infer<typeof contractListSchema>;

const approvalRefSchema = z.object({ id: z.number().int(), status: approvalStatusSchema }).nullable();

export const contractDetailSchema = contractSummarySchema.extend({
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  deliveryTerms: z.string(),
  notes: z.string(),
  opportunityId: z.number().int().nullable(),
  projectId: z.number().int().nullable(),
  quoteId: z.number().int().nullable(),
  totalListFen: fenSchema,
  totalQuantity: z.number().int(),
  lines: z.array(contractLineSchema),
  installments: z.array(installmentSchema),
  attachments: z.array(contractAttachmentSchema),
  version: z.number().int(),
  approval: approvalRefSchema,
  voidApproval: approvalRefSchema,
  /** Hash of the content as it is now; equal to approvedContentHash unless something changed after approval. */
  contentHash: z.string(),
  approvedContentHash: z.string().nullable(),
  changedSinceApproval: z.boolean(),
  approvedAt: z.string().nullable(),
  seal: z
    .object({ sealType: sealTypeSchema, sealedAt: z.string(), sealedBy: z.string(), contentHash: z.string(), note: z.string().nullable() })
    .nullable(),
  archive: z.object({ archiveNumber: z.string(), location: z.string().nullable(), archivedAt: z.string(), archivedBy: z.string() }).nullable(),
  voidReason: z.string().nullable(),
  voidedAt: z.string().nullable(),
  createdAt: z.string(),
  availableActions: z.array(contractActionSchema),
});
export type ContractDetail = z.infer<typeof contractDetailSchema>;

const expectedVersion = z.number().int().positive();

export const submitContractRequestSchema = z.object({ version: expectedVersion });

export const sealContractRequestSchema = z.object({
  sealType: sealTypeSchema,
  /** The approved content hash the seal keeper saw on the seal page; sealing anything else is refused. */
  approvedContentHash: z.string().regex(/^[0-9a-f]{64}$/, '内容摘要格式不正确'),
  note: z.string().trim().max(200).optional(),
  version: expectedVersion,
});

export const archiveContractRequestSchema = z.object({
  /** Paper archive number; generated from the contract number when left out. */
  archiveNumber: z.string().trim().min(1).max(40).optional(),
  location: z.string().trim().max(100).optional(),
  version: expectedVersion,
});

export const voidContractRequestSchema = z.object({
  reason: z.string().trim().min(1, '请填写作废原因').max(500, '作废原因最多 500 个字'),
  version: expectedVersion,
});

export const attachmentParamsSchema = z.object({
  id: z.coerce.number().int().positive(),
  attachmentId: z.coerce.number().int().positive(),
});
