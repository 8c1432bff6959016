import { approvalTemplateCodeSchema, templateDefinitionSchema, type ApprovalTemplate, type ApprovalTemplateCode, type TemplateDefinition } from '@shared/api/approval.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, conflict, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import * as repository from './approval.repository.js';

type TemplateRow = Awaited<ReturnType<typeof repository.listTemplates>>[number];

function toApprovalTemplate(row: TemplateRow): ApprovalTemplate {
  return {
    id: row.id,
    code: approvalTemplateCodeSchema.parse(row.code),
    version: row.version,
    active: row.active === 1,
    definition: templateDefinitionSchema.parse(JSON.parse(row.definition)),
    updatedAt: row.updated_at,
    updatedByName: row.updated_by_name,
  };
}

export async function listApprovalTemplates(db: DbExecutor): Promise<ApprovalTemplate[]> {
  return (await repository.listTemplates(db)).map(toApprovalTemplate);
}

export async function getApprovalTemplate(db: DbExecutor, code: ApprovalTemplateCode): Promise<ApprovalTemplate> {
  const row = (await repository.listTemplates(db)).find((template) => template.code === code);
  if (!row) throw notFound('审批模板');
  return toApprovalTemplate(row);
}

/**
 * Saves an admin's edit of a template as a new version. Running approvals keep the snapshot taken when
 * they were submitted; only later submissions use the new steps.
 */
export async function updateApprovalTemplate(
  db: Db,
  actor: Actor,
  code: ApprovalTemplateCode,
  input: { definition: TemplateDefinition; version: number },
  now: Date,
): Promise<ApprovalTemplate> {
  await db.transaction().execute(async (trx) => {
    const current = await repository.findTemplateByCode(trx, code);
    if (!current) throw notFound('审批模板');
    await assertNamedUsersActive(trx, input.definition);

    const saved = await repository.updateTemplateDefinition(trx, { id: current.id, expectedVersion: input.version, definition: JSON.stringify(input.definition), updatedBy: actor.id, now });
    if (!saved) {
      throw conflict('template_changed', `审批模板已被他人修改（当前为第 ${current.version} 版），请刷新后在最新版本上修改`);
    }
    await appendAudit(trx, {
      actorUserId: actor.id,
      action: 'approval_template.update',
      entityType: 'approval_template',
      entityId: current.id,
      data: { code, fromVersion: current.version, toVersion: current.version + 1, definition: input.definition },
      occurredAt: now,
    });
  });
  return getApprovalTemplate(db, code);
}

async function assertNamedUsersActive(db: DbExecutor, definition: TemplateDefinition): Promise<void> {
  for (const [index, step] of definition.steps.entries()) {
    if (step.approver.kind !== 'users') continue;
    const active = await repository.listActiveUsersByIds(db, step.approver.userIds);
    const missing = step.approver.userIds.filter((id) => !active.some((user) => user.id === id));
    if (missing.length > 0) {
      throw badRequest('approver_not_active', `第 ${index + 1} 步「${step.name}」的指定审批人（用户 ${missing.join('、')}）不存在或已离职，请重新选择`, [
        { field: `definition.steps.${index}.approver.userIds`, message: '审批人不存在或已离职' },
      ]);
    }
  }
}
