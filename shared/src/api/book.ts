import { z } from 'zod';
import { fenSchema } from '../money.js';
import { parseIsbn, isbnErrorMessages } from '../isbn.js';

/** Catalog categories as the trade sorts titles; stored as these codes, shown with bookCategoryLabels. */
export const bookCategorySchema = z.enum(['textbook', 'teaching_aid', 'general', 'children', 'academic', 'other']);
export type BookCategory = z.infer<typeof bookCategorySchema>;

export const bookCategoryLabels: Record<BookCategory, string> = {
  textbook: '教材',
  teaching_aid: '教辅',
  general: '大众',
  children: '少儿',
  academic: '学术',
  other: '其他',
};

export const bookStatusSchema = z.enum(['on_sale', 'discontinued', 'pre_order']);
export type BookStatus = z.infer<typeof bookStatusSchema>;

export const bookStatusLabels: Record<BookStatus, string> = {
  on_sale: '在售',
  discontinued: '停售',
  pre_order: '预售',
};

/** Any ISBN form a user types or scans (ISBN-10, hyphens, full-width digits), turned into ISBN-13. */
export const isbnInputSchema = z.string().transform((value, context) => {
  const result = parseIsbn(value);
  if (result.ok) return result.isbn13;
  context.addIssue({ code: 'custom', message: isbnErrorMessages[result.reason] });
  return z.NEVER;
});

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const bookSchema = z.object({
  id: z.number().int(),
  isbn: z.string(),
  title: z.string(),
  author: z.string().nullable(),
  series: z.string().nullable(),
  category: bookCategorySchema,
  listPriceFen: fenSchema,
  publicationDate: z.string().nullable(),
  status: bookStatusSchema,
  /** Copies available as last imported from the distribution system; null when never imported. */
  stockQuantity: z.number().int().nullable(),
  stockUpdatedAt: z.string().nullable(),
  publisher: z.string().nullable(),
  updatedAt: z.string(),
});
export type Book = z.infer<typeof bookSchema>;

const bookFields = {
  title: z.string().trim().min(1, '书名不能为空').max(200, '书名不能超过 200 个字'),
  author: z.string().trim().max(200, '作者不能超过 200 个字').nullable(),
  series: z.string().trim().max(100, '丛书名不能超过 100 个字').nullable(),
  category: bookCategorySchema,
  listPriceFen: fenSchema.refine((value) => value > 0, '定价必须大于 0'),
  publicationDate: dateSchema.nullable(),
  status: bookStatusSchema,
  stockQuantity: z.number().int().min(0, '库存不能为负数').nullable(),
  publisher: z.string().trim().max(100, '出版社名称不能超过 100 个字').nullable(),
};

export const bookInputSchema = z.object({
  isbn: isbnInputSchema,
  title: bookFields.title,
  author: bookFields.author.default(null),
  series: bookFields.series.default(null),
  category: bookFields.category,
  listPriceFen: bookFields.listPriceFen,
  publicationDate: bookFields.publicationDate.default(null),
  status: bookFields.status.default('on_sale'),
  stockQuantity: bookFields.stockQuantity.default(null),
  publisher: bookFields.publisher.default(null),
});
export type BookInput = z.infer<typeof bookInputSchema>;

/** Only the fields sent change; no defaults here, so a partial update never blanks a field. */
export const bookUpdateSchema = z.object(bookFields).partial();
export type BookUpdate = z.infer<typeof bookUpdateSchema>;

export const bookSearchQuerySchema = z.object({
  /** ISBN in any form (exact or the leading digits), title words, pinyin spelling or initials, series. */
  q: z.string().trim().max(100, '搜索词不能超过 100 个字').optional(),
  category: bookCategorySchema.optional(),
  status: bookStatusSchema.optional(),
  series: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type BookSearchQuery = z.infer<typeof bookSearchQuerySchema>;

export const bookPageSchema = z.object({
  items: z.array(bookSchema),
  /** Matching titles, counted up to 1,000. */
  total: z.number().int(),
  /** True when more titles match than `total` counts (show '1000+'). */
  totalCapped: z.boolean(),
});
export type BookPage = z.infer<typeof bookPageSchema>;

export const isbnParamsSchema = z.object({ isbn: z.string().max(32) });

export const bookSeriesListSchema = z.object({ items: z.array(z.object({ series: z.string(), count: z.number().int() })) });

/** One problem of an import row; `row` is the spreadsheet row number the user sees (header = 1). */
export const importIssueSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  message: z.string(),
});
export type ImportIssue = z.infer<typeof importIssueSchema>;

export const bookImportReportSchema = z.object({
  dryRun: z.boolean(),
  totalRows: z.number().int(),
  /** Rows that create a new title. */
  created: z.number().int(),
  /** Rows that update an existing title (price, stock, status…) matched by ISBN. */
  updated: z.number().int(),
  /** Rows identical to the catalog already. */
  unchanged: z.number().int(),
  issues: z.array(importIssueSchema),
});
export type BookImportReport = z.infer<typeof bookImportReportSchema>;
