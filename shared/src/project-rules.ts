import { z } from 'zod';

/**
 * Project rules shared by the server and the phone: kinds, member roles, the default milestones of each
 * kind, fill rate of a library book list and the counts of a textbook subscription. No I/O here.
 */

export const projectKindSchema = z.enum(['library_supply', 'textbook_subscription', 'custom_publishing', 'group_purchase', 'other']);
export type ProjectKind = z.infer<typeof projectKindSchema>;

export const projectKindLabels: Record<ProjectKind, string> = {
  library_supply: '馆配',
  textbook_subscription: '教材征订',
  custom_publishing: '定制出版',
  group_purchase: '团购',
  other: '其他',
};

export const projectStatusSchema = z.enum(['active', 'completed', 'cancelled']);
export type ProjectStatus = z.infer<typeof projectStatusSchema>;

export const projectStatusLabels: Record<ProjectStatus, string> = {
  active: '进行中',
  completed: '已完成',
  cancelled: '已取消',
};

export const projectMemberRoleSchema = z.enum(['sales', 'bid', 'editorial', 'logistics', 'finance', 'other']);
export type ProjectMemberRole = z.infer<typeof projectMemberRoleSchema>;

export const projectMemberRoleLabels: Record<ProjectMemberRole, string> = {
  sales: '销售',
  bid: '投标',
  editorial: '编辑',
  logistics: '配送',
  finance: '财务',
  other: '其他',
};

/**
 * Milestones a new project starts with. A library-supply project follows the tender cycle from the
 * announcement to the last payment; a textbook subscription follows the school term. Users can rename,
 * add and remove them afterwards.
 */
export const defaultMilestoneNames: Record<ProjectKind, readonly string[]> = {
  library_supply: ['招标公告', '投标', '中标', '签约', '配送', '验收', '回款'],
  textbook_subscription: ['发送征订目录', '征订截止', '发货', '开学退货', '回款'],
  custom_publishing: ['需求确认', '签约', '编辑制作', '印制', '交付', '回款'],
  group_purchase: ['需求确认', '报价', '签约', '发货', '回款'],
  other: [],
};

export interface MilestoneState {
  seq: number;
  name: string;
  dueDate: string | null;
  doneDate: string | null;
}

/** Returns the stage a project is in: the first milestone not yet done, in order, or null when all are done or there are none. */
export function currentMilestone<T extends MilestoneState>(milestones: readonly T[]): T | null {
  const ordered = [...milestones].sort((a, b) => a.seq - b.seq);
  return ordered.find((milestone) => milestone.doneDate === null) ?? null;
}

/** Tells whether a milestone or task is overdue: its due date has passed in the tenant's calendar and it is not done. */
export function isOverdue(dueDate: string | null, done: boolean, today: string): boolean {
  return dueDate !== null && !done && dueDate < today;
}

export interface BookListLineState {
  quantity: number;
  held: boolean;
  deliveredQuantity: number;
}

export interface FillRate {
  /** Titles of the list the publisher is to supply: every line except those the library already holds. */
  titlesToSupply: number;
  copiesToSupply: number;
  /** Titles delivered in full (delivered copies at least the list quantity). */
  titlesDelivered: number;
  /** Titles with at least one copy delivered but fewer than listed. */
  titlesPartlyDelivered: number;
  /** Copies delivered, each line counted up to its list quantity. */
  copiesDelivered: number;
  /** Delivered share in basis points (10000 = 100 %), so the figure stays an integer like discounts. */
  titleFillRateBp: number;
  copyFillRateBp: number;
}

/**
 * Fill rate of a library book list. Lines already in the library's holdings are left out of both sides,
 * because the tender asks the supplier not to duplicate holdings. Over-delivery on one line does not make
 * up for a short line elsewhere.
 */
export function computeFillRate(lines: readonly BookListLineState[]): FillRate {
  let titlesToSupply = 0;
  let copiesToSupply = 0;
  let titlesDelivered = 0;
  let titlesPartlyDelivered = 0;
  let copiesDelivered = 0;

  for (const line of lines) {
    if (line.held) continue;
    titlesToSupply += 1;
    copiesToSupply += line.quantity;
    copiesDelivered += Math.min(line.deliveredQuantity, line.quantity);
    if (line.deliveredQuantity >= line.quantity) titlesDelivered += 1;
    else if (line.deliveredQuantity > 0) titlesPartlyDelivered += 1;
  }

  return {
    titlesToSupply,
    copiesToSupply,
    titlesDelivered,
    titlesPartlyDelivered,
    copiesDelivered,
    titleFillRateBp: ratioBp(titlesDelivered, titlesToSupply),
    copyFillRateBp: ratioBp(copiesDelivered, copiesToSupply),
  };
}

/** part ÷ whole in basis points, rounded half up; 0 when the whole is 0. */
export function ratioBp(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.floor((part * 10_000 * 2 + whole) / (whole * 2));
}

/** Shows basis points as a percentage with one decimal: 8765 → '87.7%'. */
export function formatRateBp(bp: number): string {
  const tenths = Math.floor((bp + 5) / 10);
  return `${Math.trunc(tenths / 10)}.${tenths % 10}%`;
}

/** A school term as '2026-spring' or '2026-autumn'; the spring term starts in February, the autumn one in September. */
export const termSchema = z.string().regex(/^\d{4}-(spring|autumn)$/, '学期格式应为 年份-spring 或 年份-autumn，例如 2026-autumn');

export function formatTerm(term: string): string {
  const [year, season] = term.split('-');
  return `${year}年${season === 'spring' ? '春季' : '秋季'}学期`;
}

export interface SubscriptionOrderState {
  isbn: string;
  quantity: number;
  shippedQuantity: number;
  returnedQuantity: number;
}

export interface SubscriptionCounts {
  orderLines: number;
  titlesOrdered: number;
  copiesOrdered: number;
  titlesShipped: number;
  copiesShipped: number;
  titlesReturned: number;
  copiesReturned: number;
  /** Copies ordered but not yet shipped. */
  copiesAwaitingShipment: number;
}

/** Counts of a textbook subscription; a title counts once however many courses and classes order it. */
export function computeSubscriptionCounts(orders: readonly SubscriptionOrderState[]): SubscriptionCounts {
  const ordered = new Set<string>();
  const shipped = new Set<string>();
  const returned = new Set<string>();
  let copiesOrdered = 0;
  let copiesShipped = 0;
  let copiesReturned = 0;

  for (const order of orders) {
    ordered.add(order.isbn);
    copiesOrdered += order.quantity;
    copiesShipped += order.shippedQuantity;
    copiesReturned += order.returnedQuantity;
    if (order.shippedQuantity > 0) shipped.add(order.isbn);
    if (order.returnedQuantity > 0) returned.add(order.isbn);
  }

  return {
    orderLines: orders.length,
    titlesOrdered: ordered.size,
    copiesOrdered,
    titlesShipped: shipped.size,
    copiesShipped,
    titlesReturned: returned.size,
    copiesReturned,
    copiesAwaitingShipment: copiesOrdered - copiesShipped,
  };
}
