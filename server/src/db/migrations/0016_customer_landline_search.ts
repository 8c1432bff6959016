import type { Kysely } from 'kysely';
import { indexLandlines } from '../../modules/customer/customer-search.repository.js';
import type { Database } from '../schema.js';

/**
 * Contact landlines join the customer search index: each number with and without its area code becomes a
 * term, and search_text carries them for longer queries. From now on the customer services write these
 * whenever a contact changes; this backfills customers whose contacts already had a landline.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const typed = db as Kysely<Database>;
  for (let lastId = 0; ; ) {
    const withLandline = await typed
      .selectFrom('contact')
      .select('customer_id')
      .distinct()
      .where('landline', 'is not', null)
      .where('customer_id', '>', lastId)
      .orderBy('customer_id')
      .limit(1000)
      .execute();
    if (withLandline.length === 0) return;
    const customers = await typed
      .selectFrom('customer')
      .select(['id', 'name', 'short_name', 'credit_code'])
      .where('id', 'in', withLandline.map((row) => row.customer_id))
      .execute();
    await indexLandlines(typed, customers);
    lastId = withLandline[withLandline.length - 1]!.customer_id;
  }
}
