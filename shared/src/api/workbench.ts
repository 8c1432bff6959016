import { z } from 'zod';

export const workbenchItemKeySchema = z.enum(['approvals', 'plannedVisits', 'followUps', 'overdueReceivables', 'staleOpportunities', 'projectTasks', 'collaborationRequests', 'poolReturns']);
export type WorkbenchItemKey = z.infer<typeof workbenchItemKeySchema>;

export const workbenchItemSchema = z.object({
  key: workbenchItemKeySchema,
  title: z.string(),
  /** Null when the figure could not be read; the other items still show. */
  count: z.number().int().nullable(),
  /** A money figure next to the count, such as the overdue amount. */
  amountFen: z.number().int().nullable(),
  /** A short line under the title, such as the first entry of the list. */
  hint: z.string().nullable(),
  /** H5 route of the list behind the figure. */
  link: z.string(),
  /** 'alert' for things already late, so the page can colour them. */
  tone: z.enum(['normal', 'alert']),
});
export type WorkbenchItem = z.infer<typeof workbenchItemSchema>;

export const workbenchSchema = z.object({
  today: z.string(),
  items: z.array(workbenchItemSchema),
});
export type Workbench = z.infer<typeof workbenchSchema>;
