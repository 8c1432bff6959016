import { bookListPageSchema, bookListQuerySchema, deliveryBatchSchema, deliveryCreateSchema, deliveryListSchema, projectChildParamsSchema, projectIdParamsSchema } from '@shared/api/project.js';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { getBookList, getDelivery, listDeliveries, recordDelivery } from './library-supply.service.js';
import { momentOf } from './project.context.js';

const tag = '项目·馆配';

/** JSON endpoints of 馆配 book lists and deliveries; the Excel uploads and downloads are in project-file.routes. */
export function registerLibrarySupplyRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/projects/:id/book-list',
    summary: '馆配书目（可筛选馆藏已有、社内无此书、待配送）及到货率',
    tag,
    params: projectIdParamsSchema,
    query: bookListQuerySchema,
    response: bookListPageSchema,
    handler: ({ params, query, actor }) => getBookList(deps.db, actor, params.id, query),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/projects/:id/deliveries',
    summary: '配送批次及到货率',
    tag,
    params: projectIdParamsSchema,
    response: deliveryListSchema,
    handler: ({ params, actor }) => listDeliveries(deps.db, actor, params.id),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/projects/:id/deliveries',
    summary: '登记配送批次（按书目行或 ISBN，不超过待配送数量）',
    tag,
    params: projectIdParamsSchema,
    body: deliveryCreateSchema,
    response: deliveryBatchSchema,
    idempotency: 'optional',
    handler: ({ params, body, actor }) => recordDelivery(deps.db, actor, params.id, body, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/projects/:id/deliveries/:childId',
    summary: '配送批次明细',
    tag,
    params: projectChildParamsSchema,
    response: deliveryBatchSchema,
    handler: ({ params, actor }) => getDelivery(deps.db, actor, params.id, params.childId),
  });
}
