import { z } from 'zod';
import { discountSchema, fenSchema } from '../money.js';
import { customerRefSchema, dateSchema, pageQuerySchema } from './receivable.js';

/** Payloads of shipments (发货单), returns (退货单) and consignment settlement (实销实结). */

export const documentLineInputSchema = z.object({
  isbn: z.string().trim().min(10, 'ISBN 至少 10 位').max(17),
  title: z.string().trim().max(200).optional(),
  quantity: z.number().int().min(1, '数量必须大于 0').max(1_000_000),
  listPriceFen: fenSchema.optional(),
  discount: discountSchema,
});

export const documentLineSchema = z.object({
  id: z.number().int(),
  lineNo: z.number().int(),
  isbn: z.string(),
  title: z.string(),
  quantity: z.number().int(),
  listPriceFen: fenSchema,
  discount: z.number().int(),
  listAmountFen: fenSchema,
  netAmountFen: fenSchema,
});

export const termsSchema = z.enum(['sale', 'consignment']);

export const shipmentSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  customer: customerRefSchema,
  contractId: z.number().int().nullable(),
  shippedDate: dateSchema,
  terms: termsSchema,
  listAmountFen: fenSchema,
  netAmountFen: fenSchema,
  totalQuantity: z.number().int(),
  source: z.enum(['manual', 'import']),
  note: z.string().nullable(),
  createdAt: z.string(),
});

export const shipmentDetailSchema = z.object({
  shipment: shipmentSchema,
  lines: z.array(documentLineSchema.extend({ settledQuantity: z.number().int(), returnedQuantity: z.number().int() })),
});

export const createShipmentSchema = z.object({
  number: z.string().trim().max(40).optional().transform((value) => (value ? value : null)),
  customerId: z.number().int().positive(),
  contractId: z.number().int().positive().nullable().optional(),
  shippedDate: dateSchema,
  note: z.string().trim().max(500).optional().transform((value) => (value ? value : null)),
  lines: z.array(documentLineInputSchema).min(1, '请至少填写一个品种').max(5000),
});
export type CreateShipment = z.infer<typeof createShipmentSchema>;

export const documentListQuerySchema = pageQuerySchema.extend({
  customerId: z.coerce.number().int().positive().optional(),
  contractId: z.coerce.number().int().positive().optional(),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
});

export const shipmentListSchema = z.object({ items: z.array(shipmentSchema), total: z.number().int() });

export const returnOrderStatusSchema = z.enum(['pending_approval', 'confirmed', 'rejected', 'withdrawn']);
export const returnOrderStatusLabels: Record<z.infer<typeof returnOrderStatusSchema>, string> = {
  pending_approval: '审批中',
  confirmed: '已确认',
  rejected: '已驳回',
  withdrawn: '已撤回',
};

export const returnOrderSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  customer: customerRefSchema,
  contractId: z.number().int().nullable(),
  shipmentId: z.number().int().nullable(),
  returnDate: dateSchema,
  terms: termsSchema,
  listAmountFen: fenSchema,
  netAmountFen: fenSchema,
  totalQuantity: z.number().int(),
  creditedFen: fenSchema,
  status: returnOrderStatusSchema,
  approvalId: z.number().int().nullable(),
  reason: z.string(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
});

export const returnOrderDetailSchema = z.object({
  returnOrder: returnOrderSchema,
  lines: z.array(documentLineSchema),
  /** Returned 码洋 ÷ shipped 码洋 this return was measured against, basis points. */
  shareBp: z.number().int().nullable(),
});

export const createReturnOrderSchema = z.object({
  number: z.string().trim().max(40).optional().transform((value) => (value ? value : null)),
  customerId: z.number().int().positive(),
  contractId: z.number().int().positive().nullable().optional(),
  shipmentId: z.number().int().positive().nullable().optional(),
  returnDate: dateSchema,
  reason: z.string().trim().min(2, '请写明退货原因').max(500),
  lines: z.array(documentLineInputSchema).min(1, '请至少填写一个品种').max(5000),
});
export type CreateReturnOrder = z.infer<typeof createReturnOrderSchema>;

export const returnOrderListQuerySchema = documentListQuerySchema.extend({ status: returnOrderStatusSchema.optional() });
export const returnOrderListSchema = z.object({ items: z.array(returnOrderSchema), total: z.number().int() });

export const documentImportRowSchema = z.object({
  row: z.number().int(),
  documentNumber: z.string().nullable(),
  status: z.enum(['new', 'duplicate', 'error']),
  message: z.string().nullable(),
});

export const documentImportReportSchema = z.object({
  dryRun: z.boolean(),
  documents: z.number().int(),
  lines: z.number().int(),
  created: z.number().int(),
  duplicates: z.number().int(),
  errors: z.number().int(),
  netAmountFen: fenSchema,
  rows: z.array(documentImportRowSchema),
});
export type DocumentImportReport = z.infer<typeof documentImportReportSchema>;

export const consignmentAgreementSchema = z.object({
  customerId: z.number().int(),
  returnWindowDays: z.number().int().min(1).max(1095),
  warnDaysBefore: z.number().int().min(0).max(365),
  paymentDays: z.number().int().min(0).max(365),
  active: z.boolean(),
});

export const putConsignmentAgreementSchema = consignmentAgreementSchema.omit({ customerId: true });

export const consignmentStockItemSchema = z.object({
  shipmentLineId: z.number().int(),
  shipmentId: z.number().int(),
  shipmentNumber: z.string(),
  shippedDate: dateSchema,
  isbn: z.string(),
  title: z.string(),
  listPriceFen: fenSchema,
  discount: z.number().int(),
  shippedQuantity: z.number().int(),
  settledQuantity: z.number().int(),
  returnedQuantity: z.number().int(),
  unsoldQuantity: z.number().int(),
  ageDays: z.number().int(),
  returnWindowEnd: dateSchema.nullable(),
  daysLeftToReturn: z.number().int().nullable(),
});

export const consignmentStockSchema = z.object({
  customer: customerRefSchema,
  agreement: consignmentAgreementSchema.nullable(),
  asOfDate: dateSchema,
  unsoldQuantity: z.number().int(),
  unsoldListFen: fenSchema,
  items: z.array(consignmentStockItemSchema),
});

export const settlementLineInputSchema = z.object({ isbn: z.string().trim().min(10).max(17), quantity: z.number().int().min(1, '销售数量必须大于 0') });

export const createSettlementSchema = z.object({
  customerId: z.number().int().positive(),
  periodFrom: dateSchema,
  periodTo: dateSchema,
  dryRun: z.boolean().default(false),
  lines: z.array(settlementLineInputSchema).min(1, '请至少填写一个品种的销售数量').max(5000),
}).refine((value) => value.periodFrom <= value.periodTo, { message: '结算期间的开始日期不能晚于结束日期', path: ['periodTo'] });

export const settlementSchema = z.object({
  id: z.number().int().nullable(),
  number: z.string().nullable(),
  customer: customerRefSchema,
  periodFrom: dateSchema,
  periodTo: dateSchema,
  listAmountFen: fenSchema,
  netAmountFen: fenSchema,
  totalQuantity: z.number().int(),
  planId: z.number().int().nullable(),
  dueDate: dateSchema.nullable(),
  lines: z.array(
    z.object({
      isbn: z.string(),
      title: z.string(),
      shipmentNumber: z.string(),
      shippedDate: dateSchema,
      quantity: z.number().int(),
      listPriceFen: fenSchema,
      discount: z.number().int(),
      listAmountFen: fenSchema,
      netAmountFen: fenSchema,
    }),
  ),
});

export const settlementListSchema = z.object({ items: z.array(settlementSchema.omit({ lines: true })), total: z.number().int() });
