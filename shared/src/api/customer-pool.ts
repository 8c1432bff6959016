import { z } from 'zod';
import { customerStages, customerTypeLabels, customerTypes } from '../customer-rules.js';

/** Pool rules an admin sets, and the owner's customers that will soon return to the pool. */

const wholeNumber = (label: string, unit: string, min: number, max: number) =>
  z
    .number({ error: `请填写${label}（整数）` })
    .int(`${label}须为整数`)
    .min(min, `${label}不能少于 ${min} ${unit}`)
    .max(max, `${label}不能超过 ${max} ${unit}`);

/**
 * Rules of the public pool. They set how many customers a rep may own before a claim is rejected, and
 * after how many days without follow-up a customer returns to the pool (a default and one per customer
 * type). They also set how many days before that the owner is notified, and how long a rep who released a
 * customer waits before claiming it back.
 */
export const poolSettingsSchema = z.object({
  claimLimit: wholeNumber('领取上限', '个', 1, 100_000),
  returnDays: z.object({
    default: wholeNumber('默认退回天数', '天', 1, 3650),
    byType: z.partialRecord(z.enum(customerTypes), wholeNumber('退回天数', '天', 1, 3650)),
  }),
  noticeDaysBefore: wholeNumber('提前提醒天数', '天', 0, 60),
  reclaimCooldownDays: wholeNumber('重新领取冷却期', '天', 0, 365),
});
export type PoolSettings = z.infer<typeof poolSettingsSchema>;

/**
 * Validates the settings as an admin saves them. The notice has to come before the return for every type: with a
 * notice of 30 days and a return after 14, the owner would be warned the day they take the customer.
 * Stored values are read with poolSettingsSchema alone, so a value saved before this check still loads.
 */
export const poolSettingsInputSchema = poolSettingsSchema.superRefine((settings, ctx) => {
  const shortest = [{ label: '默认', days: settings.returnDays.default }, ...customerTypes.flatMap((type) => {
    const days = settings.returnDays.byType[type];
    return days === undefined ? [] : [{ label: customerTypeLabels[type], days }];
  })].sort((a, b) => a.days - b.days)[0]!;
  if (settings.noticeDaysBefore >= shortest.days) {
    ctx.addIssue({
      code: 'custom',
      path: ['noticeDaysBefore'],
      message: `提前提醒天数须小于最短的退回天数（${shortest.label} ${shortest.days} 天），否则客户刚归属就会收到退回提醒`,
    });
  }
});

export const upcomingPoolReturnSchema = z.object({
  customer: z.object({ id: z.number().int(), name: z.string(), type: z.enum(customerTypes), stage: z.enum(customerStages) }),
  /** Last follow-up, or the start of ownership when never followed up: the day the count starts. */
  countedFrom: z.string(),
  /** Calendar day (Asia/Shanghai by default) on which the daily job returns the customer unless it is followed up. */
  dueDate: z.string(),
  daysLeft: z.number().int(),
});
export type UpcomingPoolReturn = z.infer<typeof upcomingPoolReturnSchema>;

export const upcomingPoolReturnsSchema = z.object({
  noticeDaysBefore: z.number().int(),
  items: z.array(upcomingPoolReturnSchema),
});
export type UpcomingPoolReturns = z.infer<typeof upcomingPoolReturnsSchema>;
