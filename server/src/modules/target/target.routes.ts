import { targetCopyResultSchema, targetCopySchema, targetSheetQuerySchema, targetSheetSchema, targetUpdateSchema } from '@shared/api/target.js';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { copyTargets, getTargetSheet, saveTargets } from './target.service.js';

const tag = '销售目标';

export function registerTargetRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/targets',
    summary: '月度目标表：可见的部门和业务员，以及当前用户能否设置',
    tag,
    query: targetSheetQuerySchema,
    response: targetSheetSchema,
    handler: ({ query, actor }) => getTargetSheet(deps.db, actor, query.month),
  });

  defineRoute(deps, {
    method: 'put',
    path: '/targets',
    summary: '设置月度目标（主管：所管部门及其成员；总经理：全部）；value 为 null 表示清除',
    tag,
    body: targetUpdateSchema,
    response: targetSheetSchema,
    handler: ({ body, actor }) => saveTargets(deps.db, actor, body, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/targets/copy',
    summary: '把一个月的目标复制到另一个月（已设置的不覆盖）',
    tag,
    body: targetCopySchema,
    response: targetCopyResultSchema,
    status: 200,
    handler: ({ body, actor }) => copyTargets(deps.db, actor, body.fromMonth, body.toMonth, deps.clock.now()),
  });
}
