import { z } from 'zod';

/** A month of the tenant's calendar, e.g. 2026-03. */
export const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM，例如 2026-03');

export const targetMetricSchema = z.enum(['contract_amount', 'receipts', 'new_customers', 'visits']);
export type TargetMetric = z.infer<typeof targetMetricSchema>;

export const targetMetricLabels: Record<TargetMetric, string> = {
  contract_amount: '签约金额',
  receipts: '回款金额',
  new_customers: '新增客户',
  visits: '拜访次数',
};

/** Money metrics are fen; the others are counts. */
export const moneyTargetMetrics: readonly TargetMetric[] = ['contract_amount', 'receipts'];

export const targetSubjectTypeSchema = z.enum(['user', 'department']);
export type TargetSubjectType = z.infer<typeof targetSubjectTypeSchema>;

const targetValuesSchema = z.object({
  contract_amount: z.number().int().nullable(),
  receipts: z.number().int().nullable(),
  new_customers: z.number().int().nullable(),
  visits: z.number().int().nullable(),
});
export type TargetValues = z.infer<typeof targetValuesSchema>;

export const targetRowSchema = z.object({
  subjectType: targetSubjectTypeSchema,
  subjectId: z.number().int(),
  name: z.string(),
  /** Department of a rep, or the parent of a department; for grouping on screen. */
  groupName: z.string().nullable(),
  values: targetValuesSchema,
  /** The caller may set this subject's targets. */
  editable: z.boolean(),
});
export type TargetRow = z.infer<typeof targetRowSchema>;

export const targetSheetSchema = z.object({
  month: z.string(),
  rows: z.array(targetRowSchema),
  /** The caller may set targets for at least one subject. */
  canEdit: z.boolean(),
});
export type TargetSheet = z.infer<typeof targetSheetSchema>;

export const targetSheetQuerySchema = z.object({ month: monthSchema });

const maxTargetValue = 100_000_000_000;

export const targetUpdateSchema = z.object({
  month: monthSchema,
  items: z
    .array(
      z.object({
        subjectType: targetSubjectTypeSchema,
        subjectId: z.number().int().positive(),
        metric: targetMetricSchema,
        /** Null removes the target. */
        value: z.number().int('目标必须是整数（金额单位：分）').min(0, '目标不能为负数').max(maxTargetValue, '目标数值过大，请检查单位（金额以分计）').nullable(),
      }),
    )
    .min(1, '至少填写一项目标')
    .max(2000, '一次最多保存 2000 项目标'),
});
export type TargetUpdate = z.infer<typeof targetUpdateSchema>;

export const targetCopySchema = z
  .object({ fromMonth: monthSchema, toMonth: monthSchema })
  .refine((value) => value.fromMonth !== value.toMonth, { path: ['toMonth'], message: '目标月份不能与来源月份相同' });

export const targetCopyResultSchema = z.object({ copied: z.number().int(), skipped: z.number().int() });
