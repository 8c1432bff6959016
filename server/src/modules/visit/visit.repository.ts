import type { Insertable, Selectable, Updateable } from 'kysely';
import type { VisitPurpose } from '@shared/visit-rules.js';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import type { VisitContactTable, VisitShelfItemTable, VisitTable } from './visit.tables.js';

export type VisitRow = Selectable<VisitTable> & { owner_name: string };
export type NewVisitRow = Insertable<VisitTable>;

export async function insertVisit(db: DbExecutor, row: NewVisitRow): Promise<number> {
  const inserted = await db.insertInto('visit').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findVisitById(db: DbExecutor, id: number): Promise<VisitRow | undefined> {
  return db
    .selectFrom('visit')
    .innerJoin('app_user', 'app_user.id', 'visit.owner_id')
    .selectAll('visit')
    .select('app_user.name as owner_name')
    .where('visit.id', '=', id)
    .executeTakeFirst();
}

export async function updateVisit(db: DbExecutor, id: number, changes: Updateable<VisitTable>): Promise<void> {
  await db.updateTable('visit').set(changes).where('id', '=', id).execute();
}

export async function listVisitContacts(db: DbExecutor, visitId: number) {
  return db.selectFrom('visit_contact').select(['contact_id', 'name']).where('visit_id', '=', visitId).orderBy('seq').execute();
}

export async function replaceVisitContacts(db: DbExecutor, visitId: number, contacts: { contactId: number | null; name: string }[]): Promise<void> {
  await db.deleteFrom('visit_contact').where('visit_id', '=', visitId).execute();
  if (contacts.length === 0) return;

  const rows: Insertable<VisitContactTable>[] = contacts.map((contact, index) => ({ visit_id: visitId, seq: index + 1, contact_id: contact.contactId, name: contact.name }));
  await db.insertInto('visit_contact').values(rows).execute();
}

export async function listShelfItems(db: DbExecutor, visitId: number) {
  return db.selectFrom('visit_shelf_item').selectAll().where('visit_id', '=', visitId).orderBy('id').execute();
}

export async function replaceShelfItems(db: DbExecutor, visitId: number, items: Omit<Insertable<VisitShelfItemTable>, 'visit_id'>[]): Promise<void> {
  await db.deleteFrom('visit_shelf_item').where('visit_id', '=', visitId).execute();
  if (items.length === 0) return;

  await db
    .insertInto('visit_shelf_item')
    .values(items.map((item) => ({ ...item, visit_id: visitId })))
    .execute();
}

/** Finds the latest earlier visit at this customer with a shelf check, for "expected titles". */
export async function findPreviousShelfCheckVisitId(db: DbExecutor, customerId: number, beforeCheckInAt: string, excludeVisitId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('visit')
    .select('visit.id')
    .where('visit.customer_id', '=', customerId)
    .where('visit.check_in_at', '<', beforeCheckInAt)
    .where('visit.id', '!=', excludeVisitId)
    .where((eb) => eb.exists(eb.selectFrom('visit_shelf_item').select('visit_shelf_item.id').whereRef('visit_shelf_item.visit_id', '=', 'visit.id')))
    .orderBy('visit.check_in_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

export interface VisitListFilter {
  /** Owners whose visits are listed; `all` for no owner restriction. */
  owners: DataScope;
  customerId?: number;
  ownerId?: number;
  from?: string;
  to?: string;
  purpose?: VisitPurpose;
  flagged?: boolean;
  beforeId?: number;
  limit: number;
}

export async function listVisits(db: DbExecutor, filter: VisitListFilter) {
  let query = db
    .selectFrom('visit')
    .innerJoin('app_user', 'app_user.id', 'visit.owner_id')
    .select([
      'visit.id',
      'visit.customer_id',
      'visit.customer_name',
      'visit.owner_id',
      'app_user.name as owner_name',
      'visit.purpose',
      'visit.status',
      'visit.check_in_at',
      'visit.check_out_at',
      'visit.duration_minutes',
      'visit.distance_m',
      'visit.location_status',
      'visit.flagged',
      'visit.delayed_upload',
      'visit.outcome',
      'visit.follow_up_date',
    ]);

  if (filter.owners.kind === 'users') query = query.where('visit.owner_id', 'in', filter.owners.userIds);
  if (filter.customerId !== undefined) query = query.where('visit.customer_id', '=', filter.customerId);
  if (filter.ownerId !== undefined) query = query.where('visit.owner_id', '=', filter.ownerId);
  if (filter.from !== undefined) query = query.where('visit.check_in_date', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('visit.check_in_date', '<=', filter.to);
  if (filter.purpose !== undefined) query = query.where('visit.purpose', '=', filter.purpose);
  if (filter.flagged !== undefined) query = query.where('visit.flagged', '=', filter.flagged ? 1 : 0);
  if (filter.beforeId !== undefined) query = query.where('visit.id', '<', filter.beforeId);

  return query.orderBy('visit.id', 'desc').limit(filter.limit).execute();
}

export async function countVisitsInRange(db: DbExecutor, owners: DataScope, from: string, to: string): Promise<number> {
  let query = db
    .selectFrom('visit')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('check_in_date', '>=', from)
    .where('check_in_date', '<=', to);
  if (owners.kind === 'users') query = query.where('owner_id', 'in', owners.userIds);

  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function listOpenFollowUps(db: DbExecutor, ownerId: number, dueOnOrBefore: string, limit: number) {
  return db
    .selectFrom('visit')
    .select(['id', 'customer_id', 'customer_name', 'next_step', 'follow_up_date'])
    .where('owner_id', '=', ownerId)
    .where('follow_up_date', 'is not', null)
    .where('follow_up_done_at', 'is', null)
    .where('follow_up_date', '<=', dueOnOrBefore)
    .orderBy('follow_up_date')
    .limit(limit)
    .execute();
}
