import { sql } from 'kysely';
import type { DbExecutor } from '../../db/database.js';

/** Book list lines, holdings and delivery batches of 馆配 projects. */

export type BookListFilter = 'all' | 'to_supply' | 'held' | 'not_in_catalog' | 'undelivered' | 'delivered';

export async function listBookListItems(db: DbExecutor, projectId: number, filter: { kind: BookListFilter; q?: string; limit: number; offset: number }) {
  let query = db.selectFrom('project_book_list_item').where('project_id', '=', projectId);
  if (filter.kind === 'to_supply') query = query.where('held', '=', 0);
  if (filter.kind === 'held') query = query.where('held', '=', 1);
  if (filter.kind === 'not_in_catalog') query = query.where('book_id', 'is', null);
  if (filter.kind === 'undelivered') query = query.where('held', '=', 0).whereRef('delivered_quantity', '<', 'quantity');
  if (filter.kind === 'delivered') query = query.where('delivered_quantity', '>', 0);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where((eb) => eb.or([eb(sql`title`, 'like', sql`${pattern} escape '\\'`), eb('isbn', 'like', `${filter.q!.replace(/[^0-9X]/gi, '')}%`)]));
  }

  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('line_no').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export type BookListItemRow = Awaited<ReturnType<typeof listBookListItems>>['rows'][number];

export async function listAllBookListItems(db: DbExecutor, projectId: number) {
  return db.selectFrom('project_book_list_item').selectAll().where('project_id', '=', projectId).orderBy('line_no').execute();
}

/** Counts and sums of a whole list, computed in the database so a 20,000-line list does not load into memory. */
export async function summarizeBookList(db: DbExecutor, projectId: number) {
  const row = await db
    .selectFrom('project_book_list_item')
    .select((eb) => [
      eb.fn.countAll<number>().as('lines'),
      eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.val(0)).as('copies'),
      eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('held', '=', 1).then(1).else(0).end()), eb.val(0)).as('held'),
      eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('book_id', 'is', null).then(1).else(0).end()), eb.val(0)).as('not_in_catalog'),
      eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('held', '=', 0).then(1).else(0).end()), eb.val(0)).as('titles_to_supply'),
      eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('held', '=', 0).then(eb.ref('quantity')).else(0).end()), eb.val(0)).as('copies_to_supply'),
      eb.fn
        .coalesce(eb.fn.sum<number>(eb.case().when('held', '=', 0).then(sql<number>`case when delivered_quantity < quantity then delivered_quantity else quantity end`).else(0).end()), eb.val(0))
        .as('copies_delivered'),
      eb.fn
        .coalesce(eb.fn.sum<number>(eb.case().when(eb.and([eb('held', '=', 0), eb('delivered_quantity', '>=', eb.ref('quantity'))])).then(1).else(0).end()), eb.val(0))
        .as('titles_delivered'),
      eb.fn
        .coalesce(
          eb.fn.sum<number>(eb.case().when(eb.and([eb('held', '=', 0), eb('delivered_quantity', '>', 0), eb('delivered_quantity', '<', eb.ref('quantity'))])).then(1).else(0).end()),
          eb.val(0),
        )
        .as('titles_partly_delivered'),
      eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('held', '=', 0).then(sql<number>`coalesce(list_price_fen, 0) * quantity`).else(0).end()), eb.val(0)).as('list_amount_to_supply'),
    ])
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value ?? 0)])) as { [K in keyof typeof row]: number };
}

export async function findBookListItemsByIsbn(db: DbExecutor, projectId: number, isbns: string[]) {
  if (isbns.length === 0) return [];
  const rows = [];
  for (let start = 0; start < isbns.length; start += 500) {
    rows.push(...(await db.selectFrom('project_book_list_item').selectAll().where('project_id', '=', projectId).where('isbn', 'in', isbns.slice(start, start + 500)).execute()));
  }
  return rows;
}

export async function findBookListItemsById(db: DbExecutor, projectId: number, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = [];
  for (let start = 0; start < ids.length; start += 500) {
    rows.push(...(await db.selectFrom('project_book_list_item').selectAll().where('project_id', '=', projectId).where('id', 'in', ids.slice(start, start + 500)).execute()));
  }
  return rows;
}

export async function maxBookListLineNo(db: DbExecutor, projectId: number): Promise<number> {
  const row = await db.selectFrom('project_book_list_item').select((eb) => eb.fn.max('line_no').as('line_no')).where('project_id', '=', projectId).executeTakeFirst();
  return Number(row?.line_no ?? 0);
}

export async function insertBookListItems(
  db: DbExecutor,
  projectId: number,
  items: { lineNo: number; isbn: string; title: string; quantity: number; held: boolean; bookId: number | null; listPriceFen: number | null }[],
  now: string,
): Promise<void> {
  for (let start = 0; start < items.length; start += 200) {
    const chunk = items.slice(start, start + 200);
    if (chunk.length === 0) break;
    await db
      .insertInto('project_book_list_item')
      .values(
        chunk.map((item) => ({
          project_id: projectId,
          line_no: item.lineNo,
          isbn: item.isbn,
          title: item.title,
          quantity: item.quantity,
          held: item.held ? 1 : 0,
          book_id: item.bookId,
          list_price_fen: item.listPriceFen,
          delivered_quantity: 0,
          created_at: now,
        })),
      )
      .execute();
  }
}

export async function updateBookListItem(db: DbExecutor, itemId: number, changes: { title?: string; quantity?: number; book_id?: number | null; list_price_fen?: number | null }): Promise<void> {
  await db.updateTable('project_book_list_item').set(changes).where('id', '=', itemId).execute();
}

/** Removes lines that have no deliveries; lines with deliveries stay because batches refer to them. */
export async function deleteUndeliveredItemsExcept(db: DbExecutor, projectId: number, keepIsbns: string[]): Promise<number> {
  const candidates = await db.selectFrom('project_book_list_item').select(['id', 'isbn']).where('project_id', '=', projectId).where('delivered_quantity', '=', 0).execute();
  const keep = new Set(keepIsbns);
  const ids = candidates.filter((row) => !keep.has(row.isbn)).map((row) => row.id);
  for (let start = 0; start < ids.length; start += 500) {
    await db.deleteFrom('project_book_list_item').where('id', 'in', ids.slice(start, start + 500)).execute();
  }
  return ids.length;
}

// ---- Holdings ----

export async function replaceHoldings(db: DbExecutor, projectId: number, isbns: string[]): Promise<void> {
  await db.deleteFrom('project_holding').where('project_id', '=', projectId).execute();
  for (let start = 0; start < isbns.length; start += 400) {
    const chunk = isbns.slice(start, start + 400);
    await db.insertInto('project_holding').values(chunk.map((isbn) => ({ project_id: projectId, isbn }))).execute();
  }
}

export async function listHeldIsbns(db: DbExecutor, projectId: number, isbns: string[]): Promise<Set<string>> {
  const held = new Set<string>();
  for (let start = 0; start < isbns.length; start += 500) {
    const rows = await db.selectFrom('project_holding').select('isbn').where('project_id', '=', projectId).where('isbn', 'in', isbns.slice(start, start + 500)).execute();
    for (const row of rows) held.add(row.isbn);
  }
  return held;
}

export async function countHoldings(db: DbExecutor, projectId: number): Promise<number> {
  const row = await db.selectFrom('project_holding').select((eb) => eb.fn.countAll<number>().as('total')).where('project_id', '=', projectId).executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Re-marks every line of the list from the holdings table: a line is held when its ISBN is among the holdings. */
export async function markHeldFromHoldings(db: DbExecutor, projectId: number): Promise<void> {
  const holdings = db.selectFrom('project_holding').select('project_holding.isbn').where('project_holding.project_id', '=', projectId);
  await db
    .updateTable('project_book_list_item')
    .set((eb) => ({ held: eb.case().when('isbn', 'in', holdings).then(1).else(0).end() }))
    .where('project_id', '=', projectId)
    .execute();
}

// ---- Deliveries ----

export async function nextBatchNo(db: DbExecutor, projectId: number): Promise<number> {
  const row = await db.selectFrom('project_delivery_batch').select((eb) => eb.fn.max('batch_no').as('batch_no')).where('project_id', '=', projectId).executeTakeFirst();
  return Number(row?.batch_no ?? 0) + 1;
}

export async function insertDeliveryBatch(
  db: DbExecutor,
  values: { projectId: number; batchNo: number; shippedDate: string; note: string; createdBy: number; now: string; lines: { itemId: number; quantity: number }[] },
): Promise<number> {
  const batch = await db
    .insertInto('project_delivery_batch')
    .values({ project_id: values.projectId, batch_no: values.batchNo, shipped_date: values.shippedDate, note: values.note, created_by: values.createdBy, created_at: values.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let start = 0; start < values.lines.length; start += 300) {
    await db
      .insertInto('project_delivery_line')
      .values(values.lines.slice(start, start + 300).map((line) => ({ batch_id: batch.id, item_id: line.itemId, quantity: line.quantity })))
      .execute();
  }
  for (const line of values.lines) {
    await db
      .updateTable('project_book_list_item')
      .set((eb) => ({ delivered_quantity: eb('delivered_quantity', '+', line.quantity) }))
      .where('id', '=', line.itemId)
      .execute();
  }
  return batch.id;
}

export async function listDeliveryBatches(db: DbExecutor, projectId: number) {
  return db
    .selectFrom('project_delivery_batch')
    .innerJoin('app_user', 'app_user.id', 'project_delivery_batch.created_by')
    .leftJoin('project_delivery_line', 'project_delivery_line.batch_id', 'project_delivery_batch.id')
    .select((eb) => [
      'project_delivery_batch.id',
      'project_delivery_batch.batch_no',
      'project_delivery_batch.shipped_date',
      'project_delivery_batch.note',
      'project_delivery_batch.created_by',
      'project_delivery_batch.created_at',
      'app_user.name as creator_name',
      eb.fn.count<number>('project_delivery_line.item_id').as('titles'),
      eb.fn.coalesce(eb.fn.sum<number>('project_delivery_line.quantity'), eb.val(0)).as('copies'),
    ])
    .where('project_delivery_batch.project_id', '=', projectId)
    .groupBy(['project_delivery_batch.id', 'app_user.name'])
    .orderBy('project_delivery_batch.batch_no', 'desc')
    .execute();
}

export type DeliveryBatchRow = Awaited<ReturnType<typeof listDeliveryBatches>>[number];

export async function listDeliveryLines(db: DbExecutor, batchId: number) {
  return db
    .selectFrom('project_delivery_line')
    .innerJoin('project_book_list_item', 'project_book_list_item.id', 'project_delivery_line.item_id')
    .select(['project_delivery_line.item_id', 'project_delivery_line.quantity', 'project_book_list_item.isbn', 'project_book_list_item.title', 'project_book_list_item.line_no'])
    .where('project_delivery_line.batch_id', '=', batchId)
    .orderBy('project_book_list_item.line_no')
    .execute();
}

export async function countDeliveryBatches(db: DbExecutor, projectId: number): Promise<number> {
  const row = await db.selectFrom('project_delivery_batch').select((eb) => eb.fn.countAll<number>().as('total')).where('project_id', '=', projectId).executeTakeFirstOrThrow();
  return Number(row.total);
}
