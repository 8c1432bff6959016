import { z } from 'zod';
import { parseCreditCode, creditCodeErrorMessages } from '../credit-code.js';
import { creditCodeOptionalTypes, customerStages, customerTypes, contactRoles, normalizeMobile, normalizeLandline } from '../customer-rules.js';
import { fenSchema } from '../money.js';

/** Payloads of the customer center: customers, contacts, pool, collaborators, timeline. */

export const customerTypeSchema = z.enum(customerTypes);
export const customerStageSchema = z.enum(customerStages);
export const contactRoleSchema = z.enum(contactRoles);

export const userRefSchema = z.object({ id: z.number().int(), name: z.string() });
export type UserRef = z.infer<typeof userRefSchema>;

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();

/** A credit code as typed: full-width and lower case are accepted and stored normalized; '' means none. */
export const creditCodeInputSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === '') return null;
    const parsed = parseCreditCode(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: creditCodeErrorMessages[parsed.reason] });
      return z.NEVER;
    }
    return parsed.code;
  })
  .nullable();

export const mobileInputSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === '') return null;
    const mobile = normalizeMobile(value);
    if (!mobile) {
      ctx.addIssue({ code: 'custom', message: `手机号“${value}”格式不正确：应为 11 位中国大陆手机号，如 13812345678` });
      return z.NEVER;
    }
    return mobile;
  })
  .nullable();

export const landlineInputSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === '') return null;
    const landline = normalizeLandline(value);
    if (!landline) {
      ctx.addIssue({ code: 'custom', message: `座机“${value}”格式不正确：请写成区号-号码，如 025-83241234` });
      return z.NEVER;
    }
    return landline;
  })
  .nullable();

export const locationSchema = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});

export const regionSchema = z.object({
  /** The most specific code chosen: a county (6 digits), or a city (4 digits) that has no counties. */
  code: z.string(),
  provinceCode: z.string(),
  provinceName: z.string(),
  cityCode: z.string().nullable(),
  cityName: z.string().nullable(),
  countyCode: z.string().nullable(),
  countyName: z.string().nullable(),
  /** '江苏省 南京市 鼓楼区', with 市辖区 left out. */
  label: z.string(),
});
export type Region = z.infer<typeof regionSchema>;

export const regionCodeSchema = z.string().trim().regex(/^\d{2}(\d{2}(\d{2})?)?$/, '地区编码应为 2、4 或 6 位数字，请在地区选择器中选择');

const customerFields = {
  name: z.string().trim().min(2, '客户名称至少 2 个字').max(100, '客户名称不能超过 100 个字'),
  shortName: optionalText(30, '简称'),
  type: customerTypeSchema,
  creditCode: creditCodeInputSchema.optional(),
  regionCode: regionCodeSchema,
  address: optionalText(200, '地址'),
  location: locationSchema.nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(12, '每个标签不超过 12 个字')).max(10, '标签最多 10 个').optional(),
  source: optionalText(30, '来源'),
  notes: optionalText(1000, '备注'),
  creditLimitFen: fenSchema.nullable().optional(),
};

export const contactInputSchema = z
  .object({
    name: z.string().trim().min(1, '请填写联系人姓名').max(30, '姓名不能超过 30 个字'),
    title: optionalText(30, '职务'),
    role: contactRoleSchema.default('other'),
    mobile: mobileInputSchema.optional(),
    landline: landlineInputSchema.optional(),
    email: z
      .string()
      .trim()
      .transform((value) => (value === '' ? null : value))
      .pipe(z.email('邮箱格式不正确，如 name@example.com').nullable())
      .nullable()
      .optional(),
    isKey: z.boolean().default(false),
    notes: optionalText(500, '备注'),
  })
  .refine((contact) => Boolean(contact.mobile || contact.landline), { path: ['mobile'], message: '手机号和座机至少填写一个' });
export type ContactInput = z.infer<typeof contactInputSchema>;

function requireCreditCodeByType(customer: { type?: z.infer<typeof customerTypeSchema>; creditCode?: string | null }): boolean {
  if (!customer.type) return true;
  return Boolean(customer.creditCode) || creditCodeOptionalTypes.includes(customer.type);
}

export const createCustomerRequestSchema = z
  .object({
    ...customerFields,
    stage: customerStageSchema.default('potential'),
    /** Created straight into the public pool (managers), instead of owned by the creator. */
    toPool: z.boolean().default(false),
    contacts: z.array(contactInputSchema).max(20).default([]),
  })
  .refine(requireCreditCodeByType, { path: ['creditCode'], message: '请填写统一社会信用代码（学校、图书馆没有的可不填）' });
export type CreateCustomerRequest = z.infer<typeof createCustomerRequestSchema>;

export const updateCustomerRequestSchema = z
  .object({
    ...customerFields,
    /** The version read by the editor; a stale one is refused so two editors never overwrite each other. */
    version: z.number().int().min(1),
  })
  .partial()
  .required({ version: true })
  .refine((input) => input.type === undefined || requireCreditCodeByType(input), { path: ['creditCode'], message: '请填写统一社会信用代码（学校、图书馆没有的可不填）' });
export type UpdateCustomerRequest = z.infer<typeof updateCustomerRequestSchema>;

export const customerPermissionsSchema = z.object({
  canEdit: z.boolean(),
  canRelease: z.boolean(),
  canTransfer: z.boolean(),
  canClaim: z.boolean(),
  canManageCollaborators: z.boolean(),
  canEditDiscount: z.boolean(),
  /** Whether the user may record visits and follow-ups. False for finance, which reads customers without working them. */
  canFollowUp: z.boolean(),
});

export const collaboratorSchema = userRefSchema.extend({ canEdit: z.boolean(), addedAt: z.string() });

export const customerSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  shortName: z.string().nullable(),
  type: customerTypeSchema,
  stage: customerStageSchema,
  stageChangedAt: z.string(),
  creditCode: z.string().nullable(),
  region: regionSchema.nullable(),
  address: z.string().nullable(),
  location: locationSchema.nullable(),
  tags: z.array(z.string()),
  source: z.string().nullable(),
  notes: z.string().nullable(),
  owner: userRefSchema.nullable(),
  ownedSince: z.string().nullable(),
  department: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  collaborators: z.array(collaboratorSchema),
  creditLimitFen: z.number().int().nullable(),
  inPool: z.boolean(),
  releasedAt: z.string().nullable(),
  releaseReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastFollowedUpAt: z.string().nullable(),
  version: z.number().int(),
  permissions: customerPermissionsSchema,
});
export type Customer = z.infer<typeof customerSchema>;

export const customerListItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  shortName: z.string().nullable(),
  type: customerTypeSchema,
  stage: customerStageSchema,
  regionLabel: z.string().nullable(),
  owner: userRefSchema.nullable(),
  tags: z.array(z.string()),
  lastFollowedUpAt: z.string().nullable(),
  releasedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type CustomerListItem = z.infer<typeof customerListItemSchema>;

const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(item));

export const customerSortSchema = z.enum(['updated', 'created', 'followup', 'name']);

export const customerListQuerySchema = z.object({
  /** Name, short name, pinyin or initials (xhsd → 新华书店), credit code, or a contact's phone. */
  q: z.string().trim().max(50).optional(),
  /** 'mine' = customers in the caller's scope with an owner; 'pool' = the public pool. */
  view: z.enum(['mine', 'pool']).default('mine'),
  type: commaList(customerTypeSchema).optional(),
  stage: commaList(customerStageSchema).optional(),
  regionCode: regionCodeSchema.optional(),
  ownerId: z.coerce.number().int().positive().optional(),
  /** Only customers not followed up for at least this many days (never followed up counts too). */
  notFollowedDays: z.coerce.number().int().min(1).max(3650).optional(),
  tag: z.string().trim().max(12).optional(),
  sort: customerSortSchema.default('updated'),
  order: z.enum(['asc', 'desc']).default('desc'),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Counting every match costs a second query, so the H5 requests it on the first page only. */
  withTotal: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});
export type CustomerListQuery = z.infer<typeof customerListQuerySchema>;

export const customerListResponseSchema = z.object({
  items: z.array(customerListItemSchema),
  hasMore: z.boolean(),
  total: z.number().int().nullable(),
});
export type CustomerListResponse = z.infer<typeof customerListResponseSchema>;

export const contactSchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  name: z.string(),
  title: z.string().nullable(),
  role: contactRoleSchema,
  mobile: z.string().nullable(),
  landline: z.string().nullable(),
  email: z.string().nullable(),
  isKey: z.boolean(),
  notes: z.string().nullable(),
  updatedAt: z.string(),
});
export type Contact = z.infer<typeof contactSchema>;

export const stageChangeRequestSchema = z.object({
  stage: customerStageSchema,
  reason: z.string().trim().max(200, '原因不能超过 200 个字').optional(),
  version: z.number().int().min(1),
});

export const reasonSchema = z.string().trim().min(2, '请填写原因（至少 2 个字）').max(200, '原因不能超过 200 个字');

export const releaseRequestSchema = z.object({ reason: reasonSchema });
export const transferRequestSchema = z.object({ toUserId: z.number().int().positive(), reason: reasonSchema });

export const collaboratorInputSchema = z.object({ userId: z.number().int().positive(), canEdit: z.boolean().default(false) });

export const timelineKinds = ['created', 'visit', 'opportunity', 'quote', 'contract', 'receipt', 'return', 'invoice', 'stage', 'ownership', 'collaborator', 'contact', 'discount', 'note', 'import'] as const;
export const timelineKindSchema = z.enum(timelineKinds);
export type TimelineKind = z.infer<typeof timelineKindSchema>;

export const timelineEntrySchema = z.object({
  id: z.number().int(),
  kind: timelineKindSchema,
  refType: z.string().nullable(),
  refId: z.string().nullable(),
  title: z.string(),
  summary: z.string().nullable(),
  actor: userRefSchema.nullable(),
  occurredAt: z.string(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const timelineQuerySchema = z.object({
  kind: timelineKindSchema.optional(),
  /** Entries older than this id (keyset paging, newest first). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const timelinePageSchema = z.object({ items: z.array(timelineEntrySchema), nextBefore: z.number().int().nullable() });

export const stageHistoryEntrySchema = z.object({
  id: z.number().int(),
  fromStage: customerStageSchema.nullable(),
  toStage: customerStageSchema,
  reason: z.string().nullable(),
  actor: userRefSchema.nullable(),
  changedAt: z.string(),
});

export const regionTreeSchema = z.object({
  provinces: z.array(z.object({ code: z.string(), name: z.string() })),
  cities: z.array(z.object({ code: z.string(), name: z.string(), parentCode: z.string() })),
  counties: z.array(z.object({ code: z.string(), name: z.string(), parentCode: z.string() })),
});
export type RegionTree = z.infer<typeof regionTreeSchema>;

export const duplicateCheckQuerySchema = z.object({
  name: z.string().trim().max(100).optional(),
  creditCode: z.string().trim().max(30).optional(),
  mobile: z.string().trim().max(20).optional(),
  /** The customer being edited, which does not count as its own duplicate. */
  excludeId: z.coerce.number().int().positive().optional(),
});

export const duplicateInfoSchema = z.object({
  matchedBy: z.enum(['credit_code', 'name', 'mobile']),
  inPool: z.boolean(),
  ownerName: z.string().nullable(),
  stage: customerStageSchema,
  ownedSince: z.string().nullable(),
  customerId: z.number().int().nullable(),
  message: z.string(),
});
export type DuplicateInfo = z.infer<typeof duplicateInfoSchema>;

export const duplicateCheckResponseSchema = z.object({ duplicate: duplicateInfoSchema.nullable() });

export const creditLimitRequestSchema = z.object({
  creditLimitFen: fenSchema.nullable(),
  reason: reasonSchema,
});

export const creditEvaluationSchema = z.object({
  limitFen: z.number().int().nullable(),
  owedFen: z.number().int(),
  openFen: z.number().int(),
  returnRate: z.number(),
  expectedReturnsFen: z.number().int(),
  exposureFen: z.number().int(),
  additionalFen: z.number().int(),
  projectedFen: z.number().int(),
  exceeded: z.boolean(),
  breakdown: z.array(z.object({ name: z.string(), label: z.string(), amountFen: z.number().int() })),
});

export const assigneeSchema = userRefSchema.extend({ departmentName: z.string().nullable(), ownedCount: z.number().int() });
export const assigneeListSchema = z.array(assigneeSchema);

export const okSchema = z.object({ ok: z.literal(true) });
