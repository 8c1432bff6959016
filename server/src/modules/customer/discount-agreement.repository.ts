import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DbExecutor } from '../../db/database.js';
import type { DiscountAgreementTable } from './customer.tables.js';

export type DiscountAgreementRow = Selectable<DiscountAgreementTable>;

export async function listAgreements(db: DbExecutor, customerId: number): Promise<DiscountAgreementRow[]> {
  return db
    .selectFrom('discount_agreement')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('scope')
    .orderBy('scope_value')
    .orderBy('valid_from', 'desc')
    .execute();
}

/** Agreements in force on a date for the customer default and the given category and series. */
export async function listAgreementsInForce(
  db: DbExecutor,
  customerId: number,
  onDate: string,
  keys: { category: string | null; series: string | null },
): Promise<DiscountAgreementRow[]> {
  return db
    .selectFrom('discount_agreement')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('valid_from', '<=', onDate)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', onDate)]))
    .where((eb) => {
      const scopes = [eb('scope', '=', 'customer')];
      if (keys.category) scopes.push(eb.and([eb('scope', '=', 'category'), eb('scope_value', '=', keys.category)]));
      if (keys.series) scopes.push(eb.and([eb('scope', '=', 'series'), eb('scope_value', '=', keys.series)]));
      return eb.or(scopes);
    })
    .orderBy('valid_from', 'desc')
    .execute();
}

export async function findAgreementById(db: DbExecutor, id: number): Promise<DiscountAgreementRow | undefined> {
  return db.selectFrom('discount_agreement').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAgreement(db: DbExecutor, values: Insertable<DiscountAgreementTable>): Promise<number> {
  const row = await db.insertInto('discount_agreement').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateAgreement(db: DbExecutor, id: number, values: Updateable<DiscountAgreementTable>): Promise<void> {
  await db.updateTable('discount_agreement').set(values).where('id', '=', id).execute();
}

export async function deleteAgreement(db: DbExecutor, id: number): Promise<void> {
  await db.deleteFrom('discount_agreement').where('id', '=', id).execute();
}

export async function insertAgreementChange(
  db: DbExecutor,
  values: { customerId: number; agreementId: number; action: 'create' | 'update' | 'delete'; before: unknown; after: unknown; reason: string; actorUserId: number; changedAt: string },
): Promise<void> {
  await db
    .insertInto('discount_agreement_change')
    .values({
      customer_id: values.customerId,
      agreement_id: values.agreementId,
      action: values.action,
      before: values.before === null ? null : JSON.stringify(values.before),
      after: values.after === null ? null : JSON.stringify(values.after),
      reason: values.reason,
      actor_user_id: values.actorUserId,
      changed_at: values.changedAt,
    })
    .execute();
}

export async function listAgreementChanges(db: DbExecutor, customerId: number) {
  return db
    .selectFrom('discount_agreement_change')
    .innerJoin('app_user', 'app_user.id', 'discount_agreement_change.actor_user_id')
    .select([
      'discount_agreement_change.id',
      'discount_agreement_change.agreement_id',
      'discount_agreement_change.action',
      'discount_agreement_change.before',
      'discount_agreement_change.after',
      'discount_agreement_change.reason',
      'discount_agreement_change.changed_at',
      'app_user.id as actor_id',
      'app_user.name as actor_name',
    ])
    .where('discount_agreement_change.customer_id', '=', customerId)
    .orderBy('discount_agreement_change.id', 'desc')
    .limit(100)
    .execute();
}
