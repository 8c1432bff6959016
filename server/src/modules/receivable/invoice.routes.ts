import { z } from 'zod';
import { idParamsSchema } from '@shared/api/org.js';
import {
  createInvoiceRequestSchema,
  invoicePrefillSchema,
  invoiceRequestDetailSchema,
  invoiceRequestListQuerySchema,
  invoiceRequestListSchema,
  recordInvoiceSchema,
  recordRedInvoiceSchema,
} from '@shared/api/receivable-invoice.js';
import { defineRoute } from '../../http/define-route.js';
import { localDate } from '../../lib/clock.js';
import type { ModuleDeps } from '../module-deps.js';
import { createInvoiceRequest, getInvoicePrefill } from './invoice-request.service.js';
import { getInvoiceRequestDetail, listInvoiceRequestsForActor, recordInvoice, recordRedInvoice } from './invoice.service.js';

/** Invoice requests (开票申请) and the fapiao recorded against them. */
export function registerInvoiceRoutes(deps: ModuleDeps): void {
  const context = () => {
    const now = deps.clock.now();
    return { now, today: localDate(now, deps.config.TIME_ZONE) };
  };

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/invoice-requests/prefill',
    summary: '开票申请预填：购买方信息和可开票金额',
    tag: '开票',
    query: z.object({ contractId: z.coerce.number().int().positive('请选择合同') }),
    response: invoicePrefillSchema,
    handler: ({ actor, query }) => getInvoicePrefill(deps.db, actor, query.contractId, context().today),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/invoice-requests',
    summary: '开票申请列表（按数据范围）',
    tag: '开票',
    query: invoiceRequestListQuerySchema,
    response: invoiceRequestListSchema,
    handler: ({ actor, query }) => listInvoiceRequestsForActor(deps.db, actor, query),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/invoice-requests',
    summary: '提交开票申请（走开票申请审批）',
    tag: '开票',
    idempotency: 'optional',
    body: createInvoiceRequestSchema,
    response: invoiceRequestDetailSchema,
    handler: async ({ actor, body }) => getInvoiceRequestDetail(deps.db, actor, await createInvoiceRequest(deps.db, actor, body, context())),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/invoice-requests/:id',
    summary: '开票申请详情与已开发票',
    tag: '开票',
    params: idParamsSchema,
    response: invoiceRequestDetailSchema,
    handler: ({ actor, params }) => getInvoiceRequestDetail(deps.db, actor, params.id),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/invoice-requests/:id/invoices',
    summary: '登记已开具的蓝字发票（财务）',
    tag: '开票',
    roles: ['finance', 'admin'],
    idempotency: 'optional',
    params: idParamsSchema,
    body: recordInvoiceSchema,
    response: invoiceRequestDetailSchema,
    handler: async ({ actor, params, body }) => {
      await recordInvoice(deps.db, actor, params.id, body, deps.clock.now());
      return getInvoiceRequestDetail(deps.db, actor, params.id);
    },
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/invoices/:id/red-letter',
    summary: '登记红字发票，冲销一张蓝字发票（财务）',
    tag: '开票',
    roles: ['finance', 'admin'],
    idempotency: 'optional',
    params: idParamsSchema,
    body: recordRedInvoiceSchema,
    response: invoiceRequestDetailSchema,
    handler: async ({ actor, params, body }) => {
      const { requestId } = await recordRedInvoice(deps.db, actor, params.id, body, deps.clock.now());
      return getInvoiceRequestDetail(deps.db, actor, requestId);
    },
  });
}
