import {
  assigneeListSchema,
  createCustomerRequestSchema,
  creditEvaluationSchema,
  creditLimitRequestSchema,
  customerListQuerySchema,
  customerListResponseSchema,
  customerSchema,
  duplicateCheckQuerySchema,
  duplicateCheckResponseSchema,
  okSchema,
  regionTreeSchema,
  stageChangeRequestSchema,
  stageHistoryEntrySchema,
  timelinePageSchema,
  timelineQuerySchema,
  updateCustomerRequestSchema,
} from '@shared/api/customer.js';
import { idParamsSchema } from '@shared/api/org.js';
import { customerStageSchema } from '@shared/api/customer.js';
import { z } from 'zod';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { listAssignees } from './assignee.service.js';
import { loadCustomerAccess, loadVisibleCustomerOrThrow } from './customer-access.js';
import { listCustomers } from './customer-list.service.js';
import { changeCustomerStage, createCustomer, getCustomerDetail, updateCustomerProfile } from './customer-profile.service.js';
import { listStageChanges } from './customer.repository.js';
import { evaluateCreditLimit } from './credit-limit.service.js';
import { setCreditLimit } from './credit-limit-setting.service.js';
import { checkDuplicate } from './duplicate-check.service.js';
import { regionTree } from './region.service.js';
import { listTimeline } from './timeline.service.js';

const tag = '客户';

/** Static paths first: '/customers/duplicate-check' must not be taken for '/customers/:id'. */
export function registerCustomerProfileRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/regions',
    summary: '省市区县行政区划（国家统计局 2023）',
    tag,
    response: regionTreeSchema,
    handler: async ({ ctx }) => {
      ctx.set('Cache-Control', 'private, max-age=86400');
      return regionTree(deps.db);
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/customers',
    summary: '客户列表：搜索（名称、简称、拼音、首字母、信用代码、电话）、筛选、排序、分页',
    tag,
    query: customerListQuerySchema,
    response: customerListResponseSchema,
    handler: ({ actor, query }) => listCustomers(deps.db, actor, query, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/customers',
    summary: '新建客户（防撞单：信用代码、名称或联系人手机号重复时返回 409）',
    tag,
    body: createCustomerRequestSchema,
    response: customerSchema,
    roles: ['rep', 'manager', 'admin'],
    idempotency: 'optional',
    handler: ({ actor, body }) => createCustomer(deps.db, actor, body, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/customers/duplicate-check',
    summary: '录入时查重：只返回负责人、阶段和负责起始日期',
    tag,
    query: duplicateCheckQuerySchema,
    response: duplicateCheckResponseSchema,
    handler: async ({ actor, query }) => ({ duplicate: await checkDuplicate(deps.db, await loadCustomerAccess(deps.db, actor), query) }),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/customers/assignees',
    summary: '可分配客户的销售人员（本人管理范围内）及其名下客户数',
    tag,
    response: assigneeListSchema,
    handler: ({ actor }) => listAssignees(deps.db, actor),
  });
}

export function registerCustomerDetailRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/customers/:id',
    summary: '客户详情（360 视图头部）',
    tag,
    params: idParamsSchema,
    response: customerSchema,
    handler: ({ actor, params }) => getCustomerDetail(deps.db, actor, params.id),
  });

  defineRoute(deps, {
    method: 'patch',
    path: '/customers/:id',
    summary: '修改客户资料（带版本号，防止覆盖他人修改）',
    tag,
    params: idParamsSchema,
    body: updateCustomerRequestSchema,
    response: customerSchema,
    handler: ({ actor, params, body }) => updateCustomerProfile(deps.db, actor, params.id, body, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/customers/:id/stage',
    summary: '变更客户阶段',
    tag,
    params: idParamsSchema,
    body: stageChangeRequestSchema,
    response: customerSchema,
    status: 200,
    handler: ({ actor, params, body }) => changeCustomerStage(deps.db, actor, params.id, body, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/customers/:id/stage-history',
    summary: '客户阶段变更记录',
    tag,
    params: idParamsSchema,
    response: z.array(stageHistoryEntrySchema),
    handler: async ({ actor, params }) => {
      await loadVisibleCustomerOrThrow(deps.db, await loadCustomerAccess(deps.db, actor), params.id);
      const rows = await listStageChanges(deps.db, params.id);
      return rows.map((row) => ({
        id: row.id,
        fromStage: row.from_stage === null ? null : customerStageSchema.parse(row.from_stage),
        toStage: customerStageSchema.parse(row.to_stage),
        reason: row.reason,
        actor: row.actor_id !== null && row.actor_name !== null ? { id: row.actor_id, name: row.actor_name } : null,
        changedAt: row.changed_at,
      }));
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/customers/:id/timeline',
    summary: '客户时间线（拜访、商机、报价、合同、回款、退货、归属变化…），新的在前',
    tag,
    params: idParamsSchema,
    query: timelineQuerySchema,
    response: timelinePageSchema,
    handler: async ({ actor, params, query }) => {
      await loadVisibleCustomerOrThrow(deps.db, await loadCustomerAccess(deps.db, actor), params.id);
      return listTimeline(deps.db, params.id, query);
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/customers/:id/credit',
    summary: '客户信用占用：欠款 + 未结报价与合同 − 预计退货，与信用额度比较',
    tag,
    params: idParamsSchema,
    query: z.object({ additionalFen: z.coerce.number().int().min(0).default(0) }),
    response: creditEvaluationSchema,
    handler: async ({ actor, params, query }) => {
      await loadVisibleCustomerOrThrow(deps.db, await loadCustomerAccess(deps.db, actor), params.id, { allowPool: false });
      return evaluateCreditLimit(deps.db, params.id, query.additionalFen);
    },
  });

  defineRoute(deps, {
    method: 'put',
    path: '/customers/:id/credit-limit',
    summary: '设置信用额度（财务）',
    tag,
    params: idParamsSchema,
    body: creditLimitRequestSchema,
    response: okSchema,
    roles: ['finance', 'admin'],
    handler: async ({ actor, params, body }) => {
      await setCreditLimit(deps.db, actor, params.id, body, deps.clock.now());
      return { ok: true as const };
    },
  });
}
