import { workbenchSchema } from '@shared/api/workbench.js';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { getWorkbench } from './workbench.service.js';

export function registerWorkbenchRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/workbench',
    summary: '工作台：待我审批、今日计划拜访、待跟进、逾期回款、停滞商机、项目任务、协作申请、即将退回公海（各含数量和列表链接）',
    tag: '工作台',
    response: workbenchSchema,
    handler: ({ actor, ctx }) => getWorkbench({ db: deps.db, logger: ctx.state.log, now: deps.clock.now(), timeZone: deps.config.TIME_ZONE }, actor),
  });
}
