import { z } from 'zod';
import {
  projectChildParamsSchema,
  projectIdParamsSchema,
  shipResultSchema,
  subscriptionOrderListSchema,
  subscriptionOrderSchema,
  subscriptionOrdersCreateSchema,
  subscriptionOrderUpdateSchema,
  subscriptionReturnSchema,
  subscriptionSchema,
  subscriptionShipSchema,
  subscriptionUpdateSchema,
} from '@shared/api/project.js';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { momentOf } from './project.context.js';
import {
  addSubscriptionOrders,
  changeSubscription,
  changeSubscriptionOrderQuantity,
  getSubscription,
  listSubscriptionOrders,
  recordSubscriptionReturn,
  removeSubscriptionOrder,
  shipSubscriptionOrders,
} from './subscription.service.js';

const tag = '项目·教材征订';

export function registerSubscriptionRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/projects/:id/subscription',
    summary: '教材征订概况：学校、学期、截止日期、品种和册数',
    tag,
    params: projectIdParamsSchema,
    response: subscriptionSchema,
    handler: ({ params, actor }) => getSubscription(deps.db, actor, params.id, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'patch',
    path: '/projects/:id/subscription',
    summary: '登记征订目录发送日期，或调整截止日期、开学日期',
    tag,
    params: projectIdParamsSchema,
    body: subscriptionUpdateSchema,
    response: subscriptionSchema,
    handler: ({ params, body, actor }) => changeSubscription(deps.db, actor, params.id, body, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/projects/:id/subscription/orders',
    summary: '征订订单（按课程和班级）',
    tag,
    params: projectIdParamsSchema,
    response: subscriptionOrderListSchema,
    handler: async ({ params, actor }) => ({ items: await listSubscriptionOrders(deps.db, actor, params.id) }),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/projects/:id/subscription/orders',
    summary: '添加征订订单（同课程、班级、ISBN 的订数累加）',
    tag,
    params: projectIdParamsSchema,
    body: subscriptionOrdersCreateSchema,
    response: subscriptionOrderListSchema,
    idempotency: 'optional',
    handler: async ({ params, body, actor }) => ({ items: await addSubscriptionOrders(deps.db, actor, params.id, body, momentOf(deps)) }),
  });

  defineRoute(deps, {
    method: 'patch',
    path: '/projects/:id/subscription/orders/:childId',
    summary: '修改订数',
    tag,
    params: projectChildParamsSchema,
    body: subscriptionOrderUpdateSchema,
    response: subscriptionOrderSchema,
    handler: ({ params, body, actor }) => changeSubscriptionOrderQuantity(deps.db, actor, params.id, params.childId, body.quantity, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'delete',
    path: '/projects/:id/subscription/orders/:childId',
    summary: '删除未发货的订单',
    tag,
    params: projectChildParamsSchema,
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ params, actor }) => {
      await removeSubscriptionOrder(deps.db, actor, params.id, params.childId, momentOf(deps));
      return { ok: true as const };
    },
  });

  defineRoute(deps, {
    method: 'post',
    path: '/projects/:id/subscription/shipments',
    summary: '订单转发货（所选订单或全部未发货订单按订数发货）',
    tag,
    params: projectIdParamsSchema,
    body: subscriptionShipSchema,
    response: shipResultSchema,
    status: 200,
    idempotency: 'optional',
    handler: ({ params, body, actor }) => shipSubscriptionOrders(deps.db, actor, params.id, body, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/projects/:id/subscription/orders/:childId/returns',
    summary: '登记开学后退货',
    tag,
    params: projectChildParamsSchema,
    body: subscriptionReturnSchema,
    response: subscriptionOrderSchema,
    status: 200,
    idempotency: 'optional',
    handler: ({ params, body, actor }) => recordSubscriptionReturn(deps.db, actor, params.id, params.childId, body, momentOf(deps)),
  });
}
