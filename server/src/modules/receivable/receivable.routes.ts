import { idParamsSchema } from '@shared/api/org.js';
import {
  contractReceivableSummarySchema,
  customerReceivableSummarySchema,
  customerSearchQuerySchema,
  customerSearchSchema,
  overviewQuerySchema,
  planDetailSchema,
  planListQuerySchema,
  planListSchema,
  receivableOverviewSchema,
  receivableSettingsSchema,
} from '@shared/api/receivable.js';
import { defineRoute } from '../../http/define-route.js';
import { localDate } from '../../lib/clock.js';
import type { ModuleDeps } from '../module-deps.js';
import { getContractSummaryForActor } from './contract-summary.service.js';
import { registerDocumentRoutes } from './document.routes.js';
import { configureInvoiceLinks } from './invoice.service.js';
import { registerInvoiceRoutes } from './invoice.routes.js';
import { configurePlanLinks } from './payment-plan.service.js';
import { getCustomerReceivableSummary, getPlanDetail, getReceivableOverview, listPlansForActor } from './plan-query.service.js';
import { registerReceiptRoutes } from './receipt.routes.js';
import './receivable-exposure.js';
import { registerReceivableFileRoutes } from './receivable-file.routes.js';
import { getReceivableSettings, putReceivableSettings } from './receivable.settings.js';
import { loadMoneyScope } from './receivable-access.js';
import { searchMoneyCustomers } from './receivable-scope.js';
import { configureReturnLinks } from './return-order.service.js';
import { registerStatementPublicRoutes } from './statement-public.routes.js';
import { registerStatementRoutes } from './statement.routes.js';

/** Everything under /api/receivables, plus the public statement-share endpoints. */
export function registerReceivableRoutes(deps: ModuleDeps): void {
  configureInvoiceLinks(deps.config.PUBLIC_URL);
  configureReturnLinks(deps.config.PUBLIC_URL);
  configurePlanLinks(deps.config.PUBLIC_URL);
  const today = () => localDate(deps.clock.now(), deps.config.TIME_ZONE);
  // File routes first: '/receivables/plans/export' must win over '/receivables/plans/:id'.
  registerReceivableFileRoutes(deps);

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/overview',
    summary: '应收概览：账龄分布、按负责人汇总、待处理事项（按数据范围）',
    tag: '应收',
    query: overviewQuerySchema,
    response: receivableOverviewSchema,
    handler: ({ actor, query }) => getReceivableOverview(deps.db, actor, query.asOf ?? today()),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/plans',
    summary: '回款计划列表：逾期最久的在前，可按账龄段、客户、合同、负责人筛选',
    tag: '应收',
    query: planListQuerySchema,
    response: planListSchema,
    handler: ({ actor, query }) => listPlansForActor(deps.db, actor, query, today()),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/plans/:id',
    summary: '回款计划详情：核销记录和同合同的其他期次',
    tag: '应收',
    params: idParamsSchema,
    response: planDetailSchema,
    handler: ({ actor, params }) => getPlanDetail(deps.db, actor, params.id, today()),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/contracts/:id/summary',
    summary: '合同的回款、开票、发货与退货汇总',
    tag: '应收',
    params: idParamsSchema,
    response: contractReceivableSummarySchema,
    handler: ({ actor, params }) => getContractSummaryForActor(deps.db, actor, params.id, today()),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/customers/:id/summary',
    summary: '客户的应收、账龄、未核销回款和近一年退货率',
    tag: '应收',
    params: idParamsSchema,
    response: customerReceivableSummarySchema,
    handler: ({ actor, params }) => getCustomerReceivableSummary(deps.db, actor, params.id, today()),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/customers',
    summary: '按名称查找可登记回款、查看对账单的客户（按数据范围）',
    tag: '应收',
    query: customerSearchQuerySchema,
    response: customerSearchSchema,
    handler: async ({ actor, query }) => ({ items: await searchMoneyCustomers(deps.db, await loadMoneyScope(deps.db, actor), query.q, query.limit) }),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/settings',
    summary: '应收设置：逾期提醒天数与时间、退货审批比例、对账容差、分享链接有效期',
    tag: '应收',
    response: receivableSettingsSchema,
    handler: () => getReceivableSettings(deps.db),
  });

  defineRoute(deps, {
    method: 'put',
    path: '/receivables/settings',
    summary: '修改应收设置（财务或管理员）',
    tag: '应收',
    roles: ['finance', 'admin'],
    body: receivableSettingsSchema,
    response: receivableSettingsSchema,
    handler: async ({ actor, body }) => {
      await putReceivableSettings(deps.db, body, actor.id, deps.clock.now());
      return getReceivableSettings(deps.db);
    },
  });

  registerReceiptRoutes(deps);
  registerDocumentRoutes(deps);
  registerInvoiceRoutes(deps);
  registerStatementRoutes(deps);
  registerStatementPublicRoutes(deps);
}

