import type { Context } from 'koa';
import { idParamsSchema } from '@shared/api/org.js';
import {
  checkInRequestSchema,
  checkInTargetQuerySchema,
  checkInTargetSchema,
  followUpListSchema,
  saveVisitRequestSchema,
  shelfLookupQuerySchema,
  shelfLookupSchema,
  visitListQuerySchema,
  visitListResponseSchema,
  visitSchema,
  visitSettingsSchema,
} from '@shared/api/visit.js';
import { defineRoute } from '../../http/define-route.js';
import { findBookByIsbn } from '../book/book.service.js';
import type { ModuleDeps } from '../module-deps.js';
import { getCheckInTarget, listDueFollowUps } from './visit-query.service.js';
import { getVisitSettings, updateVisitSettings } from './visit-settings.service.js';
import { checkIn, completeFollowUp, getVisit, listVisits, saveVisit, type VisitWriteContext } from './visit.service.js';
import { registerVisitPhotoRoutes } from './visit-photo.routes.js';
import { registerVisitPlanRoutes } from './visit-plan.routes.js';

const TAG = '拜访';

/** Check-in, the visit record, follow-ups; photos, plans and the team view register from their own files. */
export function registerVisitRoutes(deps: ModuleDeps): void {
  const writeContext = (ctx: Context): VisitWriteContext => ({
    db: deps.db,
    now: deps.clock.now(),
    timeZone: deps.config.TIME_ZONE,
    // A header for API clients; the `clientTime` query parameter for the H5, whose client sets no custom
    // headers. Neither is part of the idempotency hash, so each retry may carry its own reading.
    clientTimeAtSend: ctx.get('x-client-time') || (typeof ctx.query.clientTime === 'string' ? ctx.query.clientTime : null),
  });

  // Fixed paths first: '/visits/:id' would otherwise claim them.
  defineRoute(deps, {
    method: 'get',
    path: '/visits/check-in-target',
    summary: '签到前获取客户位置、签到半径、今日计划和联系人',
    tag: TAG,
    query: checkInTargetQuerySchema,
    response: checkInTargetSchema,
    handler: ({ query, actor }) => getCheckInTarget(deps.db, actor, query.customerId, deps.clock.now(), deps.config.TIME_ZONE),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/visits/follow-ups',
    summary: '我今天及以前到期、尚未完成的拜访跟进',
    tag: TAG,
    response: followUpListSchema,
    handler: async ({ actor }) => ({ items: await listDueFollowUps(deps.db, actor, deps.clock.now(), deps.config.TIME_ZONE) }),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/visits/shelf-lookup',
    summary: '铺货检查：按扫描或输入的 ISBN 查找图书',
    tag: TAG,
    query: shelfLookupQuerySchema,
    response: shelfLookupSchema,
    handler: async ({ query }) => {
      const book = await findBookByIsbn(deps.db, query.isbn);
      return { isbn: query.isbn, bookId: book?.id ?? null, title: book?.title ?? null };
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/visits/settings',
    summary: '拜访设置：签到半径和重点品种',
    tag: TAG,
    response: visitSettingsSchema,
    handler: () => getVisitSettings(deps.db),
  });

  defineRoute(deps, {
    method: 'put',
    path: '/visits/settings',
    summary: '修改拜访设置（管理员、总经理）',
    tag: TAG,
    body: visitSettingsSchema,
    response: visitSettingsSchema,
    handler: ({ body, actor }) => updateVisitSettings(deps.db, actor, body, deps.clock.now()),
  });

  registerVisitPlanRoutes(deps);

  defineRoute(deps, {
    method: 'post',
    path: '/visits',
    summary: '到店签到（开始一次拜访）。需 Idempotency-Key；可带 X-Client-Time 头补传离线签到',
    tag: TAG,
    body: checkInRequestSchema,
    response: visitSchema,
    idempotency: 'required',
    handler: ({ body, actor, ctx }) => checkIn(writeContext(ctx), actor, body),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/visits',
    summary: '拜访列表（按数据范围，最新在前）',
    tag: TAG,
    query: visitListQuerySchema,
    response: visitListResponseSchema,
    handler: ({ query, actor }) => listVisits(deps.db, actor, query),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/visits/:id',
    summary: '拜访详情：签到、联系人、记录、照片和铺货检查',
    tag: TAG,
    params: idParamsSchema,
    response: visitSchema,
    handler: ({ params, actor }) => getVisit(deps.db, actor, params.id),
  });

  defineRoute(deps, {
    method: 'put',
    path: '/visits/:id',
    summary: '保存拜访记录（checkOut 为 true 时签退）。需 Idempotency-Key',
    tag: TAG,
    params: idParamsSchema,
    body: saveVisitRequestSchema,
    response: visitSchema,
    idempotency: 'required',
    handler: ({ params, body, actor, ctx }) => saveVisit(writeContext(ctx), actor, params.id, body),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/visits/:id/follow-up/complete',
    summary: '完成拜访的跟进事项',
    tag: TAG,
    params: idParamsSchema,
    status: 200,
    response: visitSchema,
    idempotency: 'optional',
    handler: ({ params, actor, ctx }) => completeFollowUp(writeContext(ctx), actor, params.id),
  });

  registerVisitPhotoRoutes(deps);
}
