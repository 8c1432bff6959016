import type { z } from 'zod';
import { templateDefinitionSchema, type commentRequestSchema, type resubmitRequestSchema } from '@shared/api/approval.js';
import { canComment, canResubmit } from '@shared/approval-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { AppError, conflict, notFound } from '../../http/app-error.js';
import * as repository from './approval.repository.js';
import { loadInstanceState, recordAction, toRuleInstance } from './approval.engine.js';
import { isApprovalVisible } from './approval.access.js';
import { queueCommentNotice } from './approval.notices.js';
import { findApprovalSubjectHandler } from './approval.subjects.js';
import { restartRound } from './approval.service.js';

/**
 * 重新提交 from the approval page, after a rejection or withdrawal. The subject module checks that the
 * subject may go to review again and supplies its current content; modules without that hook are
 * resubmitted from their own page instead.
 */
export async function resubmitApproval(db: Db, actor: Actor, approvalId: number, input: z.infer<typeof resubmitRequestSchema>, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const state = await loadInstanceState(trx, approvalId);
    if (!state || !(await isApprovalVisible(trx, actor, state.instance))) throw notFound('审批');
    if (!canResubmit(toRuleInstance(state), actor.id)) {
      if (state.instance.submitter_id !== actor.id) throw new AppError(403, 'not_submitter', '只有提交人可以重新提交');
      throw conflict('approval_not_resubmittable', '只有被驳回或已撤回的审批可以重新提交');
    }

    const handler = findApprovalSubjectHandler(state.instance.subject_type);
    if (!handler?.prepareResubmission) {
      throw conflict('resubmit_from_subject', '请打开原单据，修改后在单据页面重新提交审批');
    }
    const template = await repository.findTemplateByCode(trx, state.instance.template_code);
    if (!template || template.active !== 1) {
      throw new AppError(409, 'approval_template_missing', '审批模板不存在或已停用，请联系系统管理员启用后再提交');
    }

    const prepared = await handler.prepareResubmission(trx, { subjectId: state.instance.subject_id, approvalId, actorUserId: actor.id, now });
    await restartRound(trx, approvalId, {
      templateId: template.id,
      templateVersion: template.version,
      definition: templateDefinitionSchema.parse(JSON.parse(template.definition)),
      subject: prepared.subject,
      contentHash: prepared.contentHash,
      actorId: actor.id,
      comment: input.comment || null,
      now,
    });
  });
}

/**
 * 评论: anyone who can see the approval may comment at any time. It changes no state, so it takes no
 * version lock; the submitter is told when someone else comments.
 */
export async function commentOnApproval(db: Db, actor: Actor, approvalId: number, input: z.infer<typeof commentRequestSchema>, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const state = await loadInstanceState(trx, approvalId);
    if (!state || !canComment(await isApprovalVisible(trx, actor, state.instance))) throw notFound('审批');

    const historyId = await recordAction(trx, state, { action: 'comment', actorId: actor.id, stepIndex: state.instance.current_step_index, comment: input.comment, now });
    if (actor.id !== state.instance.submitter_id) {
      await queueCommentNotice(trx, {
        historyId,
        approvalId,
        recipientUserId: state.instance.submitter_id,
        title: state.subject.title,
        authorName: actor.name,
        comment: input.comment,
        now,
      });
    }
  });
}
