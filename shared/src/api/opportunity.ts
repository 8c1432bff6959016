import { z } from 'zod';
import { fenSchema } from '../money.js';

export const opportunityKindSchema = z.enum(['textbook_subscription', 'library_supply', 'group_purchase', 'replenishment', 'new_release', 'other']);
export type OpportunityKind = z.infer<typeof opportunityKindSchema>;

export const opportunityKindLabels: Record<OpportunityKind, string> = {
  textbook_subscription: '教材征订',
  library_supply: '馆配',
  group_purchase: '团购',
  replenishment: '常规补货',
  new_release: '新书首发',
  other: '其他',
};

export const opportunityStageSchema = z.enum(['initial_contact', 'needs_confirmed', 'quoting', 'negotiating', 'won', 'lost']);
export type OpportunityStage = z.infer<typeof opportunityStageSchema>;

/** Stages an open opportunity moves through, in order; `won` ends the path and `lost` may end it at any point. */
export const openStages = ['initial_contact', 'needs_confirmed', 'quoting', 'negotiating'] as const satisfies readonly OpportunityStage[];
export const funnelStages = [...openStages, 'won'] as const satisfies readonly OpportunityStage[];

export const opportunityStageLabels: Record<OpportunityStage, string> = {
  initial_contact: '初步接触',
  needs_confirmed: '需求确认',
  quoting: '报价中',
  negotiating: '谈判中',
  won: '已签约',
  lost: '已输单',
};

/** Win probability in percent per stage; an admin may change it (setting `opportunity.win_probability`). */
export const winProbabilitySchema = z.object({
  initial_contact: z.number().int().min(0).max(100),
  needs_confirmed: z.number().int().min(0).max(100),
  quoting: z.number().int().min(0).max(100),
  negotiating: z.number().int().min(0).max(100),
  won: z.literal(100),
  lost: z.literal(0),
});
export type WinProbability = z.infer<typeof winProbabilitySchema>;

export const defaultWinProbability: WinProbability = {
  initial_contact: 10,
  needs_confirmed: 30,
  quoting: 50,
  negotiating: 75,
  won: 100,
  lost: 0,
};

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const opportunitySchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  customerName: z.string(),
  name: z.string(),
  kind: opportunityKindSchema,
  stage: opportunityStageSchema,
  winProbability: z.number().int(),
  expectedAmountFen: fenSchema,
  expectedCloseDate: z.string(),
  ownerId: z.number().int(),
  ownerName: z.string(),
  competitor: z.string().nullable(),
  notes: z.string().nullable(),
  lostReason: z.string().nullable(),
  wonContractId: z.number().int().nullable(),
  closedAt: z.string().nullable(),
  lastActivityAt: z.string(),
  /** True when open and without activity for the configured number of days. */
  isStale: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Opportunity = z.infer<typeof opportunitySchema>;

export const stageChangeSchema = z.object({
  id: z.number().int(),
  fromStage: opportunityStageSchema.nullable(),
  toStage: opportunityStageSchema,
  reason: z.string().nullable(),
  actorUserId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  changedAt: z.string(),
});
export type StageChange = z.infer<typeof stageChangeSchema>;

export const opportunityDetailSchema = opportunitySchema.extend({
  stageChanges: z.array(stageChangeSchema),
});
export type OpportunityDetail = z.infer<typeof opportunityDetailSchema>;

const opportunityFields = {
  name: z.string().trim().min(1, '商机名称不能为空').max(100, '商机名称不能超过 100 个字'),
  kind: opportunityKindSchema,
  expectedAmountFen: fenSchema,
  expectedCloseDate: dateSchema,
  competitor: z.string().trim().max(100, '竞争对手不能超过 100 个字').nullable(),
  notes: z.string().trim().max(2000, '备注不能超过 2000 个字').nullable(),
};

export const opportunityCreateSchema = z.object({
  customerId: z.number().int().positive('请选择客户'),
  ...opportunityFields,
  stage: z.enum(openStages).default('initial_contact'),
  competitor: opportunityFields.competitor.default(null),
  notes: opportunityFields.notes.default(null),
});
export type OpportunityCreate = z.infer<typeof opportunityCreateSchema>;

/** Only the fields sent change; the stage moves through its own endpoint so each move is recorded. */
export const opportunityUpdateSchema = z.object(opportunityFields).partial();
export type OpportunityUpdate = z.infer<typeof opportunityUpdateSchema>;

export const stageChangeRequestSchema = z
  .object({
    stage: opportunityStageSchema,
    /** Required for `lost`; for `won` without a contract it is the manager's confirmation note. */
    reason: z.string().trim().max(500, '原因不能超过 500 个字').nullable().default(null),
  })
  .refine((value) => value.stage !== 'lost' || (value.reason !== null && value.reason.length > 0), {
    message: '输单必须填写原因',
    path: ['reason'],
  });
export type StageChangeRequest = z.infer<typeof stageChangeRequestSchema>;

export const opportunityListQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  stage: opportunityStageSchema.optional(),
  /** `open` = every stage before won/lost. */
  status: z.enum(['open', 'closed', 'all']).default('open'),
  kind: opportunityKindSchema.optional(),
  customerId: z.coerce.number().int().positive().optional(),
  ownerId: z.coerce.number().int().positive().optional(),
  stale: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  closeFrom: dateSchema.optional(),
  closeTo: dateSchema.optional(),
  sort: z.enum(['expected_close_date', 'expected_amount', 'updated_at']).default('expected_close_date'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type OpportunityListQuery = z.infer<typeof opportunityListQuerySchema>;

export const opportunityPageSchema = z.object({
  items: z.array(opportunitySchema),
  total: z.number().int(),
});

export const funnelQuerySchema = z
  .object({
    /** Opportunities whose close date (actual when closed, expected when open) lies in [from, to]. */
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    departmentId: z.coerce.number().int().positive().optional(),
    ownerId: z.coerce.number().int().positive().optional(),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, { message: '开始日期不能晚于结束日期', path: ['to'] });
export type FunnelQuery = z.infer<typeof funnelQuerySchema>;

export const funnelStageFigureSchema = z.object({
  stage: opportunityStageSchema,
  count: z.number().int(),
  amountFen: fenSchema,
  winProbability: z.number().int(),
  weightedAmountFen: fenSchema,
});

export const funnelConversionSchema = z.object({
  fromStage: opportunityStageSchema,
  toStage: opportunityStageSchema,
  /** Opportunities that reached fromStage, and of those the ones that went on to toStage or beyond. */
  reached: z.number().int(),
  advanced: z.number().int(),
  /** advanced ÷ reached in basis points (4000 = 40 %), null when none reached fromStage. */
  rateBasisPoints: z.number().int().nullable(),
});

export const forecastSchema = z.object({
  label: z.string(),
  from: z.string(),
  to: z.string(),
  wonAmountFen: fenSchema,
  weightedOpenAmountFen: fenSchema,
  /** Won so far plus the probability-weighted open amount expected to close in the period. */
  forecastAmountFen: fenSchema,
});

export const funnelSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  stages: z.array(funnelStageFigureSchema),
  conversions: z.array(funnelConversionSchema),
  openCount: z.number().int(),
  openAmountFen: fenSchema,
  weightedOpenAmountFen: fenSchema,
  forecasts: z.array(forecastSchema),
});
export type Funnel = z.infer<typeof funnelSchema>;
