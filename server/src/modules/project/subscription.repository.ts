import type { DbExecutor } from '../../db/database.js';

/** 教材征订 details and orders of textbook-subscription projects. */

export async function findSubscription(db: DbExecutor, projectId: number) {
  return db.selectFrom('project_subscription').selectAll().where('project_id', '=', projectId).executeTakeFirst();
}

export async function upsertSubscription(
  db: DbExecutor,
  values: { projectId: number; schoolCustomerId: number; schoolName: string; term: string; catalogSentDate: string | null; orderDeadline: string; termStartDate: string },
): Promise<void> {
  const row = {
    project_id: values.projectId,
    school_customer_id: values.schoolCustomerId,
    school_name: values.schoolName,
    term: values.term,
    catalog_sent_date: values.catalogSentDate,
    order_deadline: values.orderDeadline,
    term_start_date: values.termStartDate,
  };
  await db
    .insertInto('project_subscription')
    .values(row)
    .onConflict((oc) => oc.column('project_id').doUpdateSet({ ...row, project_id: undefined }))
    .execute();
}

export async function updateSubscriptionDates(db: DbExecutor, projectId: number, changes: { catalog_sent_date?: string | null; order_deadline?: string; term_start_date?: string }): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await db.updateTable('project_subscription').set(changes).where('project_id', '=', projectId).execute();
}

export async function listOrders(db: DbExecutor, projectId: number) {
  return db.selectFrom('project_subscription_order').selectAll().where('project_id', '=', projectId).orderBy('course').orderBy('class_name').orderBy('id').execute();
}

export type SubscriptionOrderRow = Awaited<ReturnType<typeof listOrders>>[number];

export async function findOrder(db: DbExecutor, projectId: number, orderId: number) {
  return db.selectFrom('project_subscription_order').selectAll().where('project_id', '=', projectId).where('id', '=', orderId).executeTakeFirst();
}

type NewOrder = { course: string; className: string; isbn: string; title: string; bookId: number | null; quantity: number };

function newOrderRow(projectId: number, order: NewOrder, createdBy: number, now: string) {
  return {
    project_id: projectId,
    course: order.course,
    class_name: order.className,
    isbn: order.isbn,
    title: order.title,
    book_id: order.bookId,
    quantity: order.quantity,
    shipped_quantity: 0,
    shipped_date: null,
    returned_quantity: 0,
    returned_date: null,
    created_by: createdBy,
    created_at: now,
    updated_at: now,
  };
}

/** Adds orders; an order for the same course, class and ISBN adds its quantity to the existing one. */
export async function upsertOrders(db: DbExecutor, projectId: number, orders: NewOrder[], createdBy: number, now: string): Promise<void> {
  for (const order of orders) {
    await db
      .insertInto('project_subscription_order')
      .values(newOrderRow(projectId, order, createdBy, now))
      .onConflict((oc) =>
        oc.columns(['project_id', 'course', 'class_name', 'isbn']).doUpdateSet((eb) => ({
          quantity: eb('project_subscription_order.quantity', '+', order.quantity),
          updated_at: now,
        })),
      )
      .execute();
  }
}

export async function updateOrder(
  db: DbExecutor,
  orderId: number,
  changes: Partial<{ quantity: number; shipped_quantity: number; shipped_date: string | null; returned_quantity: number; returned_date: string | null }>,
  now: string,
): Promise<void> {
  await db
    .updateTable('project_subscription_order')
    .set({ ...changes, updated_at: now })
    .where('id', '=', orderId)
    .execute();
}

export async function deleteOrder(db: DbExecutor, orderId: number): Promise<void> {
  await db.deleteFrom('project_subscription_order').where('id', '=', orderId).execute();
}

export async function countOrders(db: DbExecutor, projectId: number): Promise<number> {
  const row = await db.selectFrom('project_subscription_order').select((eb) => eb.fn.countAll<number>().as('total')).where('project_id', '=', projectId).executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Drops the school and term of a project that is no longer a 教材征订 (only when it has no orders). */
export async function deleteSubscription(db: DbExecutor, projectId: number): Promise<void> {
  await db.deleteFrom('project_subscription').where('project_id', '=', projectId).execute();
}

/**
 * Creates an order or, when its course, class and ISBN already exist, sets that order's quantity. Setting
 * rather than adding keeps two imports of the same sheet that overlap in time from doubling quantities.
 */
export async function putOrder(db: DbExecutor, projectId: number, order: NewOrder, createdBy: number, now: string): Promise<void> {
  await db
    .insertInto('project_subscription_order')
    .values(newOrderRow(projectId, order, createdBy, now))
    .onConflict((oc) => oc.columns(['project_id', 'course', 'class_name', 'isbn']).doUpdateSet({ quantity: order.quantity, updated_at: now }))
    .execute();
}
