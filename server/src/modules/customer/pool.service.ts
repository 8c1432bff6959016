import { customerStageLabels, type CustomerStage } from '@shared/customer-rules.js';
import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { queueNotice } from '../notification/notification.service.js';
import { findUserById, listUserRoles } from '../org/org.repository.js';
import { canReleaseCustomer, canTransferCustomer, loadCustomerAccess, loadVisibleCustomerOrThrow } from './customer-access.js';
import { customerLink } from './customer-links.js';
import { getCustomerDetail, mainDepartmentId } from './customer-profile.service.js';
import type { Customer } from '@shared/api/customer.js';
import { assignFromPool, changeOwner, countOwnedCustomers, returnToPool } from './pool.repository.js';
import { getPoolSettings } from './pool.settings.js';
import { appendTimeline } from './timeline.service.js';

/**
 * Ownership: claiming from the pool, releasing to it, and managers assigning or transferring. Every
 * change is one transaction with its audit row, timeline entry and notices.
 */
export interface OwnershipContext {
  now: Date;
  publicUrl: string;
}

export async function claimCustomer(db: Db, actor: Actor, customerId: number, context: OwnershipContext): Promise<Customer> {
  if (!hasRole(actor, 'rep', 'manager')) throw forbidden('领取公海客户（仅销售人员可以领取）');
  const access = await loadCustomerAccess(db, actor);
  const { row } = await loadVisibleCustomerOrThrow(db, access, customerId, { allowPool: true });
  if (row.owner_id !== null) throw conflict('customer_already_owned', '这个客户已经有负责人了，不能再领取');

  const settings = await getPoolSettings(db);
  const owned = await countOwnedCustomers(db, actor.id);
  if (owned >= settings.claimLimit) {
    throw conflict('claim_limit_reached', `您名下已有 ${owned} 个客户，达到上限 ${settings.claimLimit} 个：请先释放不再跟进的客户，或请主管调整上限`);
  }
  const cooldownEnds = row.released_at ? new Date(Date.parse(row.released_at) + settings.reclaimCooldownDays * 86_400_000) : undefined;
  if (row.released_by === actor.id && cooldownEnds && cooldownEnds > context.now) {
    throw conflict('reclaim_cooldown', `这个客户是您在 ${row.released_at!.slice(0, 10)} 释放的，${settings.reclaimCooldownDays} 天内不能重新领取；如需跟进请联系主管分配`);
  }

  // The duplicate check of a claim is the database's: name key, credit code and contact mobile are UNIQUE
  // across owned and pool customers alike, so a pool customer can never duplicate an owned one.

  const at = context.now.toISOString();
  await db.transaction().execute(async (trx) => {
    const claimed = await assignFromPool(trx, customerId, { userId: actor.id, departmentId: await mainDepartmentId(trx, actor.id), at });
    if (!claimed) throw conflict('customer_already_owned', '这个客户刚被其他同事领取了');
    await appendTimeline(trx, { customerId, kind: 'ownership', title: `${actor.name} 从公海领取`, actorUserId: actor.id, occurredAt: context.now });
    await appendAudit(trx, { actorUserId: actor.id, action: 'customer.claim', entityType: 'customer', entityId: customerId, data: { toOwnerId: actor.id }, occurredAt: context.now });
  });
  return getCustomerDetail(db, actor, customerId);
}

export async function releaseCustomer(db: Db, actor: Actor, customerId: number, reason: string, context: OwnershipContext): Promise<Customer> {
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, customerId);
  if (relation.row.owner_id === null) throw conflict('customer_in_pool', '这个客户已经在公海中');
  if (!canReleaseCustomer(access, relation)) throw forbidden('释放这个客户（只有负责人和主管可以释放）');
  const fromOwnerId = relation.row.owner_id;

  await db.transaction().execute(async (trx) => {
    const released = await returnToPool(trx, customerId, fromOwnerId, { reason, by: actor.id, at: context.now.toISOString() });
    if (!released) throw conflict('customer_owner_changed', '客户负责人刚刚发生了变化，请刷新后再试');
    await recordOwnershipChange(trx, { customerId, fromOwnerId, toOwnerId: null, actor, reason, action: 'customer.release', now: context.now });
    if (fromOwnerId !== actor.id) {
      await queueNotice(trx, {
        dedupKey: `customer:${customerId}:released:${context.now.toISOString()}`,
        recipientUserId: fromOwnerId,
        content: {
          title: '客户已被释放到公海',
          fields: [
            { label: '客户', value: relation.row.name },
            { label: '操作人', value: actor.name },
            { label: '原因', value: reason },
          ],
          text: `${actor.name} 把您负责的客户“${relation.row.name}”释放到了公海。`,
          url: customerLink(context.publicUrl, '/customers?view=pool'),
          buttonText: '查看公海',
        },
        now: context.now,
      });
    }
  });
  return getCustomerDetail(db, actor, customerId);
}

/**
 * A manager assigns a pool customer or transfers an owned one to a rep in their department subtree
 * (admins: anyone). Both the new and the previous owner receive a notice.
 */
export async function transferCustomer(db: Db, actor: Actor, customerId: number, input: { toUserId: number; reason: string }, context: OwnershipContext): Promise<Customer> {
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, customerId, { allowPool: true });
  if (!canTransferCustomer(access, relation)) throw forbidden('分配或转移这个客户（需要负责人所在部门的主管）');
  const fromOwnerId = relation.row.owner_id;
  if (fromOwnerId === input.toUserId) throw badRequest('same_owner', '新负责人与当前负责人相同');

  const target = await findUserById(db, input.toUserId);
  if (!target || target.active !== 1) throw notFound('接收人');
  const inSubtree = access.businessScope.kind === 'all' || access.businessScope.userIds.includes(target.id);
  if (!inSubtree) throw forbidden(`把客户分配给 ${target.name}（只能分配给您管理的部门内的同事）`);
  const targetRoles = await listUserRoles(db, target.id);
  if (!targetRoles.some((role) => role === 'rep' || role === 'manager')) throw badRequest('target_not_sales', `${target.name} 不是销售人员，不能负责客户`);

  const at = context.now.toISOString();
  const stage = customerStageLabels[relation.row.stage as CustomerStage];
  await db.transaction().execute(async (trx) => {
    const moved = await changeOwner(trx, customerId, fromOwnerId, { userId: target.id, departmentId: await mainDepartmentId(trx, target.id), at });
    if (!moved) throw conflict('customer_owner_changed', '客户负责人刚刚发生了变化，请刷新后再试');
    await recordOwnershipChange(trx, {
      customerId,
      fromOwnerId,
      toOwnerId: target.id,
      actor,
      reason: input.reason,
      action: fromOwnerId === null ? 'customer.assign' : 'customer.transfer',
      now: context.now,
    });
    await queueNotice(trx, {
      dedupKey: `customer:${customerId}:owner:${target.id}:${at}`,
      recipientUserId: target.id,
      content: {
        title: '您有一个新分配的客户',
        fields: [
          { label: '客户', value: relation.row.name },
          { label: '阶段', value: stage },
          { label: '分配人', value: actor.name },
          { label: '原因', value: input.reason },
        ],
        text: `${actor.name} 把客户“${relation.row.name}”分配给您负责。`,
        url: customerLink(context.publicUrl, `/customers/${customerId}`),
        buttonText: '查看客户',
      },
      now: context.now,
    });
    if (fromOwnerId !== null && fromOwnerId !== actor.id) {
      await queueNotice(trx, {
        dedupKey: `customer:${customerId}:owner-left:${fromOwnerId}:${at}`,
        recipientUserId: fromOwnerId,
        content: {
          title: '客户已转给其他同事',
          fields: [
            { label: '客户', value: relation.row.name },
            { label: '新负责人', value: target.name },
            { label: '原因', value: input.reason },
          ],
          text: `${actor.name} 把客户“${relation.row.name}”转给了 ${target.name}。`,
          url: customerLink(context.publicUrl, '/customers'),
          buttonText: '查看我的客户',
        },
        now: context.now,
      });
    }
  });
  return getCustomerDetail(db, actor, customerId);
}

export interface OwnershipChange {
  customerId: number;
  fromOwnerId: number | null;
  toOwnerId: number | null;
  actor: Pick<Actor, 'id' | 'name'> | null;
  reason: string;
  action: 'customer.claim' | 'customer.release' | 'customer.assign' | 'customer.transfer' | 'customer.auto_return';
  now: Date;
}

/** Appends the timeline entry and the audit row that every ownership change leaves. */
export async function recordOwnershipChange(db: DbExecutor, change: OwnershipChange): Promise<void> {
  const names = await ownerNames(db, [change.fromOwnerId, change.toOwnerId]);
  const from = change.fromOwnerId === null ? '公海' : names.get(change.fromOwnerId) ?? '未知';
  const to = change.toOwnerId === null ? '公海' : names.get(change.toOwnerId) ?? '未知';
  const verbs: Record<OwnershipChange['action'], string> = {
    'customer.claim': '领取',
    'customer.release': '释放到公海',
    'customer.assign': '分配',
    'customer.transfer': '转移',
    'customer.auto_return': '超期未跟进，自动退回公海',
  };
  await appendTimeline(db, {
    customerId: change.customerId,
    kind: 'ownership',
    title: `${verbs[change.action]}：${from} → ${to}`,
    summary: change.reason,
    actorUserId: change.actor?.id ?? null,
    occurredAt: change.now,
  });
  await appendAudit(db, {
    actorUserId: change.actor?.id ?? null,
    action: change.action,
    entityType: 'customer',
    entityId: change.customerId,
    data: { fromOwnerId: change.fromOwnerId, toOwnerId: change.toOwnerId, reason: change.reason },
    occurredAt: change.now,
  });
}

async function ownerNames(db: DbExecutor, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = ids.filter((id): id is number => id !== null);
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('app_user').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
