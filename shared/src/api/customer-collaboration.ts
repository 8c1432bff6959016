import { z } from 'zod';
import { creditCodeInputSchema, mobileInputSchema, userRefSchema } from './customer.js';

/**
 * Asking the owner of an existing customer to be added as collaborator, from the duplicate-check message.
 * The request carries what the rep typed, never a customer id they could not see.
 */
export const collaborationRequestInputSchema = z
  .object({
    name: z.string().trim().min(2).max(100).optional(),
    creditCode: creditCodeInputSchema.optional(),
    mobile: mobileInputSchema.optional(),
    message: z.string().trim().max(200, '说明不能超过 200 个字').optional(),
  })
  .refine((input) => Boolean(input.name || input.creditCode || input.mobile), { path: ['name'], message: '请提供客户名称、统一社会信用代码或联系人手机号之一' });
export type CollaborationRequestInput = z.infer<typeof collaborationRequestInputSchema>;

export const collaborationRequestStatusSchema = z.enum(['pending', 'accepted', 'declined', 'cancelled']);

export const collaborationRequestSchema = z.object({
  id: z.number().int(),
  status: collaborationRequestStatusSchema,
  /** Name, credit code or mobile the requester entered when the duplicate check stopped them. */
  requestedAs: z.string(),
  /** The customer, for the owner; for the requester only after acceptance. */
  customer: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  requester: userRefSchema,
  message: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type CollaborationRequest = z.infer<typeof collaborationRequestSchema>;

export const collaborationRequestListQuerySchema = z.object({
  box: z.enum(['incoming', 'outgoing']).default('incoming'),
  status: collaborationRequestStatusSchema.optional(),
});

export const collaborationDecisionSchema = z.object({
  accept: z.boolean(),
  /** Whether the new collaborator may edit the customer. */
  canEdit: z.boolean().default(false),
});
