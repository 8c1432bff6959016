import type { Actor } from '../../access/actor.js';
import { hasRole, isManager } from '../../access/actor.js';
import { isInScope, resolveScope, type DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { notFound } from '../../http/app-error.js';
import { isApproverOfSubject } from '../approval/approval.service.js';
import * as repository from './contract.repository.js';
import { contractSubjectTypes } from './contract.subjects.js';

/**
 * Contracts are money records: executives, admins and finance see all of them, and so do legal (who
 * review them) and the seal keepers (who seal and archive them). Everyone else sees the contracts of the
 * owners in their data scope, plus any contract whose approval they took part in.
 */
export async function contractScopeOf(db: DbExecutor, actor: Actor): Promise<DataScope> {
  if (hasRole(actor, 'legal', 'seal_keeper')) return { kind: 'all' };
  return resolveScope(db, actor, 'money');
}

export async function getVisibleContractOrThrow(db: DbExecutor, actor: Actor, contractId: number): Promise<{ row: repository.ContractRow; scope: DataScope }> {
  const row = await repository.findContractById(db, contractId);
  if (!row) throw notFound('合同');

  const scope = await contractScopeOf(db, actor);
  if (isInScope(scope, row.owner_id)) return { row, scope };
  for (const subjectType of contractSubjectTypes) {
    if (await isApproverOfSubject(db, subjectType, row.id, actor.id)) return { row, scope };
  }
  throw notFound('合同');
}

/** The owner, or a manager whose team includes the owner, may edit, submit and void a contract. */
export async function mayWorkOnContract(db: DbExecutor, actor: Actor, row: Pick<repository.ContractRow, 'owner_id'>): Promise<boolean> {
  if (row.owner_id === actor.id) return true;
  if (!isManager(actor) && !hasRole(actor, 'executive', 'admin')) return false;
  return isInScope(await resolveScope(db, actor, 'business'), row.owner_id);
}
