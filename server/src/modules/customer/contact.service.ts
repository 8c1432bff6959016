import type { Contact, ContactInput } from '@shared/api/customer.js';
import { contactRoleSchema } from '@shared/api/customer.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { conflict, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { deleteContact, findContactById, insertContact, listContacts, updateContact, type ContactRow } from './contact.repository.js';
import { loadCustomerAccess, loadVisibleCustomerOrThrow, type CustomerAccess } from './customer-access.js';
import { assertCanEdit } from './customer-profile.service.js';
import { assertNoDuplicate, duplicateError, findDuplicate, isUniqueViolation } from './duplicate-check.service.js';
import { refreshCustomerSearchIndex } from './customer-search-index.js';
import { appendTimeline } from './timeline.service.js';

/** Contacts belong to one customer and are visible to whoever sees the customer. */

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    title: row.title,
    role: contactRoleSchema.catch('other').parse(row.role),
    mobile: row.mobile,
    landline: row.landline,
    email: row.email,
    isKey: row.is_key === 1,
    notes: row.notes,
    updatedAt: row.updated_at,
  };
}

export async function listCustomerContacts(db: Db, actor: Actor, customerId: number): Promise<Contact[]> {
  const access = await loadCustomerAccess(db, actor);
  await loadVisibleCustomerOrThrow(db, access, customerId);
  return (await listContacts(db, customerId)).map(toContact);
}

/** Adds a contact; a mobile already used at another customer is a duplicate customer and is refused. */
export async function addContact(db: Db, actor: Actor, customerId: number, input: ContactInput, now: Date): Promise<Contact> {
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, customerId);
  await assertCanEdit(access, relation);
  const mobiles = input.mobile ? [input.mobile] : [];

  try {
    const id = await db.transaction().execute(async (trx) => {
      await assertNoDuplicate(trx, access, { mobiles, excludeCustomerId: customerId });
      const contactId = await insertContact(trx, customerId, input, actor.id, now);
      await refreshCustomerSearchIndex(trx, customerId);
      await appendTimeline(trx, { customerId, kind: 'contact', refType: 'contact', refId: contactId, title: `新增联系人 ${input.name}`, actorUserId: actor.id, occurredAt: now });
      return contactId;
    });
    return toContact((await findContactById(db, id))!);
  } catch (error) {
    throw await translateMobileConflict(db, access, error, mobiles, customerId);
  }
}

export async function editContact(db: Db, actor: Actor, contactId: number, input: ContactInput, now: Date): Promise<Contact> {
  const contact = await findContactById(db, contactId);
  if (!contact) throw notFound('联系人');
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, contact.customer_id).catch(() => {
    throw notFound('联系人');
  });
  await assertCanEdit(access, relation);
  const mobiles = input.mobile ? [input.mobile] : [];

  try {
    await db.transaction().execute(async (trx) => {
      await assertNoDuplicate(trx, access, { mobiles, excludeCustomerId: contact.customer_id });
      await updateContact(trx, contactId, input, now);
      if (input.landline !== contact.landline) await refreshCustomerSearchIndex(trx, contact.customer_id);
    });
  } catch (error) {
    throw await translateMobileConflict(db, access, error, mobiles, contact.customer_id);
  }
  return toContact((await findContactById(db, contactId))!);
}

export async function removeContact(db: Db, actor: Actor, contactId: number, now: Date): Promise<void> {
  const contact = await findContactById(db, contactId);
  if (!contact) throw notFound('联系人');
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, contact.customer_id).catch(() => {
    throw notFound('联系人');
  });
  await assertCanEdit(access, relation);

  await db.transaction().execute(async (trx) => {
    await deleteContact(trx, contactId);
    if (contact.landline) await refreshCustomerSearchIndex(trx, contact.customer_id);
    await appendTimeline(trx, { customerId: contact.customer_id, kind: 'contact', title: `删除联系人 ${contact.name}`, actorUserId: actor.id, occurredAt: now });
    await appendAudit(trx, { actorUserId: actor.id, action: 'contact.delete', entityType: 'customer', entityId: contact.customer_id, data: { contactId, name: contact.name }, occurredAt: now });
  });
}

/**
 * A UNIQUE failure on contact.mobile means the number is taken: at this customer (a second contact with
 * the same number) or at another one, raced in after the check (a duplicate customer).
 */
async function translateMobileConflict(db: Db, access: CustomerAccess, error: unknown, mobiles: string[], customerId: number): Promise<unknown> {
  if (!isUniqueViolation(error) || mobiles.length === 0) return error;
  const hit = await findDuplicate(db, { mobiles, excludeCustomerId: customerId });
  if (hit) return duplicateError(db, access, hit);
  return conflict('contact_mobile_taken', `手机号 ${mobiles[0]} 已是本客户另一位联系人的号码`);
}
