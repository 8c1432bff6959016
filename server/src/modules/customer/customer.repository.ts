import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DbExecutor } from '../../db/database.js';
import type { CustomerTable } from './customer.tables.js';

export type CustomerRow = Selectable<CustomerTable>;

export async function findCustomerById(db: DbExecutor, id: number): Promise<CustomerRow | undefined> {
  return db.selectFrom('customer').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCustomerByNameKey(db: DbExecutor, nameKey: string): Promise<CustomerRow | undefined> {
  return db.selectFrom('customer').selectAll().where('name_key', '=', nameKey).executeTakeFirst();
}

export async function findCustomerByCreditCode(db: DbExecutor, creditCode: string): Promise<CustomerRow | undefined> {
  return db.selectFrom('customer').selectAll().where('credit_code', '=', creditCode).executeTakeFirst();
}

export async function findCollaborator(db: DbExecutor, customerId: number, userId: number) {
  return db.selectFrom('customer_collaborator').selectAll().where('customer_id', '=', customerId).where('user_id', '=', userId).executeTakeFirst();
}

export async function insertCustomer(db: DbExecutor, values: Insertable<CustomerTable>): Promise<number> {
  const row = await db.insertInto('customer').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Updates a customer when its version still matches and bumps the version; returns false when somebody
 * else changed it first.
 */
export async function updateCustomerVersioned(db: DbExecutor, id: number, version: number, values: Updateable<CustomerTable>): Promise<boolean> {
  const result = await db
    .updateTable('customer')
    .set({ ...values, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Updates without a version check, for changes made by the system (stage from a contract, follow-up time). */
export async function updateCustomer(db: DbExecutor, id: number, values: Updateable<CustomerTable>): Promise<void> {
  await db
    .updateTable('customer')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function insertStageChange(
  db: DbExecutor,
  values: { customerId: number; fromStage: string | null; toStage: string; reason: string | null; actorUserId: number | null; changedAt: string },
): Promise<void> {
  await db
    .insertInto('customer_stage_change')
    .values({
      customer_id: values.customerId,
      from_stage: values.fromStage,
      to_stage: values.toStage,
      reason: values.reason,
      actor_user_id: values.actorUserId,
      changed_at: values.changedAt,
    })
    .execute();
}

export async function listStageChanges(db: DbExecutor, customerId: number) {
  return db
    .selectFrom('customer_stage_change')
    .leftJoin('app_user', 'app_user.id', 'customer_stage_change.actor_user_id')
    .select([
      'customer_stage_change.id',
      'customer_stage_change.from_stage',
      'customer_stage_change.to_stage',
      'customer_stage_change.reason',
      'customer_stage_change.changed_at',
      'app_user.id as actor_id',
      'app_user.name as actor_name',
    ])
    .where('customer_stage_change.customer_id', '=', customerId)
    .orderBy('customer_stage_change.id', 'desc')
    .execute();
}
