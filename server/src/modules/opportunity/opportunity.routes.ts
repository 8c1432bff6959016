import { z } from 'zod';
import {
  funnelQuerySchema,
  funnelSchema,
  opportunityCreateSchema,
  opportunityDetailSchema,
  opportunityListQuerySchema,
  opportunityPageSchema,
  opportunityUpdateSchema,
  stageChangeRequestSchema,
  winProbabilitySchema,
} from '@shared/api/opportunity.js';
import { idParamsSchema } from '@shared/api/org.js';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { putSetting } from '../settings/settings.service.js';
import { changeOpportunityStage, createOpportunity, getOpportunityDetail, listFunnel, listOpportunities, updateOpportunity } from './opportunity.service.js';
import { getStaleDays, getWinProbability, staleDaysSettingKey, winProbabilitySettingKey } from './opportunity.settings.js';

const opportunitySettingsSchema = z.object({
  winProbability: winProbabilitySchema,
  staleDays: z.number().int().min(1, '至少 1 天').max(365, '不能超过 365 天'),
});

export function registerOpportunityRoutes(deps: ModuleDeps): void {
  const now = () => deps.clock.now();

  defineRoute(deps, {
    method: 'get',
    path: '/opportunities',
    summary: '商机列表（按数据范围）：阶段、类型、客户、负责人、久未跟进筛选',
    tag: '商机',
    query: opportunityListQuerySchema,
    response: opportunityPageSchema,
    handler: ({ query, actor }) => listOpportunities(deps.db, actor, query, now()),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/opportunities/funnel',
    summary: '销售漏斗：各阶段数量、金额、加权金额、阶段转化率，本月和本季度预测',
    tag: '商机',
    query: funnelQuerySchema,
    response: funnelSchema,
    handler: ({ query, actor }) => listFunnel(deps.db, actor, query, now()),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/opportunities/settings',
    summary: '商机设置：各阶段赢率、久未跟进天数',
    tag: '商机',
    response: opportunitySettingsSchema,
    handler: async () => ({ winProbability: await getWinProbability(deps.db), staleDays: await getStaleDays(deps.db) }),
  });

  defineRoute(deps, {
    method: 'put',
    path: '/opportunities/settings',
    summary: '修改商机设置（管理员）',
    tag: '商机',
    roles: ['admin'],
    body: opportunitySettingsSchema,
    response: opportunitySettingsSchema,
    handler: async ({ body, actor }) => {
      await deps.db.transaction().execute(async (trx) => {
        await putSetting(trx, winProbabilitySettingKey, body.winProbability, actor.id, now());
        await putSetting(trx, staleDaysSettingKey, body.staleDays, actor.id, now());
      });
      return body;
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/opportunities/:id',
    summary: '商机详情与阶段变更记录',
    tag: '商机',
    params: idParamsSchema,
    response: opportunityDetailSchema,
    handler: ({ params, actor }) => getOpportunityDetail(deps.db, actor, params.id, now()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/opportunities',
    summary: '新建商机（负责人为当前用户）',
    tag: '商机',
    idempotency: 'optional',
    body: opportunityCreateSchema,
    response: opportunityDetailSchema,
    handler: async ({ body, actor }) => {
      const id = await deps.db.transaction().execute((trx) => createOpportunity(trx, actor, body, now()));
      return getOpportunityDetail(deps.db, actor, id, now());
    },
  });

  defineRoute(deps, {
    method: 'patch',
    path: '/opportunities/:id',
    summary: '修改商机',
    tag: '商机',
    params: idParamsSchema,
    body: opportunityUpdateSchema,
    response: opportunityDetailSchema,
    handler: async ({ params, body, actor }) => {
      await deps.db.transaction().execute((trx) => updateOpportunity(trx, actor, params.id, body, now()));
      return getOpportunityDetail(deps.db, actor, params.id, now());
    },
  });

  defineRoute(deps, {
    method: 'post',
    path: '/opportunities/:id/stage',
    summary: '变更商机阶段（输单须填原因；无合同的签约须上级主管确认）',
    tag: '商机',
    idempotency: 'optional',
    status: 200,
    params: idParamsSchema,
    body: stageChangeRequestSchema,
    response: opportunityDetailSchema,
    handler: async ({ params, body, actor }) => {
      await deps.db.transaction().execute((trx) => changeOpportunityStage(trx, actor, params.id, body, now()));
      return getOpportunityDetail(deps.db, actor, params.id, now());
    },
  });
}
