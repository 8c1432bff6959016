import { z } from 'zod';

/** Excel import of customers and contacts: a dry run that reports bad rows, then a commit of the good ones. */

export const importStatusSchema = z.enum(['validating', 'validated', 'importing', 'done', 'failed']);
export type ImportStatus = z.infer<typeof importStatusSchema>;

export const importRowErrorSchema = z.object({
  /** Row number as Excel shows it (the heading is row 1). */
  row: z.number().int(),
  /** The column heading, e.g. '统一社会信用代码'. */
  column: z.string(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowErrorSchema>;

export const customerImportSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  status: importStatusSchema,
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  goodRows: z.number().int(),
  badRows: z.number().int(),
  importedCustomers: z.number().int(),
  importedContacts: z.number().int(),
  /** The first 1,000 row errors, in row order. */
  errors: z.array(importRowErrorSchema),
  failure: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CustomerImport = z.infer<typeof customerImportSchema>;
