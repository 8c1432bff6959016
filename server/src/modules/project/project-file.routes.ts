import multer from '@koa/multer';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { apiErrorSchema } from '@shared/api/error.js';
import { documentListSchema, documentSchema, importReportSchema, projectChildParamsSchema, projectIdParamsSchema, subscriptionImportReportSchema } from '@shared/api/project.js';
import { AppError, badRequest } from '../../http/app-error.js';
import type { AppState } from '../../http/context.js';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { exportBookList, importBookList, importHoldings } from './library-supply.service.js';
import { maxDocumentBytes, listProjectDocuments, openProjectDocument, removeProjectDocument, uploadProjectDocument } from './project-document.service.js';
import { momentOf } from './project.context.js';
import { buildWorkbook, xlsxContentType } from './project.workbook.js';
import { buildSubscriptionOrderTemplate, importSubscriptionOrders } from './subscription-import.service.js';

const tag = '项目';

const importOptionsSchema = z.object({
  dryRun: z.enum(['true', 'false']).default('true'),
  mode: z.enum(['merge', 'replace']).default('merge'),
});

/** Endpoints that take or return files: documents, book-list, holdings and subscription-order imports, the book-list export and the templates. */
export function registerProjectFileRoutes(deps: ModuleDeps): void {
  // Chinese file names arrive as UTF-8 without a declared charset; busboy would read them as Latin-1.
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxDocumentBytes, files: 1, fields: 10 }, defParamCharset: 'utf8' } as multer.Options);
  const single = uploadErrors(upload.single('file'));

  defineRoute(deps, {
    method: 'get',
    path: '/projects/:id/documents',
    summary: '项目文档（标书、书目清单、馆藏清单等）',
    tag,
    params: projectIdParamsSchema,
    response: documentListSchema,
    handler: async ({ params, actor }) => ({ items: await listProjectDocuments(deps.db, actor, params.id) }),
  });

  defineRoute(deps, {
    method: 'delete',
    path: '/projects/:id/documents/:childId',
    summary: '删除项目文档',
    tag,
    params: projectChildParamsSchema,
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ params, actor }) => {
      await removeProjectDocument(deps.db, actor, params.id, params.childId);
      return { ok: true as const };
    },
  });

  deps.router.post('/api/projects/:id/documents', deps.authenticate, single, async (ctx) => {
    const projectId = parseProjectId(ctx);
    const file = requireFile(ctx);
    const body = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
    const document = await uploadProjectDocument(
      deps.db,
      ctx.state.actor!,
      projectId,
      { fileName: file.originalname, content: file.buffer, kind: String(body.kind ?? 'other'), note: String(body.note ?? '').slice(0, 200) },
      deps.config.DATA_DIR,
      momentOf(deps),
    );
    ctx.state.log.info({ projectId, documentId: document.id, sizeBytes: document.sizeBytes }, 'project document uploaded');
    ctx.status = 201;
    ctx.body = document;
  });

  deps.router.get('/api/projects/:id/documents/:documentId/file', deps.authenticate, async (ctx) => {
    const projectId = parseProjectId(ctx);
    const documentId = Number(ctx.params.documentId);
    if (!Number.isInteger(documentId) || documentId <= 0) throw badRequest('validation_failed', '文档 id 必须是正整数');
    const { document, content } = await openProjectDocument(deps.db, ctx.state.actor!, projectId, documentId, deps.config.DATA_DIR);
    sendFile(ctx, content, document.contentType, document.fileName);
  });

  deps.router.post('/api/projects/:id/book-list/import', deps.authenticate, single, async (ctx) => {
    const projectId = parseProjectId(ctx);
    const options = parseImportOptions(ctx);
    const file = requireFile(ctx);
    const report = await importBookList(deps.db, ctx.state.actor!, projectId, { fileName: file.originalname, content: file.buffer }, options, deps.config.DATA_DIR, momentOf(deps));
    ctx.state.log.info({ projectId, dryRun: report.dryRun, accepted: report.accepted, issues: report.issues.length }, 'book list import');
    ctx.body = report;
  });

  deps.router.post('/api/projects/:id/holdings/import', deps.authenticate, single, async (ctx) => {
    const projectId = parseProjectId(ctx);
    const options = parseImportOptions(ctx);
    const file = requireFile(ctx);
    const report = await importHoldings(deps.db, ctx.state.actor!, projectId, { fileName: file.originalname, content: file.buffer }, options, deps.config.DATA_DIR, momentOf(deps));
    ctx.state.log.info({ projectId, dryRun: report.dryRun, accepted: report.accepted }, 'holdings import');
    ctx.body = report;
  });

  deps.router.get('/api/projects/:id/book-list/export', deps.authenticate, async (ctx) => {
    const { fileName, content } = await exportBookList(deps.db, ctx.state.actor!, parseProjectId(ctx));
    sendFile(ctx, content, xlsxContentType, fileName);
  });

  deps.router.get('/api/project-book-list-template', deps.authenticate, async (ctx) => {
    const content = await buildWorkbook(
      '馆配书目',
      [
        { header: 'ISBN', width: 18 },
        { header: '书名', width: 40 },
        { header: '数量', width: 8 },
      ],
      [['9787020002207', '红楼梦', 3]],
    );
    sendFile(ctx, content, xlsxContentType, '馆配书目导入模板.xlsx');
  });

  deps.router.post('/api/projects/:id/subscription/orders/import', deps.authenticate, single, async (ctx) => {
    const projectId = parseProjectId(ctx);
    const options = parseImportOptions(ctx);
    const file = requireFile(ctx);
    const report = await importSubscriptionOrders(deps.db, ctx.state.actor!, projectId, { fileName: file.originalname, content: file.buffer }, options, deps.config.DATA_DIR, momentOf(deps));
    ctx.state.log.info({ projectId, dryRun: report.dryRun, created: report.created, updated: report.updated, removed: report.removed, issues: report.issues.length }, 'subscription order import');
    ctx.body = report;
  });

  deps.router.get('/api/project-subscription-template', deps.authenticate, async (ctx) => {
    sendFile(ctx, await buildSubscriptionOrderTemplate(), xlsxContentType, '教材征订订单导入模板.xlsx');
  });

  registerFileOpenApi(deps);
}

function parseProjectId(ctx: Context): number {
  const parsed = projectIdParamsSchema.safeParse(ctx.params);
  if (!parsed.success) throw badRequest('validation_failed', '项目 id 必须是正整数');
  return parsed.data.id;
}

function parseImportOptions(ctx: Context): { dryRun: boolean; mode: 'merge' | 'replace' } {
  const parsed = importOptionsSchema.safeParse(ctx.query);
  if (!parsed.success) throw badRequest('validation_failed', 'dryRun 只能是 true 或 false，mode 只能是 merge 或 replace');
  return { dryRun: parsed.data.dryRun === 'true', mode: parsed.data.mode };
}

function requireFile(ctx: Context): { originalname: string; buffer: Buffer } {
  const file = (ctx as Context & { file?: { originalname: string; buffer: Buffer } }).file;
  if (!file) throw badRequest('file_missing', '请选择要上传的文件（表单字段名 file）');
  return file;
}

function sendFile(ctx: Context, content: Buffer, contentType: string, fileName: string): void {
  ctx.type = contentType;
  ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  ctx.body = content;
}

/** Multer reports an oversize or extra file as its own error; turn it into a clear 4xx. */
function uploadErrors(middleware: Middleware): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await middleware(ctx, async () => undefined);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE') throw new AppError(413, 'file_too_large', `文件超过 ${maxDocumentBytes / 1024 / 1024} MB：请压缩或拆分后再上传`);
      if (typeof code === 'string' && code.startsWith('LIMIT_')) throw badRequest('upload_invalid', '一次只能上传一个文件，字段名为 file');
      throw error;
    }
    await next();
  };
}

function registerFileOpenApi(deps: ModuleDeps): void {
  const errorContent = { 'application/json': { schema: apiErrorSchema } };
  const security = [{ bearerAuth: [] }];
  const multipart = (extra: Record<string, z.ZodType> = {}) => ({ content: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary' }), ...extra }) } } });
  const xlsx = { description: 'Excel 文件', content: { [xlsxContentType]: { schema: z.string().meta({ format: 'binary' }) } } };
  const report = { description: '导入报告', content: { 'application/json': { schema: importReportSchema } } };
  const errors = { 400: { description: '文件不正确', content: errorContent }, 404: { description: '项目不存在或无权查看', content: errorContent }, 413: { description: '文件过大', content: errorContent } };

  deps.registry.registerPath({
    method: 'post',
    path: '/api/projects/{id}/documents',
    summary: '上传项目文档（PDF、Word、Excel、图片、ZIP，20 MB 以内）',
    tags: [tag],
    security,
    request: { params: projectIdParamsSchema, body: multipart({ kind: z.string().optional(), note: z.string().optional() }) },
    responses: { 201: { description: '已上传', content: { 'application/json': { schema: documentSchema } } }, ...errors },
  });
  deps.registry.registerPath({
    method: 'get',
    path: '/api/projects/{id}/documents/{documentId}/file',
    summary: '下载项目文档',
    tags: [tag],
    security,
    request: { params: z.object({ id: z.number().int(), documentId: z.number().int() }) },
    responses: { 200: { description: '文件内容' }, 404: errors[404] },
  });
  deps.registry.registerPath({
    method: 'post',
    path: '/api/projects/{id}/book-list/import',
    summary: '从 Excel 导入馆配书目（ISBN、书名、数量；先 dryRun=true 预检）',
    tags: [tag],
    security,
    request: { params: projectIdParamsSchema, query: importOptionsSchema, body: multipart() },
    responses: { 200: report, ...errors },
  });
  deps.registry.registerPath({
    method: 'post',
    path: '/api/projects/{id}/holdings/import',
    summary: '导入图书馆馆藏清单（ISBN 列），标记书目中已有馆藏的品种',
    tags: [tag],
    security,
    request: { params: projectIdParamsSchema, query: importOptionsSchema.pick({ dryRun: true }), body: multipart() },
    responses: { 200: report, ...errors },
  });
  deps.registry.registerPath({ method: 'get', path: '/api/projects/{id}/book-list/export', summary: '导出馆配书目及配送情况', tags: [tag], security, request: { params: projectIdParamsSchema }, responses: { 200: xlsx } });
  deps.registry.registerPath({ method: 'get', path: '/api/project-book-list-template', summary: '下载馆配书目导入模板', tags: [tag], security, responses: { 200: xlsx } });
  deps.registry.registerPath({
    method: 'post',
    path: '/api/projects/{id}/subscription/orders/import',
    summary: '从 Excel 导入教材征订订单（课程、班级、ISBN、书名、数量；先 dryRun=true 预检；同一文件重复导入不变）',
    tags: ['项目·教材征订'],
    security,
    request: { params: projectIdParamsSchema, query: importOptionsSchema, body: multipart() },
    responses: { 200: { description: '导入报告', content: { 'application/json': { schema: subscriptionImportReportSchema } } }, ...errors },
  });
  deps.registry.registerPath({ method: 'get', path: '/api/project-subscription-template', summary: '下载教材征订订单导入模板', tags: ['项目·教材征订'], security, responses: { 200: xlsx } });
}
