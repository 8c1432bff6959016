import type { DbExecutor } from '../../db/database.js';
import { replaceSearchTerms } from './customer-search.repository.js';
import { buildPhoneSearchTerms, buildSearchKeys, buildSearchTerms, withPhoneSearchText } from './customer.rules.js';

/**
 * Rewrites one customer's search entry, search_text and its rows in customer_search_term, from its name,
 * short name, credit code and its contacts' landlines. Call it inside the transaction that changes any of
 * them (customer create or rename, contact add, edit or delete) so a search never reads a half-written entry.
 */
export async function refreshCustomerSearchIndex(db: DbExecutor, customerId: number): Promise<void> {
  const customer = await db.selectFrom('customer').select(['name', 'short_name', 'credit_code']).where('id', '=', customerId).executeTakeFirstOrThrow();
  const contacts = await db.selectFrom('contact').select('landline').where('customer_id', '=', customerId).where('landline', 'is not', null).execute();

  const phoneTerms = buildPhoneSearchTerms(contacts.map((contact) => contact.landline));
  const keys = buildSearchKeys(customer.name, customer.short_name, customer.credit_code);
  await db.updateTable('customer').set({ search_text: withPhoneSearchText(keys.searchText, phoneTerms) }).where('id', '=', customerId).execute();

  const terms = new Set([...buildSearchTerms(customer.name, customer.short_name, customer.credit_code), ...phoneTerms]);
  await replaceSearchTerms(db, customerId, [...terms]);
}
