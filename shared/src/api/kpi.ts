import { z } from 'zod';
import { kpiFiguresSchema, periodPresetSchema } from '../kpi-rules.js';
import { funnelSchema } from './opportunity.js';
import { agingBucketSchema } from './receivable.js';
import { targetMetricSchema } from './target.js';

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const kpiSubjectTypeSchema = z.enum(['user', 'department', 'org']);
export type KpiSubjectType = z.infer<typeof kpiSubjectTypeSchema>;

export const kpiSubjectSchema = z.object({ type: kpiSubjectTypeSchema, id: z.number().int().nullable(), name: z.string() });
export type KpiSubject = z.infer<typeof kpiSubjectSchema>;

/**
 * Subject and period of KPI figures. Without a subject a rep gets their own, a manager their team and an
 * executive the whole organisation. A subject outside the caller's scope gets a 404.
 */
export const kpiQuerySchema = z
  .object({
    /** Defaults to 'custom' when from and to are given, else to 'this_month'. */
    preset: periodPresetSchema.optional(),
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    subjectType: kpiSubjectTypeSchema.optional(),
    subjectId: z.coerce.number().int().positive().optional(),
  })
  .refine((value) => value.preset !== 'custom' || (value.from !== undefined && value.to !== undefined), { path: ['from'], message: '自定义期间需要开始和结束日期' })
  .refine((value) => value.preset !== undefined || (value.from === undefined) === (value.to === undefined), { path: ['to'], message: '请同时填写开始和结束日期' })
  .refine((value) => !value.from || !value.to || value.from <= value.to, { path: ['to'], message: '结束日期不能早于开始日期' })
  .refine((value) => value.subjectType === undefined || value.subjectType === 'org' || value.subjectId !== undefined, { path: ['subjectId'], message: '请指定业务员或部门' });
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

export const kpiPeriodSchema = z.object({ preset: periodPresetSchema, from: z.string(), to: z.string(), label: z.string() });

export const targetValuesSchema = z.object({
  contract_amount: z.number().int().nullable(),
  receipts: z.number().int().nullable(),
  new_customers: z.number().int().nullable(),
  visits: z.number().int().nullable(),
});

export const kpiSummarySchema = z.object({
  subject: kpiSubjectSchema,
  period: kpiPeriodSchema,
  /** Overdue is measured on this date: the period's end, or today when the period has not ended. */
  asOfDate: z.string(),
  figures: kpiFiguresSchema,
  targets: targetValuesSchema,
  attainment: z.object({
    contract_amount: z.number().int().nullable(),
    receipts: z.number().int().nullable(),
    new_customers: z.number().int().nullable(),
    visits: z.number().int().nullable(),
  }),
  /** H5 route of the list behind each figure, filtered to the same records. */
  links: z.record(z.string(), z.string()),
});
export type KpiSummary = z.infer<typeof kpiSummarySchema>;

export const trendPointSchema = z.object({
  month: z.string(),
  contractAmountFen: z.number().int(),
  receiptsFen: z.number().int(),
  returnedNetFen: z.number().int(),
  receiptsTargetFen: z.number().int().nullable(),
});
export type TrendPoint = z.infer<typeof trendPointSchema>;

export const leaderboardRowSchema = z.object({
  rank: z.number().int(),
  subjectType: z.enum(['user', 'department']),
  subjectId: z.number().int(),
  name: z.string(),
  groupName: z.string().nullable(),
  contractAmountFen: z.number().int(),
  receiptsFen: z.number().int(),
  visits: z.number().int(),
  newCustomers: z.number().int(),
  receiptsTargetFen: z.number().int().nullable(),
  receiptsAttainmentBp: z.number().int().nullable(),
});
export type LeaderboardRow = z.infer<typeof leaderboardRowSchema>;

export const agingSummarySchema = z.object({
  asOfDate: z.string(),
  buckets: z.array(z.object({ bucket: agingBucketSchema, amountFen: z.number().int(), count: z.number().int() })),
  outstandingFen: z.number().int(),
  overdueFen: z.number().int(),
  overdueCount: z.number().int(),
});

export const dashboardSchema = z.object({
  summary: kpiSummarySchema,
  funnel: funnelSchema,
  trend: z.array(trendPointSchema),
  aging: agingSummarySchema,
  leaderboard: z.object({ reps: z.array(leaderboardRowSchema), teams: z.array(leaderboardRowSchema) }),
  /** Subjects the caller may switch to. */
  subjects: z.array(kpiSubjectSchema),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

/** Grouping of KPI table rows: per rep, per team (each rep's main department), or per child department of a department. */
export const kpiTableGroupingSchema = z.enum(['rep', 'team', 'department']);
export type KpiTableGrouping = z.infer<typeof kpiTableGroupingSchema>;

export const kpiTableQuerySchema = z
  .object({
    /** Defaults to 'custom' when from and to are given, else to 'this_month'. */
    preset: periodPresetSchema.optional(),
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    groupBy: kpiTableGroupingSchema.default('rep'),
    /**
     * Narrows the table to a department's subtree. With groupBy 'department' the rows are its child
     * departments. Without a departmentId, department rows are the children of the caller's default
     * subject (the root department for executives and finance). A department outside the caller's reach
     * gets a 404.
     */
    departmentId: z.coerce.number().int().positive().optional(),
  })
  .refine((value) => value.preset !== 'custom' || (value.from !== undefined && value.to !== undefined), { path: ['from'], message: '自定义期间需要开始和结束日期' })
  .refine((value) => value.preset !== undefined || (value.from === undefined) === (value.to === undefined), { path: ['to'], message: '请同时填写开始和结束日期' })
  .refine((value) => !value.from || !value.to || value.from <= value.to, { path: ['to'], message: '结束日期不能早于开始日期' });
export type KpiTableQuery = z.infer<typeof kpiTableQuerySchema>;

export const kpiTableRowSchema = z.object({
  subjectType: z.enum(['user', 'department']),
  subjectId: z.number().int(),
  name: z.string(),
  groupName: z.string().nullable(),
  figures: kpiFiguresSchema,
  targets: targetValuesSchema,
  attainment: targetValuesSchema,
  /** Department rows: how many child departments the row's department has, so a client knows whether it can open a further level. */
  childDepartmentCount: z.number().int().optional(),
  /** Department rows: true for the row of the members placed directly in the parent department rather than in a child. */
  directMembers: z.boolean().optional(),
});
export type KpiTableRow = z.infer<typeof kpiTableRowSchema>;

export const kpiTableSchema = z.object({
  period: kpiPeriodSchema,
  groupBy: kpiTableGroupingSchema,
  /** The department the table is narrowed to (the parent of department rows), or null for the caller's whole scope. */
  department: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  rows: z.array(kpiTableRowSchema),
  /**
   * Figures of everything in the table's scope: the caller's whole scope, equal to the dashboard of the
   * caller's default subject, or the chosen department's subtree within it.
   */
  total: kpiFiguresSchema,
});
export type KpiTable = z.infer<typeof kpiTableSchema>;

export { targetMetricSchema };
