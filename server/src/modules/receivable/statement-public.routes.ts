import { z } from 'zod';
import { publicConfirmSchema, publicDisputeSchema, publicStatementSchema, statementLinesQuerySchema } from '@shared/api/receivable-statement.js';
import { apiErrorSchema } from '@shared/api/error.js';
import { parseInput } from '../../http/validate.js';
import type { ModuleDeps } from '../module-deps.js';
import { confirmPublicStatement, disputePublicStatement, getPublicStatement } from './statement-share.service.js';

const tokenParamsSchema = z.object({ token: z.string().min(20).max(100) });

/**
 * Registers the statement share link's endpoints, for a customer's clerk who has no account: the random token in
 * the path is the only credential, so these routes skip authentication and expose nothing but that
 * one statement. They are registered on the router directly because defineRoute requires a session.
 */
export function registerStatementPublicRoutes(deps: ModuleDeps): void {
  deps.router.get('/api/public/statement-shares/:token', async (ctx) => {
    const params = parseInput(tokenParamsSchema, ctx.params, 'params');
    const query = parseInput(statementLinesQuerySchema, ctx.query, 'query');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await getPublicStatement(deps.db, params.token, query, deps.clock.now());
  });

  deps.router.post('/api/public/statement-shares/:token/confirm', async (ctx) => {
    const params = parseInput(tokenParamsSchema, ctx.params, 'params');
    const body = parseInput(publicConfirmSchema, (ctx.request as { body?: unknown }).body ?? {});
    await confirmPublicStatement(deps.db, params.token, body.clerkName, deps.clock.now());
    ctx.body = { ok: true };
  });

  deps.router.post('/api/public/statement-shares/:token/disputes', async (ctx) => {
    const params = parseInput(tokenParamsSchema, ctx.params, 'params');
    const body = parseInput(publicDisputeSchema, (ctx.request as { body?: unknown }).body ?? {});
    const id = await disputePublicStatement(deps.db, params.token, body, { now: deps.clock.now(), publicUrl: deps.config.PUBLIC_URL });
    ctx.status = 201;
    ctx.body = { id };
  });

  const errorContent = { 'application/json': { schema: apiErrorSchema } };
  const path = '/api/public/statement-shares/{token}';
  deps.registry.registerPath({
    method: 'get',
    path,
    summary: '客户通过分享链接查看对账单（无需登录）',
    tags: ['对账单'],
    request: { params: tokenParamsSchema, query: statementLinesQuerySchema },
    responses: { 200: { description: '对账单', content: { 'application/json': { schema: publicStatementSchema } } }, 404: { description: '链接无效', content: errorContent }, 410: { description: '链接已过期或已撤销', content: errorContent } },
  });
  deps.registry.registerPath({
    method: 'post',
    path: `${path}/confirm`,
    summary: '客户确认对账单无误（无需登录）',
    tags: ['对账单'],
    request: { params: tokenParamsSchema, body: { content: { 'application/json': { schema: publicConfirmSchema } } } },
    responses: { 200: { description: '已确认' }, 409: { description: '已确认或仍有未处理异议', content: errorContent } },
  });
  deps.registry.registerPath({
    method: 'post',
    path: `${path}/disputes`,
    summary: '客户对某行明细或整张对账单提出异议（无需登录）',
    tags: ['对账单'],
    request: { params: tokenParamsSchema, body: { content: { 'application/json': { schema: publicDisputeSchema } } } },
    responses: { 201: { description: '已提交' }, 409: { description: '对账单已确认', content: errorContent } },
  });
}
