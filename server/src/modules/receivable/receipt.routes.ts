import { z } from 'zod';
import { idParamsSchema } from '@shared/api/org.js';
import {
  allocationResultSchema,
  createReceiptSchema,
  manualAllocationSchema,
  receiptDetailSchema,
  receiptListQuerySchema,
  receiptListSchema,
  reverseReceiptSchema,
} from '@shared/api/receivable.js';
import { defineRoute } from '../../http/define-route.js';
import { localDate } from '../../lib/clock.js';
import type { ModuleDeps } from '../module-deps.js';
import {
  allocateReceiptManually,
  autoAllocateCustomerForActor,
  autoAllocateReceiptForActor,
  getReceiptDetail,
  listReceiptsForActor,
  recordReceipt,
  reverseAllocationForActor,
  reverseReceipt,
} from './receipt.service.js';

export function registerReceiptRoutes(deps: ModuleDeps): void {
  const context = () => {
    const now = deps.clock.now();
    return { now, today: localDate(now, deps.config.TIME_ZONE), publicUrl: deps.config.PUBLIC_URL };
  };

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/receipts',
    summary: '回款列表（按数据范围）',
    tag: '应收',
    query: receiptListQuerySchema,
    response: receiptListSchema,
    handler: ({ actor, query }) => listReceiptsForActor(deps.db, actor, { ...query, fromDate: query.from, toDate: query.to, unallocatedOnly: query.unallocated, search: query.q }),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/receipts',
    summary: '登记回款并核销（默认按到期日从早到晚自动核销）',
    tag: '应收',
    roles: ['finance', 'admin'],
    idempotency: 'optional',
    body: createReceiptSchema,
    response: receiptDetailSchema,
    handler: async ({ actor, body }) => {
      const ctx = context();
      const { receipt } = await recordReceipt(deps.db, actor, body, ctx);
      return getReceiptDetail(deps.db, actor, receipt.id, ctx.today);
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/receivables/receipts/:id',
    summary: '回款详情与核销记录',
    tag: '应收',
    params: idParamsSchema,
    response: receiptDetailSchema,
    handler: ({ actor, params }) => getReceiptDetail(deps.db, actor, params.id, context().today),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/receipts/:id/allocations',
    summary: '手工核销：把回款分配到指定回款计划',
    tag: '应收',
    roles: ['finance', 'admin'],
    idempotency: 'optional',
    params: idParamsSchema,
    body: manualAllocationSchema,
    response: allocationResultSchema,
    status: 200,
    handler: ({ actor, params, body }) => allocateReceiptManually(deps.db, actor, params.id, body.allocations, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/receipts/:id/auto-allocate',
    summary: '自动核销：剩余金额按到期日从早到晚分配',
    tag: '应收',
    roles: ['finance', 'admin'],
    params: idParamsSchema,
    response: allocationResultSchema,
    status: 200,
    handler: ({ actor, params }) => autoAllocateReceiptForActor(deps.db, actor, params.id, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/receipts/:id/reverse',
    summary: '冲销回款（留痕，不修改原记录）',
    tag: '应收',
    roles: ['finance', 'admin'],
    params: idParamsSchema,
    body: reverseReceiptSchema,
    response: receiptDetailSchema,
    status: 200,
    handler: async ({ actor, params, body }) => {
      const ctx = context();
      await reverseReceipt(deps.db, actor, params.id, body.reason, ctx);
      return getReceiptDetail(deps.db, actor, params.id, ctx.today);
    },
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/allocations/:id/reverse',
    summary: '撤销一笔核销（留痕）',
    tag: '应收',
    roles: ['finance', 'admin'],
    params: idParamsSchema,
    body: reverseReceiptSchema,
    response: z.object({ ok: z.literal(true) }),
    status: 200,
    handler: async ({ actor, params, body }) => {
      await reverseAllocationForActor(deps.db, actor, params.id, body.reason, deps.clock.now());
      return { ok: true as const };
    },
  });

  defineRoute(deps, {
    method: 'post',
    path: '/receivables/customers/:id/auto-allocate',
    summary: '对该客户所有未核销回款做自动核销',
    tag: '应收',
    roles: ['finance', 'admin'],
    params: idParamsSchema,
    response: allocationResultSchema,
    status: 200,
    handler: ({ actor, params }) => autoAllocateCustomerForActor(deps.db, actor, params.id, deps.clock.now()),
  });
}
