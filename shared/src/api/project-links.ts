import { z } from 'zod';
import { projectKindSchema, projectStatusSchema } from '../project-rules.js';
import { linkRefTypeSchema } from './project.js';

/**
 * Choosing what to link. From a project, the caller picks among the visits, quotes, contracts and receipts
 * of its customers that they can open. From a record, they pick among the projects they work on that
 * include its customer.
 */

/**
 * Record types a rep picks from a project's list. An opportunity is linked when a project is created from
 * it, and an approval can still be linked by id through POST /api/projects/:id/links.
 */
export const linkCandidateTypeSchema = z.enum(['visit', 'quote', 'contract', 'receipt']);
export type LinkCandidateType = z.infer<typeof linkCandidateTypeSchema>;

export const linkCandidateQuerySchema = z.object({
  refType: linkCandidateTypeSchema,
  /** One of the project's customers; omitted: all of them. */
  customerId: z.coerce.number().int().positive('客户 id 必须是正整数').optional(),
  /** Part of the number, title or payer; visits match the owner's name or the outcome. */
  q: z.string().trim().max(50, '搜索词不能超过 50 个字').optional(),
});
export type LinkCandidateQuery = z.infer<typeof linkCandidateQuerySchema>;

export const linkCandidateSchema = z.object({
  refType: linkCandidateTypeSchema,
  refId: z.number().int(),
  customerId: z.number().int(),
  customerName: z.string(),
  /** The title the link gets, as the project's list shows it. */
  title: z.string(),
  /** Second line: who, status and amount. */
  detail: z.string(),
  occurredAt: z.string(),
  /** Id of the existing link to this project; null when not linked yet. */
  linkId: z.number().int().nullable(),
});
export type LinkCandidate = z.infer<typeof linkCandidateSchema>;

export const linkCandidateListSchema = z.object({
  items: z.array(linkCandidateSchema),
  /** More records exist than were returned: narrow with a customer or a search word. */
  truncated: z.boolean(),
});

export const linkTargetQuerySchema = z.object({
  refType: linkRefTypeSchema,
  refId: z.coerce.number().int().positive('记录 id 必须是正整数'),
});

export const linkTargetSchema = z.object({
  projectId: z.number().int(),
  number: z.string(),
  name: z.string(),
  kind: projectKindSchema,
  status: projectStatusSchema,
  /** Id of the link when the record is already linked to this project. */
  linkId: z.number().int().nullable(),
  canUnlink: z.boolean(),
});
export type LinkTarget = z.infer<typeof linkTargetSchema>;

export const linkTargetListSchema = z.object({
  record: z.object({ title: z.string(), customerId: z.number().int().nullable(), customerName: z.string().nullable() }),
  items: z.array(linkTargetSchema),
});
export type LinkTargetList = z.infer<typeof linkTargetListSchema>;
