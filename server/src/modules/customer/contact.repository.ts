import type { ContactInput } from '@shared/api/customer.js';
import type { Selectable } from 'kysely';
import type { DbExecutor } from '../../db/database.js';
import type { ContactTable } from './customer.tables.js';

export type ContactRow = Selectable<ContactTable>;

export async function insertContact(db: DbExecutor, customerId: number, contact: ContactInput, actorUserId: number, now: Date): Promise<number> {
  const at = now.toISOString();
  const row = await db
    .insertInto('contact')
    .values({
      customer_id: customerId,
      name: contact.name,
      title: contact.title ?? null,
      role: contact.role,
      mobile: contact.mobile ?? null,
      landline: contact.landline ?? null,
      email: contact.email ?? null,
      is_key: contact.isKey ? 1 : 0,
      notes: contact.notes ?? null,
      created_by: actorUserId,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateContact(db: DbExecutor, id: number, contact: ContactInput, now: Date): Promise<void> {
  await db
    .updateTable('contact')
    .set({
      name: contact.name,
      title: contact.title ?? null,
      role: contact.role,
      mobile: contact.mobile ?? null,
      landline: contact.landline ?? null,
      email: contact.email ?? null,
      is_key: contact.isKey ? 1 : 0,
      notes: contact.notes ?? null,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteContact(db: DbExecutor, id: number): Promise<void> {
  await db.deleteFrom('contact').where('id', '=', id).execute();
}

export async function findContactById(db: DbExecutor, id: number): Promise<ContactRow | undefined> {
  return db.selectFrom('contact').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Key contacts first, then by name. */
export async function listContacts(db: DbExecutor, customerId: number): Promise<ContactRow[]> {
  return db.selectFrom('contact').selectAll().where('customer_id', '=', customerId).orderBy('is_key', 'desc').orderBy('id').execute();
}
