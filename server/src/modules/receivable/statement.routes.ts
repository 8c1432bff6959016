import { z } from 'zod';
import { idParamsSchema } from '@shared/api/org.js';
import {
  createShareSchema,
  disputeListQuerySchema,
  disputeListSchema,
  resolveDisputeSchema,
  sendStatementSchema,
  settleDisputeResultSchema,
  shareLinkSchema,
  statementDetailSchema,
  statementDisputeSchema,
  statementLinesQuerySchema,
  statementListQuerySchema,
  statementListSchema,
  statementQuerySchema,
} from '@shared/api/receivable-statement.js';
import { defineRoute } from '../../http/define-route.js';
import { localDate } from '../../lib/clock.js';
import type { ModuleDeps } from '../module-deps.js';
import { listDisputesForActor, resolveDispute, settleDispute } from './statement-dispute.service.js';
import { createShareLink, revokeShareLink } from './statement-share.service.js';
import { getStatementByIdForActor, getStatementForActor, listStatementsForActor, sendStatement } from './statement.service.js';

const shareParamsSchema = z.object({ id: z.coerce.number().int().positive(), shareId: z.coerce.number().int().positive() });

/** Monthly statements, their share links and the disputes customers raise on them. */
export function registerStatementRoutes(deps: ModuleDeps): void {
  const context = () => {
    const now = deps.clock.now();
    return { now, today: localDate(now, deps.config.TIME_ZONE), publicUrl: deps.config.PUBLIC_URL };
  };

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/statement',
    summary: '客户某月对账单：已发送的为冻结版本，否则按账务实时生成草稿；明细分页',
    tag: '对账单',
    query: statementQuerySchema,
    response: statementDetailSchema,
    handler: ({ actor, query }) => getStatementForActor(deps.db, actor, query),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/statements',
    summary: '已发送的对账单列表（按数据范围）',
    tag: '对账单',
    query: statementListQuerySchema,
    response: statementListSchema,
    handler: ({ actor, query }) => listStatementsForActor(deps.db, actor, query),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/statements',
    summary: '发送（冻结）对账单；之后的更正计入下月',
    tag: '对账单',
    roles: ['finance', 'admin'],
    idempotency: 'optional',
    body: sendStatementSchema,
    response: statementDetailSchema,
    handler: async ({ actor, body }) => {
      const { statementId } = await sendStatement(deps.db, actor, body, context());
      return getStatementByIdForActor(deps.db, actor, statementId, { limit: 100, offset: 0 });
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/statements/:id',
    summary: '已发送对账单详情（明细分页）',
    tag: '对账单',
    params: idParamsSchema,
    query: statementLinesQuerySchema,
    response: statementDetailSchema,
    handler: ({ actor, params, query }) => getStatementByIdForActor(deps.db, actor, params.id, query),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/statements/:id/shares',
    summary: '生成给客户财务的只读对账链接（有效期可设）',
    tag: '对账单',
    params: idParamsSchema,
    body: createShareSchema,
    response: shareLinkSchema,
    handler: ({ actor, params, body }) => createShareLink(deps.db, actor, params.id, body, context()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/statements/:id/shares/:shareId/revoke',
    summary: '撤销对账链接',
    tag: '对账单',
    params: shareParamsSchema,
    response: z.object({ ok: z.literal(true) }),
    status: 200,
    handler: async ({ actor, params }) => {
      await revokeShareLink(deps.db, actor, params.id, params.shareId, deps.clock.now());
      return { ok: true as const };
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/disputes',
    summary: '对账异议列表：业务员看自己客户的，财务看全部',
    tag: '对账单',
    query: disputeListQuerySchema,
    response: disputeListSchema,
    handler: ({ actor, query }) => listDisputesForActor(deps.db, actor, query),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/disputes/:id/resolve',
    summary: '处理对账异议（写明结果）',
    tag: '对账单',
    params: idParamsSchema,
    body: resolveDisputeSchema,
    response: statementDisputeSchema,
    status: 200,
    handler: ({ actor, params, body }) => resolveDispute(deps.db, actor, params.id, body.note, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/disputes/:id/settle',
    summary: '一键调平容差内的对账差异（财务；记入下一张未发送的对账单）',
    tag: '对账单',
    roles: ['finance', 'admin'],
    params: idParamsSchema,
    response: settleDisputeResultSchema,
    status: 200,
    handler: ({ actor, params }) => settleDispute(deps.db, actor, params.id, context()),
  });
}
