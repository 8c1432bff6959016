import multer from '@koa/multer';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { customerListQuerySchema } from '@shared/api/customer.js';
import { customerImportSchema } from '@shared/api/customer-import.js';
import { apiErrorSchema } from '@shared/api/error.js';
import { idParamsSchema } from '@shared/api/org.js';
import { hasRole } from '../../access/actor.js';
import { AppError, badRequest, forbidden } from '../../http/app-error.js';
import type { AppState } from '../../http/context.js';
import { defineRoute } from '../../http/define-route.js';
import { parseInput } from '../../http/validate.js';
import type { ModuleDeps } from '../module-deps.js';
import { exportCustomers } from './customer-export.service.js';
import { buildImportTemplate } from './customer-import.columns.js';
import { commitImport, getImport, startImport } from './customer-import.service.js';

const maxUploadBytes = 5 * 1024 * 1024;
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const tag = '客户导入导出';
const exportQuerySchema = customerListQuerySchema.omit({ offset: true, limit: true, withTotal: true });

/** Import and export endpoints; the uploads and downloads are registered on the router directly. */
export function registerCustomerFileRoutes(deps: ModuleDeps): void {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxUploadBytes, files: 1, fields: 2 } });
  const importContext = { db: deps.db, logger: deps.logger, now: () => deps.clock.now() };

  deps.router.get('/api/customers/import-template', deps.authenticate, async (ctx) => {
    sendWorkbook(ctx, await buildImportTemplate(), '客户导入模板.xlsx');
  });

  deps.router.post('/api/customers/imports', deps.authenticate, requireSales(), uploadErrors(upload.single('file')), async (ctx) => {
    const file = ctx.file;
    if (!file) throw badRequest('import_file_missing', '请选择要导入的 Excel 文件（表单字段名 file）');
    if (!/\.xlsx$/i.test(file.originalname)) throw badRequest('import_file_invalid', `“${file.originalname}”不是 .xlsx 文件：请用导入模板填写后保存为 .xlsx`);
    const job = await startImport(importContext, ctx.state.actor!, { buffer: file.buffer, fileName: decodeFileName(file.originalname) });
    ctx.state.log.info({ importId: job.id, rows: job.totalRows }, 'customer import started');
    ctx.status = 202;
    ctx.body = job;
  });

  deps.router.get('/api/customers/export', deps.authenticate, async (ctx) => {
    const query = parseInput(exportQuerySchema, ctx.query, 'query');
    const { buffer, rows } = await exportCustomers(deps.db, ctx.state.actor!, query, deps.clock.now());
    ctx.state.log.info({ rows }, 'customer export');
    sendWorkbook(ctx, buffer, `客户_${new Date().toISOString().slice(0, 10)}.xlsx`);
  });

  defineRoute(deps, {
    method: 'get',
    path: '/customers/imports/:id',
    summary: '导入任务进度与预检报告（逐行错误：行号、列、原因）',
    tag,
    params: idParamsSchema,
    response: customerImportSchema,
    handler: ({ actor, params }) => getImport(deps.db, actor, params.id, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/customers/imports/:id/commit',
    summary: '导入预检通过的行（一个事务）',
    tag,
    params: idParamsSchema,
    response: customerImportSchema,
    status: 200,
    handler: ({ actor, params }) => commitImport(importContext, actor, params.id),
  });

  registerOpenApi(deps);
}

function requireSales(): Middleware<AppState> {
  return async (ctx, next) => {
    if (!ctx.state.actor || !hasRole(ctx.state.actor, 'rep', 'manager', 'admin')) throw forbidden('导入客户');
    await next();
  };
}

/** Multer's own errors (oversize, extra files) become clear 4xx answers. */
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

/** Browsers send UTF-8 file names that busboy reads as latin1. */
function decodeFileName(name: string): string {
  const decoded = Buffer.from(name, 'latin1').toString('utf8');
  return decoded.includes('\uFFFD') ? name : decoded;
}

function sendWorkbook(ctx: Context, buffer: Buffer, fileName: string): void {
  ctx.type = xlsxType;
  ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  ctx.body = buffer;
}

function registerOpenApi(deps: ModuleDeps): void {
  const errorContent = { 'application/json': { schema: apiErrorSchema } };
  const fileResponse = { description: 'Excel 文件', content: { [xlsxType]: { schema: z.string().meta({ format: 'binary' }) } } };
  const security = [{ bearerAuth: [] }];
  deps.registry.registerPath({ method: 'get', path: '/api/customers/import-template', summary: '下载客户导入模板', tags: [tag], security, responses: { 200: fileResponse } });
  deps.registry.registerPath({
    method: 'post',
    path: '/api/customers/imports',
    summary: '上传客户 Excel，开始预检（返回任务，轮询进度）',
    tags: [tag],
    security,
    request: { body: { content: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary' }) }) } } } },
    responses: {
      202: { description: '导入任务', content: { 'application/json': { schema: customerImportSchema } } },
      400: { description: '文件不正确（格式、工作表、列名、公式、行数）', content: errorContent },
      413: { description: '文件过大', content: errorContent },
    },
  });
  deps.registry.registerPath({ method: 'get', path: '/api/customers/export', summary: '导出本人可见范围内的客户（与列表相同的筛选）', tags: [tag], security, request: { query: exportQuerySchema }, responses: { 200: fileResponse } });
}
