import { z } from 'zod';
import { discountSchema } from '../money.js';
import { userRefSchema } from './customer.js';

/** A customer's agreed discount (折扣协议), in basis points: 6.2折 = 6200. */

export const agreementScopeSchema = z.enum(['customer', 'category', 'series']);
export type AgreementScope = z.infer<typeof agreementScopeSchema>;

export const agreementScopeLabels: Record<AgreementScope, string> = { customer: '客户默认', category: '按图书分类', series: '按丛书' };

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const discountAgreementInputSchema = z
  .object({
    scope: agreementScopeSchema,
    /** Category or series name; empty for the customer default. */
    scopeValue: z.string().trim().max(50, '分类或丛书名称不能超过 50 个字').default(''),
    defaultDiscount: discountSchema,
    floorDiscount: discountSchema,
    validFrom: dateSchema,
    validTo: dateSchema.nullable().default(null),
    reason: z.string().trim().min(2, '请填写调整原因（至少 2 个字）').max(200, '原因不能超过 200 个字'),
  })
  .refine((input) => input.floorDiscount <= input.defaultDiscount, { path: ['floorDiscount'], message: '底线折扣不能高于默认折扣' })
  .refine((input) => input.validTo === null || input.validTo >= input.validFrom, { path: ['validTo'], message: '结束日期不能早于开始日期' })
  .refine((input) => (input.scope === 'customer') === (input.scopeValue === ''), { path: ['scopeValue'], message: '按分类或丛书的协议请填写名称；客户默认协议不填' });
export type DiscountAgreementInput = z.infer<typeof discountAgreementInputSchema>;

export const discountAgreementSchema = z.object({
  id: z.number().int(),
  scope: agreementScopeSchema,
  scopeValue: z.string(),
  defaultDiscount: z.number().int(),
  floorDiscount: z.number().int(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  /** In force today (Asia/Shanghai). */
  active: z.boolean(),
  updatedAt: z.string(),
  updatedBy: userRefSchema.nullable(),
});
export type DiscountAgreement = z.infer<typeof discountAgreementSchema>;

export const discountAgreementChangeSchema = z.object({
  id: z.number().int(),
  agreementId: z.number().int(),
  action: z.enum(['create', 'update', 'delete']),
  summary: z.string(),
  reason: z.string(),
  actor: userRefSchema,
  changedAt: z.string(),
});

export const discountAgreementsResponseSchema = z.object({
  items: z.array(discountAgreementSchema),
  history: z.array(discountAgreementChangeSchema),
  canEdit: z.boolean(),
});

export const deleteAgreementRequestSchema = z.object({ reason: z.string().trim().min(2, '请填写删除原因').max(200) });
