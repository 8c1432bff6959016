import { z } from 'zod';
import {
  addApproverRequestSchema,
  approvalCountsSchema,
  approvalDetailSchema,
  approvalListQuerySchema,
  approvalListSchema,
  approvalTemplateListSchema,
  approvalTemplateSchema,
  approveRequestSchema,
  commentRequestSchema,
  rejectRequestSchema,
  resubmitRequestSchema,
  sendBackRequestSchema,
  templateCodeParamsSchema,
  transferRequestSchema,
  updateTemplateRequestSchema,
  withdrawRequestSchema,
} from '@shared/api/approval.js';
import { idParamsSchema } from '@shared/api/org.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { addApprover, approveApproval, rejectApproval, sendBackApproval, transferTask, withdrawApproval } from './approval.actions.js';
import { commentOnApproval, resubmitApproval } from './approval.followups.js';
import { configureApprovalLinks } from './approval.notices.js';
import { countOpenTasks, getApprovalDetail, listApprovals } from './approval.queries.js';
import { getApprovalTemplate, listApprovalTemplates, updateApprovalTemplate } from './approval-templates.service.js';

type Transition<B> = (db: Db, actor: Actor, approvalId: number, body: B, now: Date) => Promise<void>;

export function registerApprovalRoutes(deps: ModuleDeps): void {
  configureApprovalLinks(deps.config.PUBLIC_URL);

  defineRoute(deps, {
    method: 'get',
    path: '/approvals',
    summary: '审批列表：待我审批、我发起的、已处理',
    tag: '审批',
    query: approvalListQuerySchema,
    response: approvalListSchema,
    handler: ({ query, actor }) => listApprovals(deps.db, actor, query),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/approvals/counts',
    summary: '待我审批的数量（工作台角标）',
    tag: '审批',
    response: approvalCountsSchema,
    handler: ({ actor }) => countOpenTasks(deps.db, actor),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/approvals/:id',
    summary: '审批详情：内容、步骤、历史和当前用户可执行的操作',
    tag: '审批',
    params: idParamsSchema,
    response: approvalDetailSchema,
    handler: ({ params, actor }) => getApprovalDetail(deps.db, actor, params.id),
  });

  // Each action returns the approval as it is afterwards, so the page re-renders from one response.
  const action = <B extends z.ZodType>(path: string, summary: string, body: B, run: Transition<z.infer<B>>) =>
    defineRoute(deps, {
      method: 'post',
      path: `/approvals/:id/${path}`,
      summary,
      tag: '审批',
      params: idParamsSchema,
      body,
      response: approvalDetailSchema,
      status: 200,
      idempotency: 'optional',
      handler: async ({ params, body: input, actor }) => {
        await run(deps.db, actor, params.id, input, deps.clock.now());
        return getApprovalDetail(deps.db, actor, params.id);
      },
    });

  action('approve', '同意（当前步骤的审批人）', approveRequestSchema, approveApproval);
  action('reject', '驳回给提交人（当前步骤的审批人，须填写原因）', rejectRequestSchema, rejectApproval);
  action('send-back', '退回到本轮已通过的前面步骤', sendBackRequestSchema, sendBackApproval);
  action('transfer', '把自己的审批任务转交给他人', transferRequestSchema, transferTask);
  action('add-approver', '为当前步骤加签一位审批人', addApproverRequestSchema, addApprover);
  action('withdraw', '撤回（提交人，终审之前）', withdrawRequestSchema, withdrawApproval);
  action('resubmit', '驳回或撤回后重新提交（提交人）', resubmitRequestSchema, resubmitApproval);
  action('comments', '发表评论', commentRequestSchema, commentOnApproval);

  defineRoute(deps, {
    method: 'get',
    path: '/approval-templates',
    summary: '审批模板列表（管理员）',
    tag: '审批模板',
    roles: ['admin'],
    response: approvalTemplateListSchema,
    handler: async () => ({ items: await listApprovalTemplates(deps.db) }),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/approval-templates/:code',
    summary: '审批模板详情（管理员）',
    tag: '审批模板',
    roles: ['admin'],
    params: templateCodeParamsSchema,
    response: approvalTemplateSchema,
    handler: ({ params }) => getApprovalTemplate(deps.db, params.code),
  });

  defineRoute(deps, {
    method: 'put',
    path: '/approval-templates/:code',
    summary: '修改审批模板（管理员）；进行中的审批不受影响',
    tag: '审批模板',
    roles: ['admin'],
    params: templateCodeParamsSchema,
    body: updateTemplateRequestSchema,
    response: approvalTemplateSchema,
    handler: ({ params, body, actor }) => updateApprovalTemplate(deps.db, actor, params.code, body, deps.clock.now()),
  });
}
