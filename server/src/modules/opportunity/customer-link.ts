import type { DbExecutor } from '../../db/database.js';

/**
 * Display names of customers for opportunity and quote lists, in one query per page.
 * NOTE: this reads the customer table directly because the customer module has no batch name lookup yet;
 * move it behind a customer service function when one exists.
 */
export async function listCustomerNames(db: DbExecutor, customerIds: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(customerIds)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('customer').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
