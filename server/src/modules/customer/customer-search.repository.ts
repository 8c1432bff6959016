import type { DbExecutor } from '../../db/database.js';
import { buildPhoneSearchTerms, buildSearchKeys, withPhoneSearchText } from './customer.rules.js';

/** Rewrites one customer's search terms (after create or a name change). */
export async function replaceSearchTerms(db: DbExecutor, customerId: number, terms: string[]): Promise<void> {
  await db.deleteFrom('customer_search_term').where('customer_id', '=', customerId).execute();
  await insertSearchTerms(db, terms.map((term) => ({ term, customer_id: customerId })));
}

/** Multi-row insert in chunks (two parameters a row). */
export async function insertSearchTerms(db: DbExecutor, rows: { term: string; customer_id: number }[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 5000) {
    await db
      .insertInto('customer_search_term')
      .values(rows.slice(start, start + 5000))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** The smallest string greater than every string starting with `prefix`: the exclusive end of a prefix range. */
export function prefixUpperBound(prefix: string): string {
  const characters = [...prefix];
  const last = characters.pop()!;
  return characters.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
}

/**
 * Customers with a term starting with `prefix`, at most `limit` of them. Returns undefined when there are
 * more: such a common term is better served by scanning in list order and stopping at the page.
 */
export async function findCustomersByTermPrefix(db: DbExecutor, prefix: string, limit: number): Promise<number[] | undefined> {
  // One customer can match through several terms; reading three rows per customer keeps the cut-off honest.
  const rows = await db
    .selectFrom('customer_search_term')
    .select('customer_id')
    .where('term', '>=', prefix)
    .where('term', '<', prefixUpperBound(prefix))
    .limit(limit * 3 + 1)
    .execute();
  const ids = [...new Set(rows.map((row) => row.customer_id))];
  if (rows.length > limit * 3 || ids.length > limit) return undefined;
  return ids;
}

/** Customers with a contact whose mobile starts with these digits. */
export async function findCustomersByMobilePrefix(db: DbExecutor, digits: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('contact')
    .select('customer_id')
    .where('mobile', '>=', digits)
    .where('mobile', '<', prefixUpperBound(digits))
    .limit(limit)
    .execute();
  return [...new Set(rows.map((row) => row.customer_id))];
}

export async function listCollaborationCustomerIds(db: DbExecutor, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('customer_collaborator').select('customer_id').where('user_id', '=', userId).execute();
  return rows.map((row) => row.customer_id);
}

/**
 * Rebuilds the whole search index from the customer and contact tables, for data written around the
 * services (a bulk generator, a restore from another system). Customers with contact landlines also get
 * their search_text rewritten to carry the numbers. Returns the number of customers indexed.
 */
export async function rebuildSearchTerms(db: DbExecutor, buildTerms: (name: string, shortName: string | null, creditCode: string | null) => string[]): Promise<number> {
  await db.deleteFrom('customer_search_term').execute();
  let count = 0;
  for (let lastId = 0; ; ) {
    const customers = await db.selectFrom('customer').select(['id', 'name', 'short_name', 'credit_code']).where('id', '>', lastId).orderBy('id').limit(1000).execute();
    if (customers.length === 0) return count;
    await insertSearchTerms(db, customers.flatMap((customer) => buildTerms(customer.name, customer.short_name, customer.credit_code).map((term) => ({ term, customer_id: customer.id }))));
    lastId = customers[customers.length - 1]!.id;
    await indexLandlines(db, customers);
    count += customers.length;
  }
}

/** Adds the landline terms of these customers' contacts and appends the numbers to their search_text. */
export async function indexLandlines(db: DbExecutor, customers: readonly { id: number; name: string; short_name: string | null; credit_code: string | null }[]): Promise<void> {
  if (customers.length === 0) return;
  const contacts = await db
    .selectFrom('contact')
    .select(['customer_id', 'landline'])
    .where('customer_id', 'in', customers.map((customer) => customer.id))
    .where('landline', 'is not', null)
    .execute();
  const landlinesByCustomer = new Map<number, string[]>();
  for (const contact of contacts) landlinesByCustomer.set(contact.customer_id, [...(landlinesByCustomer.get(contact.customer_id) ?? []), contact.landline!]);

  const termRows: { term: string; customer_id: number }[] = [];
  for (const customer of customers) {
    const phoneTerms = buildPhoneSearchTerms(landlinesByCustomer.get(customer.id) ?? []);
    if (phoneTerms.length === 0) continue;
    const searchText = withPhoneSearchText(buildSearchKeys(customer.name, customer.short_name, customer.credit_code).searchText, phoneTerms);
    await db.updateTable('customer').set({ search_text: searchText }).where('id', '=', customer.id).execute();
    for (const term of phoneTerms) termRows.push({ term, customer_id: customer.id });
  }
  await insertSearchTerms(db, termRows);
}
