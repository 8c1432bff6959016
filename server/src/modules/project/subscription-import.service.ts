import type { SubscriptionImportReport } from '@shared/api/project.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { sha256Hex } from '../../lib/hash.js';
import type { ImportIssue } from './book-list.import.js';
import { type ServiceMoment } from './project.context.js';
import { findDocumentByContent } from './project-document.repository.js';
import { recordDocument } from './project-document.service.js';
import { touchProject } from './project.repository.js';
import { findCatalogBooks } from './project.sources.js';
import { buildWorkbook, readSheet } from './project.workbook.js';
import { checkSubscriptionOrderRows, orderKey, subscriptionOrderHeadings, type SubscriptionOrderCandidate } from './subscription.import.js';
import * as subscriptionRepository from './subscription.repository.js';
import { assertOrderingAllowed, loadSubscriptionProject } from './subscription.service.js';

/** Largest order sheet accepted in one file; an estimate of a large school's term: about 100 classes ordering 15 titles each, with room to spare. */
const maxOrderRows = 5000;
/** Issues listed in a report; the count in the summary line still covers all of them. */
const maxReportedIssues = 500;

type PlannedOrder = SubscriptionOrderCandidate & { bookId: number | null; resolvedTitle: string };

/**
 * Imports a school's order sheet (课程, 班级, ISBN, 书名, 数量) into a 教材征订 project. Each row sets the
 * quantity of its course, class and ISBN: new ones are created, known ones updated, and the same file
 * imported twice changes nothing. `replace` also deletes unshipped orders missing from the file. A dry run
 * reports per row what would happen and writes nothing. The ordering deadline applies as for manual orders.
 */
export async function importSubscriptionOrders(
  db: Db,
  actor: Actor,
  projectId: number,
  file: { fileName: string; content: Buffer },
  options: { dryRun: boolean; mode: 'merge' | 'replace' },
  dataDir: string,
  moment: ServiceMoment,
): Promise<SubscriptionImportReport> {
  const { access, subscription } = await loadSubscriptionProject(db, actor, projectId, 'contribute');
  assertOrderingAllowed(access, subscription.order_deadline, moment.today);
  const sheet = await readSheet(file.content, subscriptionOrderHeadings, ['course', 'className', 'isbn', 'quantity'], maxOrderRows);
  const { candidates, issues } = checkSubscriptionOrderRows(sheet.rows);

  const catalog = await findCatalogBooks(db, candidates.map((candidate) => candidate.isbn));
  const existing = new Map((await subscriptionRepository.listOrders(db, projectId)).map((order) => [orderKey({ course: order.course, className: order.class_name, isbn: order.isbn }), order]));
  const notInCatalog: SubscriptionImportReport['notInCatalog'] = [];
  const planned: PlannedOrder[] = [];

  for (const candidate of candidates) {
    const match = catalog.get(candidate.isbn);
    const current = existing.get(orderKey(candidate));
    const resolvedTitle = candidate.title || match?.title || current?.title || '';
    if (!resolvedTitle) {
      issues.push({ row: candidate.rowNumber, column: '书名', reason: `书名为空，且社内书目中没有 ${candidate.isbn}：请填写书名` });
      continue;
    }
    if (current && candidate.quantity < current.shipped_quantity) {
      issues.push({ row: candidate.rowNumber, column: '数量', reason: `${candidate.course} ${candidate.className}《${current.title}》已发货 ${current.shipped_quantity} 册，数量不能改为 ${candidate.quantity}：开学后的减少请登记退货` });
      continue;
    }
    if (!match) notInCatalog.push({ row: candidate.rowNumber, isbn: candidate.isbn, title: resolvedTitle });
    planned.push({ ...candidate, bookId: match?.id ?? null, resolvedTitle });
  }

  const plannedKeys = new Set(planned.map(orderKey));
  const removable = options.mode === 'replace' ? [...existing.values()].filter((order) => order.shipped_quantity === 0 && !plannedKeys.has(orderKey({ course: order.course, className: order.class_name, isbn: order.isbn }))) : [];
  const toCreate = planned.filter((order) => !existing.has(orderKey(order)));
  const toUpdate = planned.filter((order) => {
    const current = existing.get(orderKey(order));
    return current !== undefined && current.quantity !== order.quantity;
  });

  const report: SubscriptionImportReport = {
    dryRun: options.dryRun,
    rowsRead: sheet.rows.length,
    accepted: planned.length,
    created: toCreate.length,
    updated: toUpdate.length,
    unchanged: planned.length - toCreate.length - toUpdate.length,
    removed: removable.length,
    issues: sortIssues(issues).slice(0, maxReportedIssues),
    notInCatalog,
    after: ordersAfter(existing, planned, removable),
  };
  if (options.dryRun || (toCreate.length === 0 && toUpdate.length === 0 && removable.length === 0)) return report;

  await db.transaction().execute(async (trx) => {
    const now = moment.now.toISOString();
    for (const order of toCreate) {
      await subscriptionRepository.putOrder(trx, projectId, { course: order.course, className: order.className, isbn: order.isbn, title: order.resolvedTitle, bookId: order.bookId, quantity: order.quantity }, actor.id, now);
    }
    for (const order of toUpdate) {
      await subscriptionRepository.updateOrder(trx, existing.get(orderKey(order))!.id, { quantity: order.quantity }, now);
    }
    for (const order of removable) await subscriptionRepository.deleteOrder(trx, order.id);

    // The sheet is kept once per content, so re-importing a corrected file adds it but the same file does not.
    if (!(await findDocumentByContent(trx, projectId, sha256Hex(file.content)))) {
      const note = `征订订单：新增 ${toCreate.length} 条，修改 ${toUpdate.length} 条${removable.length > 0 ? `，删除 ${removable.length} 条` : ''}`;
      await recordDocument(trx, { projectId, kind: 'other', fileName: file.fileName, content: file.content, note, uploadedBy: actor.id }, dataDir, moment);
    }
    await touchProject(trx, projectId, now);
  });
  return report;
}

/** Builds the order sheet template: the accepted headings and two example rows, for schools to fill in. */
export async function buildSubscriptionOrderTemplate(): Promise<Buffer> {
  return buildWorkbook(
    '教材征订订单',
    [
      { header: '课程', width: 14 },
      { header: '班级', width: 14 },
      { header: 'ISBN', width: 18 },
      { header: '书名', width: 36 },
      { header: '数量', width: 8 },
    ],
    [
      ['语文', '高一(1)班', '9787107301728', '普通高中教科书 语文 必修 上册', 45],
      ['语文', '高一(2)班', '9787107301728', '普通高中教科书 语文 必修 上册', 44],
    ],
  );
}

function ordersAfter(
  existing: Map<string, { quantity: number; isbn: string }>,
  planned: PlannedOrder[],
  removable: { course: string; class_name: string; isbn: string }[],
): SubscriptionImportReport['after'] {
  const quantities = new Map([...existing].map(([key, order]) => [key, { isbn: order.isbn, quantity: order.quantity }]));
  for (const order of planned) quantities.set(orderKey(order), { isbn: order.isbn, quantity: order.quantity });
  for (const order of removable) quantities.delete(orderKey({ course: order.course, className: order.class_name, isbn: order.isbn }));
  const values = [...quantities.values()];
  return { orderLines: values.length, titles: new Set(values.map((order) => order.isbn)).size, copies: values.reduce((sum, order) => sum + order.quantity, 0) };
}

function sortIssues(issues: ImportIssue[]): ImportIssue[] {
  return [...issues].sort((a, b) => a.row - b.row);
}
