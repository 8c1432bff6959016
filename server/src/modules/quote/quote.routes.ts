import { z } from 'zod';
import { idParamsSchema } from '@shared/api/org.js';
import { lineDefaultsRequestSchema, lineDefaultsSchema, quoteCreateSchema, quoteDetailSchema, quoteListQuerySchema, quotePageSchema, quoteUpdateSchema } from '@shared/api/quote.js';
import { defineRoute } from '../../http/define-route.js';
import { localDate } from '../../lib/clock.js';
import { getVisibleCustomerOrThrow } from '../customer/customer.service.js';
import type { ModuleDeps } from '../module-deps.js';
import { submitSpecialDiscountApproval } from './quote.approval.js';
import { registerQuoteFileRoutes } from './quote.file-routes.js';
import './quote.hooks.js';
import { describeLineDefaults } from './quote.lines.js';
import { getQuoteDetail, listQuotes, quoteTimeZone } from './quote.service.js';
import { createQuote, reviseQuote, sendQuote, updateQuote } from './quote.workflow.js';

export function registerQuoteRoutes(deps: ModuleDeps): void {
  const now = () => deps.clock.now();
  const detail = (actor: Parameters<typeof getQuoteDetail>[1], id: number) => getQuoteDetail(deps.db, actor, id, now());

  defineRoute(deps, {
    method: 'get',
    path: '/quotes',
    summary: '报价单列表（按数据范围，默认只列最新版本）',
    tag: '报价',
    query: quoteListQuerySchema,
    response: quotePageSchema,
    handler: ({ query, actor }) => listQuotes(deps.db, actor, query, now()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/quotes/line-defaults',
    summary: '加行前取图书定价和该客户的默认折扣、协议底价',
    tag: '报价',
    status: 200,
    body: lineDefaultsRequestSchema,
    response: lineDefaultsSchema,
    handler: async ({ body, actor }) => {
      const customer = await getVisibleCustomerOrThrow(deps.db, actor, body.customerId);
      return { items: await describeLineDefaults(deps.db, customer.id, body.bookIds, localDate(now(), quoteTimeZone)) };
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/quotes/:id',
    summary: '报价单详情：明细、各版本、可执行的操作',
    tag: '报价',
    params: idParamsSchema,
    response: quoteDetailSchema,
    handler: ({ params, actor }) => detail(actor, params.id),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/quotes',
    summary: '新建报价单（服务器按共享规则重算码洋、实洋并保存）',
    tag: '报价',
    idempotency: 'optional',
    body: quoteCreateSchema,
    response: quoteDetailSchema,
    handler: async ({ body, actor }) => detail(actor, await deps.db.transaction().execute((trx) => createQuote(trx, actor, body, now()))),
  });

  defineRoute(deps, {
    method: 'put',
    path: '/quotes/:id',
    summary: '修改报价单（草稿；特价已批准的报价内容变化后需重新审批）',
    tag: '报价',
    idempotency: 'optional',
    params: idParamsSchema,
    body: quoteUpdateSchema,
    response: quoteDetailSchema,
    handler: async ({ params, body, actor }) => {
      await deps.db.transaction().execute((trx) => updateQuote(trx, actor, params.id, body, now()));
      return detail(actor, params.id);
    },
  });

  const action = (path: string, summary: string, run: (trx: Parameters<typeof sendQuote>[0], actor: Parameters<typeof sendQuote>[1], id: number) => Promise<unknown>) =>
    defineRoute(deps, {
      method: 'post',
      path,
      summary,
      tag: '报价',
      idempotency: 'optional',
      status: 200,
      params: idParamsSchema,
      body: z.object({}).optional(),
      response: quoteDetailSchema,
      handler: async ({ params, actor }) => {
        const result = await deps.db.transaction().execute((trx) => run(trx, actor, params.id));
        return detail(actor, typeof result === 'number' ? result : params.id);
      },
    });

  action('/quotes/:id/submit-approval', '提交特价审批（有低于协议底价的行时）', (trx, actor, id) => submitSpecialDiscountApproval(trx, actor, id, now()));
  action('/quotes/:id/send', '发送报价单（有特殊折扣时须先审批通过）', (trx, actor, id) => sendQuote(trx, actor, id, now()));
  action('/quotes/:id/revise', '修订已发送的报价单：生成新版本，旧版本保留只读', (trx, actor, id) => reviseQuote(trx, actor, id, now()));

  registerQuoteFileRoutes(deps);
}
