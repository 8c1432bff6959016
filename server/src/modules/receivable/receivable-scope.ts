import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';

/**
 * Money records (plans, receipts, invoices, shipments, returns, statements) belong to a customer and are
 * visible to whoever may see the customer's owner in the 'money' scope: finance, executives and admins
 * all; a manager the owners in their department subtree; a rep the customers they own. Collaborators on
 * a customer do not see its money.
 *
 * NOTE: the owner is read from the customer table here, because filtering a million plans through a
 * service call per customer would not meet the list and aging budgets. This file is the only place the
 * receivable module reads customer and contract columns.
 */
export function ownedCustomerIds(db: DbExecutor, ownerIds: readonly number[]) {
  return db
    .selectFrom('customer')
    .select('customer.id')
    .where('customer.owner_id', 'in', ownerIds.length > 0 ? [...ownerIds] : [-1]);
}

/** Returns the customer-id subquery a scoped query filters on, or undefined for the 'all' scope (no filter). */
export function scopedCustomerIds(db: DbExecutor, scope: DataScope) {
  return scope.kind === 'all' ? undefined : ownedCustomerIds(db, scope.userIds);
}

export interface ReceivableCustomer {
  id: number;
  name: string;
  shortName: string | null;
  ownerId: number | null;
  ownerName: string | null;
  creditCode: string | null;
  address: string | null;
}

export async function findReceivableCustomer(db: DbExecutor, customerId: number): Promise<ReceivableCustomer | undefined> {
  const row = await db
    .selectFrom('customer')
    .leftJoin('app_user', 'app_user.id', 'customer.owner_id')
    .select(['customer.id', 'customer.name', 'customer.short_name', 'customer.owner_id', 'customer.credit_code', 'customer.address', 'app_user.name as owner_name'])
    .where('customer.id', '=', customerId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    shortName: row.short_name,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    creditCode: row.credit_code,
    address: row.address,
  };
}

/** Customers matched by exact full or short name, for bank statement and distribution system imports. */
export async function findCustomersByName(db: DbExecutor, name: string): Promise<{ id: number; name: string; ownerId: number | null }[]> {
  const rows = await db
    .selectFrom('customer')
    .select(['id', 'name', 'owner_id'])
    .where((eb) => eb.or([eb('name', '=', name), eb('short_name', '=', name)]))
    .limit(5)
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, ownerId: row.owner_id }));
}

/** Customer names and owners for a page of records, in one query. */
export async function listCustomerNames(db: DbExecutor, customerIds: readonly number[]): Promise<Map<number, { name: string; ownerId: number | null; ownerName: string | null }>> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('customer')
    .leftJoin('app_user', 'app_user.id', 'customer.owner_id')
    .select(['customer.id', 'customer.name', 'customer.owner_id', 'app_user.name as owner_name'])
    .where('customer.id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, { name: row.name, ownerId: row.owner_id, ownerName: row.owner_name }]));
}

export interface ReceivableContract {
  id: number;
  number: string;
  title: string;
  customerId: number;
  ownerId: number;
  status: string;
  totalNetFen: number;
}

/** Contract statuses whose contract is in force: money can be planned, shipped, invoiced against it. */
export const contractInForceStatuses = ['approved', 'sealed', 'archived'];

export async function findReceivableContract(db: DbExecutor, contractId: number): Promise<ReceivableContract | undefined> {
  const row = await db
    .selectFrom('contract')
    .select(['id', 'number', 'title', 'customer_id', 'owner_id', 'status', 'total_net_fen'])
    .where('id', '=', contractId)
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, number: row.number, title: row.title, customerId: row.customer_id, ownerId: row.owner_id, status: row.status, totalNetFen: row.total_net_fen };
}

export async function listContractNumbers(db: DbExecutor, contractIds: readonly (number | null)[]): Promise<Map<number, string>> {
  const ids = [...new Set(contractIds.filter((id): id is number => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('contract').select(['id', 'number']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.number]));
}

export async function findContractIdByNumber(db: DbExecutor, number: string): Promise<number | undefined> {
  const row = await db.selectFrom('contract').select('id').where('number', '=', number).executeTakeFirst();
  return row?.id;
}

/** Name of the publishing house: the root of the synced org chart. */
export async function findPublisherName(db: DbExecutor): Promise<string> {
  const row = await db.selectFrom('department').select('name').where('parent_id', 'is', null).where('active', '=', 1).orderBy('id').limit(1).executeTakeFirst();
  return row?.name ?? '出版社';
}

/** Customers whose money the scope covers, by name or short name, for the receipt and statement pickers. */
export async function searchMoneyCustomers(db: DbExecutor, scope: DataScope, text: string, limit: number) {
  let query = db
    .selectFrom('customer')
    .leftJoin('app_user', 'app_user.id', 'customer.owner_id')
    .select(['customer.id', 'customer.name', 'customer.owner_id', 'app_user.name as owner_name'])
    .where('customer.owner_id', 'is not', null);
  if (scope.kind === 'users') query = query.where('customer.owner_id', 'in', scope.userIds.length > 0 ? scope.userIds : [-1]);
  const pattern = text.replace(/[%_]/g, '').trim();
  if (pattern) query = query.where((eb) => eb.or([eb('customer.name', 'like', `%${pattern}%`), eb('customer.short_name', 'like', `%${pattern}%`)]));
  const rows = await query.orderBy('customer.name').limit(limit).execute();
  return rows.map((row) => ({ id: row.id, name: row.name, ownerId: row.owner_id, ownerName: row.owner_name }));
}
