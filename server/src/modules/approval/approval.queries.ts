import type { ApprovalBox, ApprovalDetail, ApprovalList } from '@shared/api/approval.js';
import type { Actor } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { notFound } from '../../http/app-error.js';
import * as repository from './approval.repository.js';
import { loadInstanceState } from './approval.engine.js';
import { isApprovalVisible } from './approval.access.js';
import { toApprovalDetail, toListItem } from './approval.views.js';

export async function getApprovalDetail(db: DbExecutor, actor: Actor, approvalId: number): Promise<ApprovalDetail> {
  const state = await loadInstanceState(db, approvalId);
  if (!state || !(await isApprovalVisible(db, actor, state.instance))) throw notFound('审批');
  return toApprovalDetail(db, state, actor.id);
}

/**
 * The three boxes of the 审批 tab: 待我审批 (open tasks), 我发起的 (instances I submitted) and 已处理
 * (tasks I decided). Each lists only the actor's own rows, so no further scope filter applies.
 */
export async function listApprovals(db: DbExecutor, actor: Actor, query: { box: ApprovalBox; before?: number; limit: number }): Promise<ApprovalList> {
  const page = { before: query.before, limit: query.limit };
  const rows =
    query.box === 'pending'
      ? await repository.listOpenTasksForUser(db, actor.id, page)
      : query.box === 'handled'
        ? await repository.listHandledTasksForUser(db, actor.id, page)
        : await repository.listSubmittedInstances(db, actor.id, page);

  const items = rows.map((row) => toListItem(row));
  const last = items.at(-1);
  return { items, nextBefore: items.length === query.limit && last ? last.cursor : null };
}

export async function countOpenTasks(db: DbExecutor, actor: Actor): Promise<{ pending: number }> {
  return { pending: await repository.countOpenTasksForUser(db, actor.id) };
}
