import type { Router, RouterMiddleware } from '@koa/router';
import type { Context } from 'koa';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Role } from '@shared/roles.js';
import { apiErrorSchema } from '@shared/api/error.js';
import type { Actor } from '../access/actor.js';
import { hasRole } from '../access/actor.js';
import { AppError, forbidden } from './app-error.js';
import type { AppState } from './context.js';
import { runIdempotent } from './idempotency.js';
import { parseInput } from './validate.js';
import type { Db } from '../db/database.js';

type AnyObjectSchema = z.ZodObject<z.ZodRawShape>;

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  actor: Actor;
  ctx: Context & { state: AppState };
}

export interface RouteSpec<P extends AnyObjectSchema, Q extends AnyObjectSchema, B extends z.ZodType, R extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa path below /api, e.g. '/customers/:id'. */
  path: string;
  /** Chinese summary shown in the OpenAPI document. */
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  status?: number;
  /** The caller needs one of these roles; scope checks still happen in the service. */
  roles?: Role[];
  /** Writes a phone may repeat: honour the Idempotency-Key header (required when set to 'required'). */
  idempotency?: 'optional' | 'required';
  handler: (input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<z.infer<R>>;
}

export interface RouteDeps {
  router: Router<AppState>;
  registry: OpenAPIRegistry;
  db: Db;
  /** Middleware that authenticates the request and sets ctx.state.actor. */
  authenticate: RouterMiddleware<AppState>;
}

const emptyObject = z.object({});

/**
 * Registers one authenticated JSON endpoint: the Koa handler parses params, query and body with the
 * shared zod schemas, checks roles, applies idempotency, and the same schemas describe it in OpenAPI.
 */
export function defineRoute<P extends AnyObjectSchema, Q extends AnyObjectSchema, B extends z.ZodType, R extends z.ZodType>(
  deps: RouteDeps,
  spec: RouteSpec<P, Q, B, R>,
): void {
  registerOpenApi(deps.registry, spec);

  deps.router[spec.method](`/api${spec.path}`, deps.authenticate, async (ctx) => {
    const actor = ctx.state.actor;
    if (!actor) throw new AppError(401, 'unauthenticated', '请先登录');
    if (spec.roles && !hasRole(actor, ...spec.roles)) throw forbidden('执行此操作');

    const params = parseInput(spec.params ?? emptyObject, ctx.params, 'params') as z.infer<P>;
    const query = parseInput(spec.query ?? emptyObject, ctx.query, 'query') as z.infer<Q>;
    const rawBody = (ctx.request as { body?: unknown }).body;
    const body = (spec.body ? parseInput(spec.body, rawBody ?? {}) : undefined) as z.infer<B>;
    const status = spec.status ?? (spec.method === 'post' ? 201 : 200);

    const execute = async () => ({ status, body: await spec.handler({ params, query, body, actor, ctx }) });

    const key = ctx.get('idempotency-key');
    if (spec.idempotency === 'required' && !key) {
      throw new AppError(400, 'idempotency_key_required', '缺少 Idempotency-Key 请求头：请为每次提交生成一个唯一编号，重试时沿用同一个');
    }
    const response =
      spec.idempotency && key
        ? await runIdempotent(deps.db, { userId: actor.id, key, route: `${spec.method} ${ctx.path}`, requestBody: rawBody ?? null }, execute)
        : await execute();

    ctx.status = response.status;
    ctx.body = response.body ?? null;
  });
}

function registerOpenApi(registry: OpenAPIRegistry, spec: RouteSpec<AnyObjectSchema, AnyObjectSchema, z.ZodType, z.ZodType>): void {
  const errorContent = { 'application/json': { schema: apiErrorSchema } };
  registry.registerPath({
    method: spec.method,
    path: `/api${spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`,
    summary: spec.summary,
    tags: [spec.tag],
    security: [{ bearerAuth: [] }],
    request: {
      params: spec.params,
      query: spec.query,
      body: spec.body ? { content: { 'application/json': { schema: spec.body } } } : undefined,
      headers: spec.idempotency ? z.object({ 'idempotency-key': z.string().optional() }) : undefined,
    },
    responses: {
      [spec.status ?? (spec.method === 'post' ? 201 : 200)]: {
        description: '成功',
        content: { 'application/json': { schema: spec.response } },
      },
      400: { description: '参数错误', content: errorContent },
      401: { description: '未登录或会话已过期', content: errorContent },
      404: { description: '记录不存在或无权查看', content: errorContent },
      409: { description: '状态冲突或重复提交', content: errorContent },
    },
  });
}
