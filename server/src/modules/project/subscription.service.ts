import type { z } from 'zod';
import type { Subscription, SubscriptionOrder, subscriptionOrdersCreateSchema, subscriptionUpdateSchema } from '@shared/api/project.js';
import { isbnErrorMessages, parseIsbn } from '@shared/isbn.js';
import { computeSubscriptionCounts, formatTerm } from '@shared/project-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { loadProjectAccess, type ProjectAccess, type ServiceMoment } from './project.context.js';
import { touchProject } from './project.repository.js';
import { canRecordSubscriptionReturn } from './project.rules.js';
import { findCatalogBooks } from './project.sources.js';
import * as subscriptionRepository from './subscription.repository.js';
import { normalizeOrderLabel } from './subscription.import.js';

type OrdersCreate = z.infer<typeof subscriptionOrdersCreateSchema>;
type SubscriptionUpdate = z.infer<typeof subscriptionUpdateSchema>;

/** Writes the school, term and dates of a textbook-subscription project (inside the creating transaction). */
export async function saveSubscription(
  db: DbExecutor,
  projectId: number,
  input: { schoolCustomerId: number; schoolName: string; term: string; catalogSentDate: string | null; orderDeadline: string; termStartDate: string },
): Promise<void> {
  await subscriptionRepository.upsertSubscription(db, { projectId, ...input });
}

export async function loadSubscriptionProject(db: DbExecutor, actor: Actor, projectId: number, need: 'view' | 'contribute' | 'manage') {
  const access = await loadProjectAccess(db, actor, projectId, need);
  const subscription = await subscriptionRepository.findSubscription(db, projectId);
  if (access.project.kind !== 'textbook_subscription' || !subscription) {
    throw badRequest('not_subscription_project', `项目 ${access.project.number} 不是教材征订项目，没有征订信息`);
  }
  return { access, subscription };
}

export async function getSubscription(db: DbExecutor, actor: Actor, projectId: number, moment: ServiceMoment): Promise<Subscription> {
  const { subscription } = await loadSubscriptionProject(db, actor, projectId, 'view');
  const orders = await subscriptionRepository.listOrders(db, projectId);

  const byCourse = new Map<string, { classes: Set<string>; titles: Set<string>; copies: number }>();
  for (const order of orders) {
    const course = byCourse.get(order.course) ?? { classes: new Set(), titles: new Set(), copies: 0 };
    course.classes.add(order.class_name);
    course.titles.add(order.isbn);
    course.copies += order.quantity;
    byCourse.set(order.course, course);
  }

  return {
    schoolCustomerId: subscription.school_customer_id,
    schoolName: subscription.school_name,
    term: subscription.term,
    termLabel: formatTerm(subscription.term),
    catalogSentDate: subscription.catalog_sent_date,
    orderDeadline: subscription.order_deadline,
    termStartDate: subscription.term_start_date,
    orderingOpen: moment.today <= subscription.order_deadline,
    counts: computeSubscriptionCounts(orders.map((order) => ({ isbn: order.isbn, quantity: order.quantity, shippedQuantity: order.shipped_quantity, returnedQuantity: order.returned_quantity }))),
    courses: [...byCourse].map(([course, value]) => ({ course, classes: value.classes.size, titles: value.titles.size, copies: value.copies })),
  };
}

/** Records the catalog sending date or moves the deadline and term start (managers). */
export async function changeSubscription(db: Db, actor: Actor, projectId: number, changes: SubscriptionUpdate, moment: ServiceMoment): Promise<Subscription> {
  const { subscription } = await loadSubscriptionProject(db, actor, projectId, 'manage');
  const deadline = changes.orderDeadline ?? subscription.order_deadline;
  const termStart = changes.termStartDate ?? subscription.term_start_date;
  if (deadline > termStart) throw badRequest('invalid_subscription_dates', `征订截止日期 ${deadline} 晚于开学日期 ${termStart}：请调整`);

  await db.transaction().execute(async (trx) => {
    await subscriptionRepository.updateSubscriptionDates(trx, projectId, {
      catalog_sent_date: changes.catalogSentDate,
      order_deadline: changes.orderDeadline,
      term_start_date: changes.termStartDate,
    });
    await touchProject(trx, projectId, moment.now.toISOString());
  });
  return getSubscription(db, actor, projectId, moment);
}

export async function listSubscriptionOrders(db: DbExecutor, actor: Actor, projectId: number): Promise<SubscriptionOrder[]> {
  await loadSubscriptionProject(db, actor, projectId, 'view');
  const rows = await subscriptionRepository.listOrders(db, projectId);
  return rows.map(toOrder);
}

/**
 * Adds orders per course and class. Until the deadline every member may add them; afterwards only the
 * project's managers can, as a late order (补订) is a decision, not data entry.
 */
export async function addSubscriptionOrders(db: Db, actor: Actor, projectId: number, input: OrdersCreate, moment: ServiceMoment): Promise<SubscriptionOrder[]> {
  const { access, subscription } = await loadSubscriptionProject(db, actor, projectId, 'contribute');
  assertOrderingAllowed(access, subscription.order_deadline, moment.today);

  const parsed = input.orders.map((order, index) => {
    const isbn = parseIsbn(order.isbn);
    if (!isbn.ok) throw badRequest('invalid_isbn', `第 ${index + 1} 条订单的 ISBN「${order.isbn}」不正确：${isbnErrorMessages[isbn.reason]}`);
    return { ...order, course: normalizeOrderLabel(order.course), className: normalizeOrderLabel(order.className), isbn: isbn.isbn13 };
  });
  const catalog = await findCatalogBooks(db, parsed.map((order) => order.isbn));
  const orders = parsed.map((order, index) => {
    const match = catalog.get(order.isbn);
    const title = order.title || match?.title;
    if (!title) throw badRequest('title_required', `第 ${index + 1} 条订单的 ISBN ${order.isbn} 不在社内书目中：请填写书名`);
    return { course: order.course, className: order.className, isbn: order.isbn, title, bookId: match?.id ?? null, quantity: order.quantity };
  });

  await db.transaction().execute(async (trx) => {
    await subscriptionRepository.upsertOrders(trx, projectId, orders, actor.id, moment.now.toISOString());
    await touchProject(trx, projectId, moment.now.toISOString());
  });
  return listSubscriptionOrders(db, actor, projectId);
}

export async function changeSubscriptionOrderQuantity(db: Db, actor: Actor, projectId: number, orderId: number, quantity: number, moment: ServiceMoment): Promise<SubscriptionOrder> {
  const { access, subscription } = await loadSubscriptionProject(db, actor, projectId, 'contribute');
  assertOrderingAllowed(access, subscription.order_deadline, moment.today);
  const order = await subscriptionRepository.findOrder(db, projectId, orderId);
  if (!order) throw notFound('征订订单');
  if (quantity < order.shipped_quantity) throw conflict('quantity_below_shipped', `《${order.title}》已发货 ${order.shipped_quantity} 册，订数不能改为 ${quantity}：开学后的减少请登记退货`);

  await subscriptionRepository.updateOrder(db, orderId, { quantity }, moment.now.toISOString());
  return toOrder((await subscriptionRepository.findOrder(db, projectId, orderId))!);
}

export async function removeSubscriptionOrder(db: Db, actor: Actor, projectId: number, orderId: number, moment: ServiceMoment): Promise<void> {
  const { access, subscription } = await loadSubscriptionProject(db, actor, projectId, 'contribute');
  assertOrderingAllowed(access, subscription.order_deadline, moment.today);
  const order = await subscriptionRepository.findOrder(db, projectId, orderId);
  if (!order) throw notFound('征订订单');
  if (order.shipped_quantity > 0) throw conflict('order_already_shipped', `《${order.title}》（${order.course} ${order.class_name}）已发货，不能删除：请登记退货`);
  await subscriptionRepository.deleteOrder(db, orderId);
}

/** Turns orders into shipments: each chosen order (or every unshipped one) is shipped in full on the given date. */
export async function shipSubscriptionOrders(db: Db, actor: Actor, projectId: number, input: { orderIds?: number[]; shippedDate: string }, moment: ServiceMoment) {
  await loadSubscriptionProject(db, actor, projectId, 'contribute');
  if (input.shippedDate > moment.today) throw badRequest('shipped_date_in_future', `发货日期 ${input.shippedDate} 晚于今天：请填写实际发货日期`);

  return db.transaction().execute(async (trx) => {
    const all = await subscriptionRepository.listOrders(trx, projectId);
    const chosen = input.orderIds ? new Set(input.orderIds) : null;
    if (chosen) {
      const missing = [...chosen].find((id) => !all.some((order) => order.id === id));
      if (missing !== undefined) throw notFound(`征订订单 ${missing}`);
    }
    const toShip = all.filter((order) => (chosen ? chosen.has(order.id) : true) && order.shipped_quantity < order.quantity);

    let copiesShipped = 0;
    for (const order of toShip) {
      copiesShipped += order.quantity - order.shipped_quantity;
      await subscriptionRepository.updateOrder(trx, order.id, { shipped_quantity: order.quantity, shipped_date: input.shippedDate }, moment.now.toISOString());
    }
    await touchProject(trx, projectId, moment.now.toISOString());
    return { ordersShipped: toShip.length, copiesShipped };
  });
}

/** Records copies a class sent back after term start; never more than were shipped and not yet returned. */
export async function recordSubscriptionReturn(db: Db, actor: Actor, projectId: number, orderId: number, input: { quantity: number; returnedDate: string }, moment: ServiceMoment): Promise<SubscriptionOrder> {
  const { subscription } = await loadSubscriptionProject(db, actor, projectId, 'contribute');
  if (input.returnedDate > moment.today) throw badRequest('returned_date_in_future', `退货日期 ${input.returnedDate} 晚于今天：请填写实际退货日期`);
  if (!canRecordSubscriptionReturn(subscription.term_start_date, input.returnedDate)) {
    throw badRequest('return_before_term_start', `开学日期是 ${subscription.term_start_date}，开学前的变化请直接修改订数，不登记退货`);
  }

  await db.transaction().execute(async (trx) => {
    const order = await subscriptionRepository.findOrder(trx, projectId, orderId);
    if (!order) throw notFound('征订订单');
    const returnable = order.shipped_quantity - order.returned_quantity;
    if (input.quantity > returnable) throw conflict('return_exceeds_shipped', `《${order.title}》已发货 ${order.shipped_quantity} 册、已退 ${order.returned_quantity} 册，最多还能退 ${returnable} 册`);
    await subscriptionRepository.updateOrder(trx, orderId, { returned_quantity: order.returned_quantity + input.quantity, returned_date: input.returnedDate }, moment.now.toISOString());
    await touchProject(trx, projectId, moment.now.toISOString());
  });
  return toOrder((await subscriptionRepository.findOrder(db, projectId, orderId))!);
}

export function assertOrderingAllowed(access: ProjectAccess, deadline: string, today: string): void {
  if (today <= deadline || access.canManage) return;
  throw forbidden(`在征订截止（${deadline}）后修改订单：请联系项目负责人补订`);
}

function toOrder(row: subscriptionRepository.SubscriptionOrderRow): SubscriptionOrder {
  return {
    id: row.id,
    course: row.course,
    className: row.class_name,
    isbn: row.isbn,
    title: row.title,
    bookId: row.book_id,
    quantity: row.quantity,
    shippedQuantity: row.shipped_quantity,
    shippedDate: row.shipped_date,
    returnedQuantity: row.returned_quantity,
    returnedDate: row.returned_date,
  };
}
