import multer from '@koa/multer';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { apiErrorSchema } from '@shared/api/error.js';
import { documentImportReportSchema, settlementSchema } from '@shared/api/receivable-documents.js';
import { dateSchema, monthSchema, planBucketFilterSchema, planListStatusSchema, receiptImportReportSchema } from '@shared/api/receivable.js';
import type { Actor } from '../../access/actor.js';
import { AppError, badRequest } from '../../http/app-error.js';
import type { AppState } from '../../http/context.js';
import { parseInput } from '../../http/validate.js';
import { localDate } from '../../lib/clock.js';
import type { ModuleDeps } from '../module-deps.js';
import { settleConsignment } from './consignment.service.js';
import { importDocuments } from './document-import.js';
import { importBankStatement } from './receipt-import.js';
import { loadMoneyCustomerOrThrow, loadMoneyScope } from './receivable-access.js';
import { buildPlanWorkbook } from './receivable-export.js';
import { parseSettlementSheet } from './settlement-import.js';
import { buildStatementWorkbook } from './statement-export.js';

const maxUploadBytes = 10 * 1024 * 1024;
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const dryRunQuerySchema = z.object({ dryRun: z.enum(['true', 'false']).default('true') });
const settlementImportQuerySchema = dryRunQuerySchema.extend({ customerId: z.coerce.number().int().positive(), periodFrom: dateSchema, periodTo: dateSchema });
const statementExportQuerySchema = z.object({ customerId: z.coerce.number().int().positive(), month: monthSchema });
const planExportQuerySchema = z.object({
  bucket: planBucketFilterSchema.optional(),
  status: planListStatusSchema.default('unpaid'),
  customerId: z.coerce.number().int().positive().optional(),
  ownerId: z.coerce.number().int().positive().optional(),
});

/** Imports (multipart .xlsx/.csv) and Excel downloads, outside defineRoute's JSON handling. */
export function registerReceivableFileRoutes(deps: ModuleDeps): void {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxUploadBytes, files: 1 } });
  const single = uploadErrors(upload.single('file'));
  const today = () => localDate(deps.clock.now(), deps.config.TIME_ZONE);

  deps.router.post('/api/receivables/receipts/import', deps.authenticate, single, async (ctx) => {
    const query = parseInput(dryRunQuerySchema, ctx.query, 'query');
    const now = deps.clock.now();
    const report = await importBankStatement(deps.db, actorOf(ctx), fileOf(ctx), { dryRun: query.dryRun === 'true', now, today: today(), publicUrl: deps.config.PUBLIC_URL });
    ctx.state.log.info({ dryRun: report.dryRun, created: report.created, duplicates: report.duplicates, errors: report.errors }, 'bank statement import');
    ctx.body = report;
  });

  for (const kind of ['shipment', 'return'] as const) {
    deps.router.post(`/api/receivables/${kind === 'shipment' ? 'shipments' : 'returns'}/import`, deps.authenticate, single, async (ctx) => {
      const query = parseInput(dryRunQuerySchema, ctx.query, 'query');
      const report = await importDocuments(deps.db, actorOf(ctx), kind, fileOf(ctx), { dryRun: query.dryRun === 'true', now: deps.clock.now() });
      ctx.state.log.info({ kind, dryRun: report.dryRun, created: report.created, errors: report.errors }, 'document import');
      ctx.body = report;
    });
  }

  deps.router.post('/api/receivables/consignment/settlements/import', deps.authenticate, single, async (ctx) => {
    const query = parseInput(settlementImportQuerySchema, ctx.query, 'query');
    const lines = await parseSettlementSheet(fileOf(ctx));
    ctx.body = await settleConsignment(deps.db, actorOf(ctx), { customerId: query.customerId, periodFrom: query.periodFrom, periodTo: query.periodTo, dryRun: query.dryRun === 'true', lines, source: 'import' }, deps.clock.now());
  });

  deps.router.get('/api/receivables/statement/export', deps.authenticate, async (ctx) => {
    const query = parseInput(statementExportQuerySchema, ctx.query, 'query');
    const actor = actorOf(ctx);
    const customer = await loadMoneyCustomerOrThrow(deps.db, await loadMoneyScope(deps.db, actor), query.customerId);
    const { buffer, fileName } = await buildStatementWorkbook(deps.db, customer, query.month);
    sendWorkbook(ctx, buffer, fileName);
  });

  deps.router.get('/api/receivables/plans/export', deps.authenticate, async (ctx) => {
    const query = parseInput(planExportQuerySchema, ctx.query, 'query');
    const date = today();
    sendWorkbook(ctx, await buildPlanWorkbook(deps.db, actorOf(ctx), query, date), `应收账龄_${date}.xlsx`);
  });

  registerOpenApi(deps);
}

function actorOf(ctx: Context & { state: AppState }): Actor {
  const actor = ctx.state.actor;
  if (!actor) throw new AppError(401, 'unauthenticated', '请先登录');
  return actor;
}

function fileOf(ctx: Context): { buffer: Buffer; fileName: string } {
  const file = (ctx as Context & { file?: { buffer: Buffer; originalname: string } }).file;
  if (!file) throw badRequest('import_file_missing', '请选择要导入的文件（.xlsx 或 .csv，表单字段名 file）');
  return { buffer: file.buffer, fileName: file.originalname };
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

function sendWorkbook(ctx: Context, buffer: Buffer, fileName: string): void {
  ctx.type = xlsxType;
  ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  ctx.body = buffer;
}

function registerOpenApi(deps: ModuleDeps): void {
  const errorContent = { 'application/json': { schema: apiErrorSchema } };
  const fileBody = { content: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary' }) }) } } };
  const fileResponse = { description: 'Excel 文件', content: { [xlsxType]: { schema: z.string().meta({ format: 'binary' }) } } };
  const common = { security: [{ bearerAuth: [] }], tags: ['应收'] };
  const imports: [string, string, z.ZodType, z.ZodObject][] = [
    ['/api/receivables/receipts/import', '导入银行流水为回款（先 dryRun=true 预检；已登记的流水号不会重复导入）', receiptImportReportSchema, dryRunQuerySchema],
    ['/api/receivables/shipments/import', '导入发行系统的发货单（按单号分组，先预检）', documentImportReportSchema, dryRunQuerySchema],
    ['/api/receivables/returns/import', '导入发行系统的退货单（按单号分组，先预检）', documentImportReportSchema, dryRunQuerySchema],
    ['/api/receivables/consignment/settlements/import', '导入门店实销数量并结算（ISBN、销售数量两列）', settlementSchema, settlementImportQuerySchema],
  ];
  for (const [path, summary, schema, query] of imports) {
    deps.registry.registerPath({
      ...common,
      method: 'post',
      path,
      summary,
      request: { query, body: fileBody },
      responses: { 200: { description: '导入报告', content: { 'application/json': { schema } } }, 400: { description: '文件不正确', content: errorContent }, 413: { description: '文件过大', content: errorContent } },
    });
  }
  deps.registry.registerPath({ ...common, method: 'get', path: '/api/receivables/statement/export', summary: '导出客户某月对账单（Excel）', request: { query: statementExportQuerySchema }, responses: { 200: fileResponse } });
  deps.registry.registerPath({ ...common, method: 'get', path: '/api/receivables/plans/export', summary: '导出应收账龄明细（Excel，按数据范围）', request: { query: planExportQuerySchema }, responses: { 200: fileResponse } });
}
