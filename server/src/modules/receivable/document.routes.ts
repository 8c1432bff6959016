import { z } from 'zod';
import { idParamsSchema } from '@shared/api/org.js';
import {
  consignmentAgreementSchema,
  consignmentStockSchema,
  createReturnOrderSchema,
  createSettlementSchema,
  createShipmentSchema,
  documentListQuerySchema,
  putConsignmentAgreementSchema,
  returnOrderDetailSchema,
  returnOrderListQuerySchema,
  returnOrderListSchema,
  settlementListSchema,
  settlementSchema,
  shipmentDetailSchema,
  shipmentListSchema,
} from '@shared/api/receivable-documents.js';
import { pageQuerySchema } from '@shared/api/receivable.js';
import { defineRoute } from '../../http/define-route.js';
import { localDate } from '../../lib/clock.js';
import type { ModuleDeps } from '../module-deps.js';
import { getConsignmentStock, getSettlementDetail, listSettlementsForActor, putConsignmentAgreement, settleConsignment } from './consignment.service.js';
import { getReturnOrderDetail, listReturnOrdersForActor } from './return-order.queries.js';
import { createReturnOrder } from './return-order.service.js';
import { createShipment, getShipmentDetail, listShipmentsForActor } from './shipment.service.js';

const customerParamsSchema = z.object({ customerId: z.coerce.number().int().positive('客户 id 必须是正整数') });

/** Shipments, returns and consignment settlement. */
export function registerDocumentRoutes(deps: ModuleDeps): void {
  const today = () => localDate(deps.clock.now(), deps.config.TIME_ZONE);

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/shipments',
    summary: '发货单列表（按数据范围）',
    tag: '发货退货',
    query: documentListQuerySchema,
    response: shipmentListSchema,
    handler: ({ actor, query }) => listShipmentsForActor(deps.db, actor, { ...query, fromDate: query.from, toDate: query.to }),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/shipments',
    summary: '登记发货单（寄销客户的发货记为寄销库存）',
    tag: '发货退货',
    idempotency: 'optional',
    body: createShipmentSchema,
    response: shipmentDetailSchema,
    handler: async ({ actor, body }) => getShipmentDetail(deps.db, actor, await createShipment(deps.db, actor, body, deps.clock.now())),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/shipments/:id',
    summary: '发货单详情',
    tag: '发货退货',
    params: idParamsSchema,
    response: shipmentDetailSchema,
    handler: ({ actor, params }) => getShipmentDetail(deps.db, actor, params.id),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/returns',
    summary: '退货单列表（按数据范围）',
    tag: '发货退货',
    query: returnOrderListQuerySchema,
    response: returnOrderListSchema,
    handler: ({ actor, query }) => listReturnOrdersForActor(deps.db, actor, query),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/returns',
    summary: '登记退货单（超过设定退货比例的走退货审批）',
    tag: '发货退货',
    idempotency: 'optional',
    body: createReturnOrderSchema,
    response: returnOrderDetailSchema,
    handler: async ({ actor, body }) => {
      const created = await createReturnOrder(deps.db, actor, body, deps.clock.now());
      return getReturnOrderDetail(deps.db, actor, created.id);
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/returns/:id',
    summary: '退货单详情与累计退货比例',
    tag: '发货退货',
    params: idParamsSchema,
    response: returnOrderDetailSchema,
    handler: ({ actor, params }) => getReturnOrderDetail(deps.db, actor, params.id),
  });

  defineRoute(deps, {
    method: 'put',
    path: '/receivables/consignment/:customerId/agreement',
    summary: '设置客户的实销实结条款（退货期限、提前提醒、付款天数）',
    tag: '实销实结',
    params: customerParamsSchema,
    body: putConsignmentAgreementSchema,
    response: consignmentAgreementSchema,
    handler: ({ actor, params, body }) => putConsignmentAgreement(deps.db, actor, params.customerId, body, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/consignment/:customerId/stock',
    summary: '寄销客户的未售库存、库龄和退货截止日',
    tag: '实销实结',
    params: customerParamsSchema,
    response: consignmentStockSchema,
    handler: ({ actor, params }) => getConsignmentStock(deps.db, actor, params.customerId, today()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/consignment/settlements',
    summary: '实销结算：按门店报来的销售数量结算实洋（dryRun 时只预览）',
    tag: '实销实结',
    idempotency: 'optional',
    body: createSettlementSchema,
    response: settlementSchema,
    status: 200,
    handler: ({ actor, body }) => settleConsignment(deps.db, actor, body, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/consignment/settlements',
    summary: '实销结算单列表',
    tag: '实销实结',
    query: pageQuerySchema.extend({ customerId: z.coerce.number().int().positive().optional() }),
    response: settlementListSchema,
    handler: ({ actor, query }) => listSettlementsForActor(deps.db, actor, query),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/consignment/settlements/:id',
    summary: '实销结算单详情',
    tag: '实销实结',
    params: idParamsSchema,
    response: settlementSchema,
    handler: ({ actor, params }) => getSettlementDetail(deps.db, actor, params.id),
  });
}
