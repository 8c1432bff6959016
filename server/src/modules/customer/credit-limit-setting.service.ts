import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import { isInScope, resolveScope } from '../../access/scope.js';
import type { Db } from '../../db/database.js';
import { forbidden, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { formatYuan } from '@shared/money.js';
import { findCustomerById, updateCustomer } from './customer.repository.js';
import { appendTimeline } from './timeline.service.js';

/**
 * Setting a customer's credit limit is finance's decision (admins too). Finance sees every customer for
 * money purposes, so the check uses the money scope, not the business one.
 */
export async function setCreditLimit(db: Db, actor: Actor, customerId: number, input: { creditLimitFen: number | null; reason: string }, now: Date): Promise<void> {
  if (!hasRole(actor, 'finance', 'admin')) throw forbidden('设置信用额度（仅财务和系统管理员）');
  const customer = await findCustomerById(db, customerId);
  const scope = await resolveScope(db, actor, 'money');
  if (!customer || (customer.owner_id !== null && !isInScope(scope, customer.owner_id) && scope.kind !== 'all')) throw notFound('客户');

  const before = customer.credit_limit_fen;
  const describe = (fen: number | null) => (fen === null ? '不限' : `${formatYuan(fen)} 元`);
  await db.transaction().execute(async (trx) => {
    await updateCustomer(trx, customerId, { credit_limit_fen: input.creditLimitFen, updated_at: now.toISOString() });
    await appendTimeline(trx, {
      customerId,
      kind: 'note',
      title: `信用额度：${describe(before)} → ${describe(input.creditLimitFen)}`,
      summary: input.reason,
      actorUserId: actor.id,
      occurredAt: now,
    });
    await appendAudit(trx, { actorUserId: actor.id, action: 'customer.credit_limit', entityType: 'customer', entityId: customerId, data: { before, after: input.creditLimitFen, reason: input.reason }, occurredAt: now });
  });
}
