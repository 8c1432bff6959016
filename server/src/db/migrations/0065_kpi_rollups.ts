import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';

/**
 * Monthly KPI totals kept up to date by triggers, so the dashboard reads a few thousand rows instead of
 * grouping millions of visits and money records on every request.
 *
 * - kpi_owner_month: per owner and month, the counts and fen sums of every additive KPI. Business
 *   records (customers, visits, opportunities, contracts) count for their own owner. Money records
 *   (shipments, confirmed returns, active receipts) count for the CURRENT owner of their customer, the
 *   rule the receivables lists apply, so a customer's move to another owner moves its money too.
 *   `owner_key` is the owner's user id, or 0 for records without one (customers in the pool).
 * - kpi_customer_month: money per customer and month. It is what the customer owner trigger moves
 *   between owners.
 * - kpi_visit_coverage: visits per (owner, customer, month), for distinct customers covered, which do
 *   not add up across months or owners. A row is deleted when its count drops to 0.
 *
 * Months are 'YYYY-MM' in Asia/Shanghai: date columns are already local dates, and instant columns
 * (UTC ISO strings) are shifted by +8 hours, which is exact because Shanghai has had no daylight saving
 * time since 1991. The KPI code reads the rollups only for periods whose bounds fall on +08:00 local
 * midnights and reads the raw tables otherwise.
 *
 * Every figure is maintained by AFTER INSERT, UPDATE and DELETE triggers on the source tables, so no
 * write path (services, imports, seed scripts with raw SQL) can leave the totals behind. Each trigger
 * subtracts the old row's contribution and adds the new row's. The exception is INSERT OR REPLACE on a
 * source table: SQLite fires no delete trigger for the replaced row unless recursive_triggers is on, and
 * no code writes the source tables that way. A later migration that rebuilds a source table (create,
 * copy, drop, rename) drops its triggers too and must create them again from kpiRollupTriggers(); the
 * rollup test in server/src/modules/kpi fails while one is missing.
 *
 * NOTE: the trigger syntax (CREATE TRIGGER … BEGIN … END, `new`/`old` row references, upserts inside a
 * trigger) is SQLite's, as for the audit and approval history triggers. A PostgreSQL deployment needs
 * each trigger rewritten as a plpgsql function called by a FOR EACH ROW AFTER trigger, with
 * strftime(col, '+8 hours') replaced by to_char(col::timestamptz AT TIME ZONE 'Asia/Shanghai',
 * 'YYYY-MM'). INSERT … ON CONFLICT DO UPDATE exists there too; qualify the target table's columns in
 * the SET expressions.
 */

/** Additive columns of kpi_owner_month, each counting one KPI. */
const ownerMonthColumns = [
  'new_customers',
  'visits',
  'opportunities_created',
  'opportunities_won',
  'opportunities_lost',
  'contracts_signed',
  'contract_amount_fen',
  'shipped_net_fen',
  'shipped_list_fen',
  'returned_net_fen',
  'returned_list_fen',
  'receipts_fen',
] as const;

const moneyColumns = ['shipped_net_fen', 'shipped_list_fen', 'returned_net_fen', 'returned_list_fen', 'receipts_fen'] as const;

type RowName = 'new' | 'old';

/**
 * What one source row adds to a rollup table: the key columns, the month, the values, and the condition
 * under which the row counts at all. Each is an SQL expression over the row reference (`new.` or `old.`).
 */
interface Contribution {
  table: 'kpi_owner_month' | 'kpi_customer_month';
  keyColumn: 'owner_key' | 'customer_id';
  key: (row: RowName) => string;
  month: (row: RowName) => string;
  counts: (row: RowName) => string;
  values: Record<string, (row: RowName) => string>;
}

const always = () => '1';
const localMonthOfInstant = (column: string) => `strftime('%Y-%m', ${column}, '+8 hours')`;
const monthOfDate = (column: string) => `substr(${column}, 1, 7)`;
const ownerOfCustomer = (row: RowName) => `coalesce((select owner_id from customer where id = ${row}.customer_id), 0)`;

/** Statuses of a contract that was approved and not voided, as kpi.sources.ts counts them. */
const signedContractStatuses = `('approved','sealed','archived','void_review')`;

/** Upserts one row's contribution, negated for the old row of an update or delete. */
function applyContribution(contribution: Contribution, row: RowName): string {
  const sign = row === 'old' ? '-' : '';
  const columns = Object.keys(contribution.values);
  const values = Object.values(contribution.values).map((value) => `${sign}(${value(row)})`);
  const month = contribution.month(row);
  const counts = contribution.counts(row);
  return `insert into ${contribution.table} (${contribution.keyColumn}, month, ${columns.join(', ')})
    select ${contribution.key(row)}, ${month}, ${values.join(', ')}
    where (${counts}) and ${month} is not null
    on conflict (${contribution.keyColumn}, month) do update set ${columns.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')};`;
}

const customerCreated: Contribution = {
  table: 'kpi_owner_month',
  keyColumn: 'owner_key',
  key: (row) => `coalesce(${row}.owner_id, 0)`,
  month: (row) => localMonthOfInstant(`${row}.created_at`),
  counts: always,
  values: { new_customers: () => '1' },
};

const visitMade: Contribution = {
  table: 'kpi_owner_month',
  keyColumn: 'owner_key',
  key: (row) => `${row}.owner_id`,
  month: (row) => monthOfDate(`${row}.check_in_date`),
  counts: always,
  values: { visits: () => '1' },
};

const opportunityCreated: Contribution = {
  table: 'kpi_owner_month',
  keyColumn: 'owner_key',
  key: (row) => `${row}.owner_id`,
  month: (row) => localMonthOfInstant(`${row}.created_at`),
  counts: always,
  values: { opportunities_created: () => '1' },
};

const opportunityClosed: Contribution = {
  table: 'kpi_owner_month',
  keyColumn: 'owner_key',
  key: (row) => `${row}.owner_id`,
  month: (row) => localMonthOfInstant(`${row}.closed_at`),
  counts: (row) => `${row}.stage in ('won','lost')`,
  values: { opportunities_won: (row) => `${row}.stage = 'won'`, opportunities_lost: (row) => `${row}.stage = 'lost'` },
};

const contractSigned: Contribution = {
  table: 'kpi_owner_month',
  keyColumn: 'owner_key',
  key: (row) => `${row}.owner_id`,
  month: (row) => localMonthOfInstant(`${row}.approved_at`),
  counts: (row) => `${row}.status in ${signedContractStatuses}`,
  values: { contracts_signed: () => '1', contract_amount_fen: (row) => `${row}.total_net_fen` },
};

/** A money record's contribution per customer and, under the customer's current owner, per owner. */
function moneyContributions(month: (row: RowName) => string, counts: Contribution['counts'], values: Contribution['values']): Contribution[] {
  return [
    { table: 'kpi_customer_month', keyColumn: 'customer_id', key: (row) => `${row}.customer_id`, month, counts, values },
    { table: 'kpi_owner_month', keyColumn: 'owner_key', key: ownerOfCustomer, month, counts, values },
  ];
}

const shipmentMade = moneyContributions((row) => monthOfDate(`${row}.shipped_date`), always, {
  shipped_net_fen: (row) => `${row}.net_amount_fen`,
  shipped_list_fen: (row) => `${row}.list_amount_fen`,
});

const returnConfirmed = moneyContributions((row) => monthOfDate(`${row}.return_date`), (row) => `${row}.status = 'confirmed'`, {
  returned_net_fen: (row) => `${row}.net_amount_fen`,
  returned_list_fen: (row) => `${row}.list_amount_fen`,
});

const receiptActive = moneyContributions((row) => monthOfDate(`${row}.received_date`), (row) => `${row}.status = 'active'`, {
  receipts_fen: (row) => `${row}.amount_fen`,
});

/** Visit coverage: adds one to the (owner, customer, month) row, or takes one away and drops the row at 0. */
function applyCoverage(row: RowName): string {
  const month = monthOfDate(`${row}.check_in_date`);
  if (row === 'new') {
    return `insert into kpi_visit_coverage (owner_id, customer_id, month, visits) select new.owner_id, new.customer_id, ${month}, 1 where true
      on conflict (owner_id, customer_id, month) do update set visits = visits + 1;`;
  }
  const match = `owner_id = old.owner_id and customer_id = old.customer_id and month = ${month}`;
  // Delete first: decrementing the last visit would break the visits > 0 check.
  return `delete from kpi_visit_coverage where ${match} and visits <= 1;
    update kpi_visit_coverage set visits = visits - 1 where ${match};`;
}

interface SourceTriggers {
  table: string;
  /** Columns whose change alters a contribution; updates of other columns do not fire the trigger. */
  columns: string[];
  statements: (row: RowName) => string[];
}

const sources: SourceTriggers[] = [
  { table: 'customer', columns: ['owner_id', 'created_at'], statements: (row) => [applyContribution(customerCreated, row)] },
  { table: 'visit', columns: ['owner_id', 'customer_id', 'check_in_date'], statements: (row) => [applyContribution(visitMade, row), applyCoverage(row)] },
  { table: 'opportunity', columns: ['owner_id', 'created_at', 'closed_at', 'stage'], statements: (row) => [applyContribution(opportunityCreated, row), applyContribution(opportunityClosed, row)] },
  { table: 'contract', columns: ['owner_id', 'approved_at', 'status', 'total_net_fen'], statements: (row) => [applyContribution(contractSigned, row)] },
  { table: 'shipment', columns: ['customer_id', 'shipped_date', 'net_amount_fen', 'list_amount_fen'], statements: (row) => shipmentMade.map((item) => applyContribution(item, row)) },
  { table: 'return_order', columns: ['customer_id', 'return_date', 'status', 'net_amount_fen', 'list_amount_fen'], statements: (row) => returnConfirmed.map((item) => applyContribution(item, row)) },
  { table: 'receipt', columns: ['customer_id', 'received_date', 'status', 'amount_fen'], statements: (row) => receiptActive.map((item) => applyContribution(item, row)) },
];

/** Moves a customer's money per month from the old owner's totals to the new owner's. */
function customerOwnerMove(): string {
  const moved = (row: RowName, sign: string) => `insert into kpi_owner_month (owner_key, month, ${moneyColumns.join(', ')})
    select coalesce(${row}.owner_id, 0), month, ${moneyColumns.map((column) => `${sign}${column}`).join(', ')} from kpi_customer_month where customer_id = ${row}.id
    on conflict (owner_key, month) do update set ${moneyColumns.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')};`;
  return `create trigger kpi_rollup_customer_owner_move after update of owner_id on customer when old.owner_id is not new.owner_id begin
    ${moved('old', '-')}
    ${moved('new', '')}
  end`;
}

/** Lists the CREATE TRIGGER statements of every rollup trigger. Exported for scripts that suspend them during bulk loads. */
export function kpiRollupTriggers(): { name: string; sql: string }[] {
  const triggers: { name: string; sql: string }[] = [];
  for (const source of sources) {
    const changed = source.columns.map((column) => `old.${column} is not new.${column}`).join(' or ');
    triggers.push(
      { name: `kpi_rollup_${source.table}_insert`, sql: `create trigger kpi_rollup_${source.table}_insert after insert on ${source.table} begin ${source.statements('new').join('\n')} end` },
      { name: `kpi_rollup_${source.table}_delete`, sql: `create trigger kpi_rollup_${source.table}_delete after delete on ${source.table} begin ${source.statements('old').join('\n')} end` },
      {
        name: `kpi_rollup_${source.table}_update`,
        sql: `create trigger kpi_rollup_${source.table}_update after update of ${source.columns.join(', ')} on ${source.table} when ${changed} begin
          ${source.statements('old').join('\n')}
          ${source.statements('new').join('\n')}
        end`,
      },
    );
  }
  triggers.push({ name: 'kpi_rollup_customer_owner_move', sql: customerOwnerMove() });
  return triggers;
}

/**
 * Recomputes every rollup row from the source tables. The migration runs it once; bulk loaders that
 * drop the triggers run it after loading. Each source is grouped on its own and upserted, which keeps
 * the temporary sort to one table at a time.
 */
export async function rebuildKpiRollups(db: QueryExecutorProvider): Promise<void> {
  await sql`delete from kpi_owner_month`.execute(db);
  await sql`delete from kpi_customer_month`.execute(db);
  await sql`delete from kpi_visit_coverage`.execute(db);

  const upsertOwnerMonth = (columns: string[], select: string) =>
    sql
      .raw(
        `insert into kpi_owner_month (owner_key, month, ${columns.join(', ')}) ${select}
        on conflict (owner_key, month) do update set ${columns.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')}`,
      )
      .execute(db);

  await upsertOwnerMonth(['new_customers'], `select coalesce(owner_id, 0), ${localMonthOfInstant('created_at')} as month, count(*) from customer where true group by 1, 2`);
  await upsertOwnerMonth(['visits'], `select owner_id, ${monthOfDate('check_in_date')} as month, count(*) from visit where true group by 1, 2`);
  await upsertOwnerMonth(['opportunities_created'], `select owner_id, ${localMonthOfInstant('created_at')} as month, count(*) from opportunity where true group by 1, 2`);
  await upsertOwnerMonth(
    ['opportunities_won', 'opportunities_lost'],
    `select owner_id, ${localMonthOfInstant('closed_at')} as month, sum(stage = 'won'), sum(stage = 'lost') from opportunity where stage in ('won','lost') and closed_at is not null group by 1, 2`,
  );
  await upsertOwnerMonth(
    ['contracts_signed', 'contract_amount_fen'],
    `select owner_id, ${localMonthOfInstant('approved_at')} as month, count(*), sum(total_net_fen) from contract where status in ${signedContractStatuses} and approved_at is not null group by 1, 2`,
  );

  const upsertCustomerMonth = (columns: string[], select: string) =>
    sql
      .raw(
        `insert into kpi_customer_month (customer_id, month, ${columns.join(', ')}) ${select}
        on conflict (customer_id, month) do update set ${columns.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')}`,
      )
      .execute(db);
  await upsertCustomerMonth(['shipped_net_fen', 'shipped_list_fen'], `select customer_id, ${monthOfDate('shipped_date')} as month, sum(net_amount_fen), sum(list_amount_fen) from shipment where true group by 1, 2`);
  await upsertCustomerMonth(
    ['returned_net_fen', 'returned_list_fen'],
    `select customer_id, ${monthOfDate('return_date')} as month, sum(net_amount_fen), sum(list_amount_fen) from return_order where status = 'confirmed' group by 1, 2`,
  );
  await upsertCustomerMonth(['receipts_fen'], `select customer_id, ${monthOfDate('received_date')} as month, sum(amount_fen) from receipt where status = 'active' group by 1, 2`);
  await upsertOwnerMonth(
    [...moneyColumns],
    `select coalesce(customer.owner_id, 0), kpi_customer_month.month, ${moneyColumns.map((column) => `sum(kpi_customer_month.${column})`).join(', ')}
      from kpi_customer_month join customer on customer.id = kpi_customer_month.customer_id where true group by 1, 2`,
  );

  await sql
    .raw(`insert into kpi_visit_coverage (owner_id, customer_id, month, visits) select owner_id, customer_id, ${monthOfDate('check_in_date')}, count(*) from visit where true group by 1, 2, 3`)
    .execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  let ownerMonth = db.schema
    .createTable('kpi_owner_month')
    .addColumn('owner_key', 'integer', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull().check(sql`length(month) = 7`));
  for (const column of ownerMonthColumns) ownerMonth = ownerMonth.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0));
  await ownerMonth.addPrimaryKeyConstraint('kpi_owner_month_pk', ['owner_key', 'month']).execute();
  // Trends and whole-organisation totals read one month range across all owners.
  await db.schema.createIndex('kpi_owner_month_month_index').on('kpi_owner_month').columns(['month', 'owner_key']).execute();

  let customerMonth = db.schema
    .createTable('kpi_customer_month')
    .addColumn('customer_id', 'integer', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull().check(sql`length(month) = 7`));
  for (const column of moneyColumns) customerMonth = customerMonth.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0));
  await customerMonth.addPrimaryKeyConstraint('kpi_customer_month_pk', ['customer_id', 'month']).execute();

  await db.schema
    .createTable('kpi_visit_coverage')
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull().check(sql`length(month) = 7`))
    .addColumn('visits', 'integer', (c) => c.notNull().check(sql`visits > 0`))
    .addPrimaryKeyConstraint('kpi_visit_coverage_pk', ['owner_id', 'customer_id', 'month'])
    .execute();
  // Distinct customers of a large scope probe each customer once through this index.
  await db.schema.createIndex('kpi_visit_coverage_customer_index').on('kpi_visit_coverage').columns(['customer_id', 'month', 'owner_id']).execute();

  await rebuildKpiRollups(db);
  for (const trigger of kpiRollupTriggers()) await sql.raw(trigger.sql).execute(db);

  // 0064's (owner_id, check_in_date, customer_id) index repeats visit_owner_date_index of 0031 column
  // for column; EXPLAIN QUERY PLAN of the owner-filtered KPI visit queries picks either, so one goes.
  await db.schema.dropIndex('kpi_visit_owner_date_index').execute();
}
