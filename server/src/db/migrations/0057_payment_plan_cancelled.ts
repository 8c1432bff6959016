import { sql, type Kysely } from 'kysely';

/**
 * Lets a payment plan be cancelled (已取消) when its contract is voided: status 'cancelled', the amount
 * written off in `cancelled_fen` and the time in `cancelled_at`. A cancelled plan keeps the money already
 * allocated to it, so `allocated_fen + cancelled_fen = amount_fen`. A fully received plan of a voided
 * contract stays 'received' but gets `cancelled_at`, so that reversing one of its allocations later
 * cancels the reversed amount instead of reopening the plan.
 *
 * Unpaid now means status in ('open', 'partial'), so the partial indexes are rebuilt with that
 * condition. Queries repeat it as literal SQL (payment-plan.repository.ts, unpaidPlan), because SQLite
 * uses a partial index only when the query's WHERE clause contains the index condition's terms.
 *
 * SQLite cannot change a CHECK constraint in place, so the table is rebuilt by the procedure of the
 * SQLite manual ("Making Other Kinds Of Table Schema Changes"): foreign key enforcement off, new table,
 * copy, drop, rename, indexes again, foreign key check. Indexes and triggers other modules put on
 * payment_plan are re-created from their stored SQL.
 * NOTE: on PostgreSQL the same change is ALTER TABLE … DROP CONSTRAINT / ADD CONSTRAINT / ADD COLUMN;
 * this rebuild reads sqlite_master and runs on SQLite only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      const ownIndexes = ['payment_plan_customer_due_index', 'payment_plan_overdue_scan_index', 'payment_plan_unpaid_aging_index', 'payment_plan_unpaid_customer_index'];
      // Indexes and triggers of other modules on payment_plan, re-created after the rebuild.
      const dependents = await sql<{ type: string; name: string; sql: string }>`select type, name, sql from sqlite_master where type in ('index', 'trigger') and tbl_name = 'payment_plan' and sql is not null`.execute(trx);

      await trx.schema
        .createTable('payment_plan_rebuilt')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
        .addColumn('contract_id', 'integer', (c) => c.references('contract.id'))
        .addColumn('consignment_settlement_id', 'integer', (c) => c.unique().references('consignment_settlement.id'))
        .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq > 0`))
        .addColumn('due_date', 'text', (c) => c.notNull().check(sql`length(due_date) = 10`))
        .addColumn('amount_fen', 'integer', (c) => c.notNull().check(sql`amount_fen > 0`))
        .addColumn('allocated_fen', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','partial','received','cancelled')`))
        .addColumn('overdue_notified_days', 'integer', (c) => c.notNull().defaultTo(0).check(sql`overdue_notified_days >= 0`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('cancelled_fen', 'integer', (c) => c.notNull().defaultTo(0).check(sql`cancelled_fen >= 0`))
        .addColumn('cancelled_at', 'text')
        .addUniqueConstraint('payment_plan_contract_seq_unique', ['contract_id', 'seq'])
        // The database rejects over-allocation even if two requests race past the service's own check.
        .addCheckConstraint('payment_plan_allocated_check', sql`allocated_fen >= 0 and allocated_fen + cancelled_fen <= amount_fen`)
        .addCheckConstraint(
          'payment_plan_status_check',
          sql`(status = 'open' and allocated_fen = 0 and cancelled_fen = 0 and cancelled_at is null)
            or (status = 'partial' and allocated_fen > 0 and allocated_fen < amount_fen and cancelled_fen = 0 and cancelled_at is null)
            or (status = 'received' and allocated_fen = amount_fen and cancelled_fen = 0)
            or (status = 'cancelled' and cancelled_fen > 0 and allocated_fen + cancelled_fen = amount_fen and cancelled_at is not null)`,
        )
        .addCheckConstraint('payment_plan_source_check', sql`(contract_id is null) <> (consignment_settlement_id is null)`)
        .execute();

      await sql`insert into payment_plan_rebuilt (id, customer_id, contract_id, consignment_settlement_id, seq, due_date, amount_fen, allocated_fen, status, overdue_notified_days, created_at)
        select id, customer_id, contract_id, consignment_settlement_id, seq, due_date, amount_fen, allocated_fen, status, overdue_notified_days, created_at from payment_plan`.execute(trx);
      await trx.schema.dropTable('payment_plan').execute();
      await trx.schema.alterTable('payment_plan_rebuilt').renameTo('payment_plan').execute();

      const unpaid = sql<boolean>`status in ('open', 'partial')`;
      await trx.schema.createIndex('payment_plan_customer_due_index').on('payment_plan').columns(['customer_id', 'due_date']).execute();
      // The daily overdue scan reads one range per notified threshold (see 0054).
      await trx.schema.createIndex('payment_plan_overdue_scan_index').on('payment_plan').columns(['overdue_notified_days', 'due_date', 'id']).where(unpaid).execute();
      // Aging reads unpaid plans from the index alone, in due-date order or per customer. `status` is a
      // column too, because SQLite treats an index as covering only when it has every column the query names.
      await trx.schema
        .createIndex('payment_plan_unpaid_aging_index')
        .on('payment_plan')
        .columns(['due_date', 'customer_id', 'amount_fen', 'allocated_fen', 'status'])
        .where(unpaid)
        .execute();
      await trx.schema
        .createIndex('payment_plan_unpaid_customer_index')
        .on('payment_plan')
        .columns(['customer_id', 'due_date', 'amount_fen', 'allocated_fen', 'status'])
        .where(unpaid)
        .execute();
      for (const dependent of dependents.rows) {
        if (!ownIndexes.includes(dependent.name)) await sql.raw(dependent.sql).execute(trx);
      }

      // Ids are copied unchanged, so rows that reference plans still match; this checks the plans' own references.
      const orphans = await sql`pragma foreign_key_check(payment_plan)`.execute(trx);
      if (orphans.rows.length > 0) throw new Error(`payment_plan rebuild left ${orphans.rows.length} foreign key violations, first: ${JSON.stringify(orphans.rows[0])}`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
