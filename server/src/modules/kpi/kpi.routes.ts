import { z } from 'zod';
import { dashboardSchema, kpiQuerySchema, kpiSummarySchema, kpiTableQuerySchema, kpiTableSchema } from '@shared/api/kpi.js';
import { badRequest } from '../../http/app-error.js';
import { defineRoute } from '../../http/define-route.js';
import { localDate } from '../../lib/clock.js';
import type { ModuleDeps } from '../module-deps.js';
import { buildKpiWorkbook } from './kpi.export.js';
import { getDashboard, getKpiSummary, type KpiMoment } from './kpi.service.js';
import { getKpiTable } from './kpi.table.js';

const tag = '业绩看板';
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function momentOf(deps: ModuleDeps): KpiMoment {
  const now = deps.clock.now();
  return { now, today: localDate(now, deps.config.TIME_ZONE), timeZone: deps.config.TIME_ZONE };
}

export function registerKpiRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/dashboard',
    summary: '数据看板：指标、漏斗、近 12 个月回款、账龄、排行榜（按本人数据范围计算）',
    tag,
    query: kpiQuerySchema,
    response: dashboardSchema,
    handler: ({ query, actor }) => getDashboard(deps.db, actor, query, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/kpis',
    summary: '某期间某人、某团队或全社的业绩指标及目标达成',
    tag,
    query: kpiQuerySchema,
    response: kpiSummarySchema,
    handler: ({ query, actor }) => getKpiSummary(deps.db, actor, query, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/kpis/table',
    summary: '业绩指标表：数据范围内每位业务员或每个团队一行',
    tag,
    query: kpiTableQuerySchema,
    response: kpiTableSchema,
    handler: ({ query, actor }) => getKpiTable(deps.db, actor, query, momentOf(deps)),
  });

  deps.router.get('/api/kpis/table/export', deps.authenticate, async (ctx) => {
    const parsed = kpiTableQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw badRequest('validation_failed', `查询参数不正确：${parsed.error.issues[0]?.message ?? ''}`);
    const table = await getKpiTable(deps.db, ctx.state.actor!, parsed.data, momentOf(deps));
    const content = await buildKpiWorkbook(table);
    ctx.type = xlsxType;
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`业绩指标-${table.period.from}-${table.period.to}.xlsx`)}`);
    ctx.body = content;
  });
  deps.registry.registerPath({
    method: 'get',
    path: '/api/kpis/table/export',
    summary: '导出业绩指标表（Excel，与 /kpis/table 同一数据范围）',
    tags: [tag],
    security: [{ bearerAuth: [] }],
    request: { query: kpiTableQuerySchema },
    responses: { 200: { description: 'Excel 文件', content: { [xlsxType]: { schema: z.string().meta({ format: 'binary' }) } } } },
  });
}
