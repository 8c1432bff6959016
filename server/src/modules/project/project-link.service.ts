import type { LinkRefType, ProjectLink } from '@shared/api/project.js';
import { linkRefTypeLabels, linkRefTypeSchema } from '@shared/api/project.js';
import type { LinkCandidate, LinkCandidateQuery, LinkTargetList } from '@shared/api/project-links.js';
import { projectKindSchema, projectStatusSchema } from '@shared/project-rules.js';
import type { Actor } from '../../access/actor.js';
import { isInScope, resolveScope } from '../../access/scope.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { loadProjectAccess, type ServiceMoment } from './project.context.js';
import * as documentRepository from './project-document.repository.js';
import { listProjectCustomers, listProjectsToLinkTo, touchProject } from './project.repository.js';
import { listLinkCandidates, resolveLinkedRecord } from './project.sources.js';

/** Visits, quotes, contracts, approvals, receipts and opportunities linked to projects. */

const linkRoutes: Record<LinkRefType, (id: number) => string> = {
  opportunity: (id) => `/opportunities/${id}`,
  visit: (id) => `/visits/${id}`,
  quote: (id) => `/quotes/${id}`,
  contract: (id) => `/contracts/${id}`,
  approval: (id) => `/approvals/${id}`,
  receipt: (id) => `/receivables/receipts/${id}`,
};

/** Most candidates returned at once; the phone shows them in one scrolling list. */
const maxCandidates = 60;

export async function listProjectLinks(db: DbExecutor, actor: Actor, projectId: number): Promise<ProjectLink[]> {
  const access = await loadProjectAccess(db, actor, projectId);
  const rows = await documentRepository.listLinks(db, projectId);
  return rows.map((row) => {
    const refType = linkRefTypeSchema.parse(row.ref_type);
    return {
      id: row.id,
      refType,
      refId: row.ref_id,
      title: row.title,
      url: linkRoutes[refType](row.ref_id),
      occurredAt: row.occurred_at,
      linkedBy: row.linked_by !== null ? { id: row.linked_by, name: row.linker_name ?? '' } : null,
      canUnlink: access.canManage || (access.canContribute && row.linked_by === actor.id),
    };
  });
}

/**
 * Links a record the actor can open (404 otherwise) to a project they manage or belong to. The record's
 * customer must be one of the project's customers. Linking it again changes nothing and is not audited again.
 */
export async function linkRecordToProject(db: Db, actor: Actor, projectId: number, input: { refType: LinkRefType; refId: number }, moment: ServiceMoment): Promise<ProjectLink[]> {
  const { project } = await loadProjectAccess(db, actor, projectId, 'contribute');
  if (project.status === 'cancelled') throw conflict('project_cancelled', `项目「${project.name}」已取消，不能再关联记录：如需继续请先重新开启项目`);

  const record = await resolveLinkedRecord(db, actor, input.refType, input.refId);
  if (record.customerId !== null) {
    const customers = await listProjectCustomers(db, [projectId]);
    if (!customers.some((customer) => customer.customer_id === record.customerId)) {
      throw badRequest(
        'link_customer_not_in_project',
        `${linkRefTypeLabels[input.refType]}的客户「${record.customerName ?? record.customerId}」不是项目「${project.name}」的客户：请先由项目负责人把该客户加入项目`,
      );
    }
  }

  await db.transaction().execute(async (trx) => {
    const inserted = await linkActivityToProject(trx, { projectId, refType: input.refType, refId: input.refId, title: record.title, occurredAt: record.occurredAt, actorUserId: actor.id, now: moment.now });
    if (inserted) {
      await appendAudit(trx, { actorUserId: actor.id, action: 'project.link', entityType: 'project', entityId: projectId, data: { refType: input.refType, refId: input.refId, title: record.title }, occurredAt: moment.now });
    }
  });
  return listProjectLinks(db, actor, projectId);
}

/**
 * For other modules: records that a visit, quote, contract, approval or receipt belongs to a project, in
 * the caller's transaction. The caller has already checked that the actor may act on both.
 */
export async function linkActivityToProject(
  db: DbExecutor,
  input: { projectId: number; refType: LinkRefType; refId: number; title: string; occurredAt: string; actorUserId: number | null; now: Date },
): Promise<boolean> {
  const inserted = await documentRepository.insertLink(db, {
    projectId: input.projectId,
    refType: input.refType,
    refId: input.refId,
    title: input.title,
    occurredAt: input.occurredAt,
    linkedBy: input.actorUserId,
    now: input.now.toISOString(),
  });
  if (inserted) await touchProject(db, input.projectId, input.now.toISOString());
  return inserted;
}

/** Removes a link: the project's managers may remove any, a member only the links they made. */
export async function unlinkRecord(db: Db, actor: Actor, projectId: number, linkId: number, moment: ServiceMoment): Promise<void> {
  const access = await loadProjectAccess(db, actor, projectId, 'contribute');
  const link = await documentRepository.findLink(db, projectId, linkId);
  if (!link) throw notFound('关联记录');
  if (!access.canManage && link.linked_by !== actor.id) throw forbidden('取消这条关联（仅关联人或项目负责人可以）');

  await db.transaction().execute(async (trx) => {
    await documentRepository.deleteLink(trx, projectId, linkId);
    await touchProject(trx, projectId, moment.now.toISOString());
    await appendAudit(trx, { actorUserId: actor.id, action: 'project.unlink', entityType: 'project', entityId: projectId, data: { refType: link.ref_type, refId: link.ref_id, title: link.title }, occurredAt: moment.now });
  });
}

/**
 * Records of the project's customers the actor may link: each module lists what the actor can see there.
 * Already linked records come back with their link id so the phone can offer to unlink them.
 */
export async function listLinkCandidatesForProject(db: Db, actor: Actor, projectId: number, query: LinkCandidateQuery): Promise<{ items: LinkCandidate[]; truncated: boolean }> {
  await loadProjectAccess(db, actor, projectId, 'contribute');
  const customers = await listProjectCustomers(db, [projectId]);
  if (query.customerId !== undefined && !customers.some((customer) => customer.customer_id === query.customerId)) {
    throw badRequest('customer_not_in_project', `客户 ${query.customerId} 不是本项目的客户：请从项目客户中选择`);
  }
  const customerIds = query.customerId !== undefined ? [query.customerId] : customers.map((customer) => customer.customer_id);

  const linked = new Map(
    (await documentRepository.listLinks(db, projectId)).filter((row) => row.ref_type === query.refType).map((row) => [row.ref_id, row.id]),
  );
  const items: LinkCandidate[] = [];
  let truncated = false;
  for (const customerId of customerIds) {
    const page = await listLinkCandidates(db, actor, query.refType, customerId, query.q || undefined);
    truncated ||= page.truncated;
    for (const record of page.records) items.push({ refType: query.refType, ...record, linkId: linked.get(record.refId) ?? null });
  }

  items.sort(newestFirst);
  return { items: items.slice(0, maxCandidates), truncated: truncated || items.length > maxCandidates };
}

function newestFirst(a: LinkCandidate, b: LinkCandidate): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? 1 : -1;
  return b.refId - a.refId;
}

/**
 * Projects a record can be linked to from its own page: those the actor manages or belongs to that include
 * the record's customer and are not cancelled, plus any project it is already linked to that the actor can see.
 */
export async function listLinkTargets(db: Db, actor: Actor, refType: LinkRefType, refId: number): Promise<LinkTargetList> {
  const record = await resolveLinkedRecord(db, actor, refType, refId);
  const scope = await resolveScope(db, actor, 'business');
  const projects = await listProjectsToLinkTo(db, { scope, actorId: actor.id, customerId: record.customerId });
  const links = await documentRepository.listLinksOfRecord(db, refType, refId);

  const items = [];
  for (const project of projects) {
    const link = links.find((row) => row.project_id === project.id);
    const manages = isInScope(scope, project.owner_id);
    items.push({
      projectId: project.id,
      number: project.number,
      name: project.name,
      kind: projectKindSchema.parse(project.kind),
      status: projectStatusSchema.parse(project.status),
      linkId: link?.id ?? null,
      canUnlink: link !== undefined && (manages || link.linked_by === actor.id),
    });
  }

  // A project linked earlier may have dropped the customer since; it still shows, so the link can be removed.
  for (const link of links) {
    if (items.some((item) => item.projectId === link.project_id)) continue;
    const access = await loadProjectAccess(db, actor, link.project_id).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 404) return null;
      throw error;
    });
    if (!access) continue;
    items.push({
      projectId: access.project.id,
      number: access.project.number,
      name: access.project.name,
      kind: projectKindSchema.parse(access.project.kind),
      status: projectStatusSchema.parse(access.project.status),
      linkId: link.id,
      canUnlink: access.canManage || (access.canContribute && link.linked_by === actor.id),
    });
  }

  return { record: { title: record.title, customerId: record.customerId, customerName: record.customerName }, items };
}
