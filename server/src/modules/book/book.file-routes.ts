import multer from '@koa/multer';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { bookCategorySchema, bookImportReportSchema } from '@shared/api/book.js';
import { apiErrorSchema } from '@shared/api/error.js';
import { AppError, badRequest, forbidden } from '../../http/app-error.js';
import type { AppState } from '../../http/context.js';
import type { ModuleDeps } from '../module-deps.js';
import { buildBookImportTemplate, buildCatalogWorkbook } from './book.export.js';
import { importBooks } from './book.import.js';
import { canMaintainCatalog } from './book.rules.js';
import { searchBooks } from './book.service.js';

const maxUploadBytes = 10 * 1024 * 1024;
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const importQuerySchema = z.object({ dryRun: z.enum(['true', 'false']).default('true') });
const exportQuerySchema = z.object({ category: bookCategorySchema.optional() });

/** Spreadsheet endpoints: multipart upload and file downloads, outside defineRoute's JSON handling. */
export function registerBookFileRoutes(deps: ModuleDeps): void {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxUploadBytes, files: 1 } });

  deps.router.post('/api/books/import', deps.authenticate, requireMaintainer(), uploadErrors(upload.single('file')), async (ctx) => {
    const query = importQuerySchema.safeParse(ctx.query);
    if (!query.success) throw badRequest('validation_failed', 'dryRun 只能是 true 或 false');
    const file = ctx.file;
    if (!file) throw badRequest('import_file_missing', '请选择要导入的 Excel 文件（表单字段名 file）');

    const report = await importBooks(deps.db, ctx.state.actor!, file.buffer, { dryRun: query.data.dryRun === 'true', now: deps.clock.now() });
    ctx.state.log.info({ dryRun: report.dryRun, created: report.created, updated: report.updated, issues: report.issues.length }, 'book import');
    ctx.body = report;
  });

  deps.router.get('/api/books/import-template', deps.authenticate, async (ctx) => {
    sendWorkbook(ctx, await buildBookImportTemplate(), '书目导入模板.xlsx');
  });

  deps.router.get('/api/books/export', deps.authenticate, async (ctx) => {
    const query = exportQuerySchema.safeParse(ctx.query);
    if (!query.success) throw badRequest('validation_failed', '分类参数不正确');
    const books = [];
    for (let offset = 0; ; offset += 100) {
      const page = await searchBooks(deps.db, { category: query.data.category, limit: 100, offset });
      books.push(...page.items);
      if (page.items.length < 100) break;
    }
    sendWorkbook(ctx, await buildCatalogWorkbook(books), '书目.xlsx');
  });

  registerOpenApi(deps);
}

function requireMaintainer(): Middleware<AppState> {
  return async (ctx, next) => {
    if (!ctx.state.actor || !canMaintainCatalog(ctx.state.actor)) throw forbidden('导入书目');
    await next();
  };
}

/** Multer reports an oversize or extra file as its own error type; turn it into a clear 4xx. */
function uploadErrors(middleware: Middleware): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await middleware(ctx, async () => undefined);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE') throw new AppError(413, 'import_file_too_large', `文件超过 ${maxUploadBytes / 1024 / 1024} MB：请拆分后分批导入`);
      if (typeof code === 'string' && code.startsWith('LIMIT_')) throw badRequest('import_file_invalid', '一次只能上传一个文件，字段名为 file');
      throw error;
    }
    await next();
  };
}

function sendWorkbook(ctx: Parameters<Middleware>[0], buffer: Buffer, fileName: string): void {
  ctx.type = xlsxType;
  ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  ctx.body = buffer;
}

function registerOpenApi(deps: ModuleDeps): void {
  const errorContent = { 'application/json': { schema: apiErrorSchema } };
  const fileResponse = { description: 'Excel 文件', content: { [xlsxType]: { schema: z.string().meta({ format: 'binary' }) } } };
  deps.registry.registerPath({
    method: 'post',
    path: '/api/books/import',
    summary: '从 Excel 导入或更新书目（先 dryRun=true 预检，再 dryRun=false 导入）',
    tags: ['书目'],
    security: [{ bearerAuth: [] }],
    request: { query: importQuerySchema, body: { content: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary' }) }) } } } },
    responses: { 200: { description: '导入报告', content: { 'application/json': { schema: bookImportReportSchema } } }, 400: { description: '文件不正确', content: errorContent }, 413: { description: '文件过大', content: errorContent } },
  });
  deps.registry.registerPath({ method: 'get', path: '/api/books/import-template', summary: '下载书目导入模板', tags: ['书目'], security: [{ bearerAuth: [] }], responses: { 200: fileResponse } });
  deps.registry.registerPath({ method: 'get', path: '/api/books/export', summary: '导出书目（导入模板格式）', tags: ['书目'], security: [{ bearerAuth: [] }], request: { query: exportQuerySchema }, responses: { 200: fileResponse } });
}
