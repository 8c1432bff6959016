import { z } from 'zod';
import { idParamsSchema } from '@shared/api/org.js';
import { apiErrorSchema } from '@shared/api/error.js';
import { AppError, badRequest } from '../../http/app-error.js';
import { localDate } from '../../lib/clock.js';
import type { ModuleDeps } from '../module-deps.js';
import { buildQuoteWorkbook } from './quote.export.js';
import { findPublisherName } from './quote.repository.js';
import { getQuoteDetail, quoteTimeZone } from './quote.service.js';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Registers the Excel download of a quote, outside defineRoute because it returns a file. */
export function registerQuoteFileRoutes(deps: ModuleDeps): void {
  deps.router.get('/api/quotes/:id/export', deps.authenticate, async (ctx) => {
    const actor = ctx.state.actor;
    if (!actor) throw new AppError(401, 'unauthenticated', '请先登录');
    const params = idParamsSchema.safeParse(ctx.params);
    if (!params.success) throw badRequest('validation_failed', '报价单编号不正确');

    const now = deps.clock.now();
    const quote = await getQuoteDetail(deps.db, actor, params.data.id, now);
    const buffer = await buildQuoteWorkbook(quote, { publisherName: await findPublisherName(deps.db, deps.config.PLATFORM), issuedOn: localDate(now, quoteTimeZone) });

    const fileName = `报价单_${quote.customerName}_${quote.number}${quote.version > 1 ? `_v${quote.version}` : ''}.xlsx`;
    ctx.type = xlsxType;
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    ctx.body = buffer;
  });

  deps.registry.registerPath({
    method: 'get',
    path: '/api/quotes/{id}/export',
    summary: '导出报价单 Excel（书店采购可直接使用的格式）',
    tags: ['报价'],
    security: [{ bearerAuth: [] }],
    request: { params: idParamsSchema },
    responses: {
      200: { description: 'Excel 文件', content: { [xlsxType]: { schema: z.string().meta({ format: 'binary' }) } } },
      404: { description: '报价单不存在或无权查看', content: { 'application/json': { schema: apiErrorSchema } } },
    },
  });
}
