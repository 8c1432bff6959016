import path from 'node:path';
import { sql } from 'kysely';
import type { Book } from '../../shared/src/api/book.js';
import type { Actor } from '../../server/src/access/actor.js';
import { addDays, localDate } from '../../server/src/lib/clock.js';
import { approveApproval } from '../../server/src/modules/approval/approval.actions.js';
import { loadStateOrThrow } from '../../server/src/modules/approval/approval.service.js';
import { searchBooks } from '../../server/src/modules/book/book.service.js';
import { uploadAttachment } from '../../server/src/modules/contract/contract.attachments.js';
import { submitContract } from '../../server/src/modules/contract/contract.lifecycle.js';
import { createContract, getContractDetail } from '../../server/src/modules/contract/contract.service.js';
import { getVisibleCustomerOrThrow, listVisibleCustomerIds, type CustomerSummary } from '../../server/src/modules/customer/customer.service.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { putConsignmentAgreement, settleConsignment } from '../../server/src/modules/receivable/consignment.service.js';
import { createInvoiceRequest, getInvoicePrefill } from '../../server/src/modules/receivable/invoice-request.service.js';
import { listPlansForContract } from '../../server/src/modules/receivable/payment-plan.repository.js';
import { recordReceipt } from '../../server/src/modules/receivable/receipt.service.js';
import { createReturnOrder } from '../../server/src/modules/receivable/return-order.service.js';
import { createShipment } from '../../server/src/modules/receivable/shipment.service.js';
import { createShareLink, confirmPublicStatement, disputePublicStatement } from '../../server/src/modules/receivable/statement-share.service.js';
import { sendStatement } from '../../server/src/modules/receivable/statement.service.js';
import { listAllStatementLines } from '../../server/src/modules/receivable/statement.repository.js';
import type { DemoSeedContext, DemoSeedStep } from './demo-data.js';

/**
 * Receivables of the demo publisher, written through the contract, approval and receivable services:
 * last year's contracts whose installments are now overdue in every aging bucket (one partly paid),
 * shipments and receipts behind them, a small return credited to a contract and a large one waiting for
 * 退货审批, an invoice request waiting for approval, a consignment (实销实结) store with a settlement and
 * stock near its return window, a prepayment left unallocated, and last month's statements: one sent and
 * disputed by the store's clerk, one confirmed.
 */

const dayMs = 86_400_000;
const timeZone = 'Asia/Shanghai';
/** Links in the notices the seed queues; the demo serves on port 3000 unless PORT sets another. */
const publicUrl = process.env.PUBLIC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

interface Story {
  rep: string;
  title: string;
  daysAgo: number;
  /** Copies per title of the contract. */
  copies: number;
  discount: number;
  /** Due dates relative to today with their share of the contract in basis points. */
  installments: { inDays: number; percentBp: number; note: string }[];
}

const stories: Story[] = [
  {
    rep: 'zhangwei01',
    title: '2025 年度常规供货合同',
    daysAgo: 200,
    copies: 600,
    discount: 6200,
    installments: [
      { inDays: -130, percentBp: 2300, note: '首批到货后支付' },
      { inDays: -100, percentBp: 1900, note: '第二批到货后支付' },
      { inDays: -75, percentBp: 1900, note: '第三批到货后支付' },
      { inDays: -45, percentBp: 1500, note: '季度结算' },
      { inDays: -12, percentBp: 1200, note: '季度结算' },
      { inDays: 25, percentBp: 1200, note: '年度尾款' },
    ],
  },
  {
    rep: 'lina01',
    title: '少儿图书专柜供货合同',
    daysAgo: 120,
    copies: 400,
    discount: 6300,
    installments: [
      { inDays: -50, percentBp: 5000, note: '到货验收后支付' },
      { inDays: 40, percentBp: 5000, note: '结算尾款' },
    ],
  },
  {
    rep: 'sunli01',
    title: '华北区域图书供货合同',
    daysAgo: 180,
    copies: 500,
    discount: 6000,
    installments: [
      { inDays: -95, percentBp: 4000, note: '到货后 30 天内支付' },
      { inDays: -35, percentBp: 3000, note: '季度结算' },
      { inDays: 20, percentBp: 3000, note: '结算尾款' },
    ],
  },
];

async function actorOf(context: DemoSeedContext, userid: string): Promise<Actor | undefined> {
  const id = context.userIds.get(userid);
  return id === undefined ? undefined : loadActor(context.db, id);
}

async function dataDirOf(context: DemoSeedContext): Promise<string | undefined> {
  const rows = await sql<{ name: string; file: string }>`pragma database_list`.execute(context.db);
  const file = rows.rows.find((row) => row.name === 'main')?.file;
  return file ? path.dirname(file) : undefined;
}

/** A store customer the rep owns that no earlier story used; stores first, since they get shipments and statements. */
async function pickCustomer(context: DemoSeedContext, rep: Actor, used: Set<number>): Promise<CustomerSummary | undefined> {
  const visible = await listVisibleCustomerIds(context.db, rep);
  if (visible === 'all') return undefined;
  const owned: CustomerSummary[] = [];
  for (const id of visible.slice(0, 40)) {
    const customer = await getVisibleCustomerOrThrow(context.db, rep, id);
    if (customer.ownerId === rep.id && !used.has(customer.id)) owned.push(customer);
  }
  const stores = ['xinhua_store', 'private_store', 'online_platform'];
  const picked = owned.find((customer) => stores.includes(customer.type)) ?? owned[0];
  if (picked) used.add(picked.id);
  return picked;
}

async function demoBooks(context: DemoSeedContext): Promise<Book[]> {
  const general = (await searchBooks(context.db, { category: 'general', status: 'on_sale', limit: 3, offset: 0 })).items;
  const children = (await searchBooks(context.db, { category: 'children', status: 'on_sale', limit: 2, offset: 0 })).items;
  return [...general, ...children].slice(0, 4);
}

function contractPdf(number: string, title: string): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${number} ${title}\n%%EOF\n`, 'utf8');
}

/** Creates, submits and approves a contract through the contract and approval services, dated in the past. */
async function approvedContract(context: DemoSeedContext, rep: Actor, customer: CustomerSummary, books: Book[], story: Story, today: string, dataDir: string): Promise<number> {
  const createdAt = new Date(context.now.getTime() - story.daysAgo * dayMs);
  const contractId = await createContract(
    context.db,
    rep,
    {
      customerId: customer.id,
      type: 'purchase_sale',
      title: `${customer.shortName ?? customer.name}${story.title}`,
      startDate: addDays(today, -story.daysAgo),
      endDate: addDays(today, 365 - story.daysAgo),
      deliveryTerms: '乙方按甲方订单分批发货，运费由乙方承担；到货 5 个工作日内甲方完成验收。',
      notes: '',
      opportunityId: null,
      projectId: null,
      lines: books.map((book, index) => ({ bookId: book.id, title: null, isbn: null, listPriceFen: null, quantity: story.copies - index * 100, discount: story.discount })),
      installments: story.installments.map((item) => ({ dueDate: addDays(today, item.inDays), amountFen: null, percentBp: item.percentBp, note: item.note })),
    },
    { now: createdAt, timeZone },
  );
  const draft = await getContractDetail(context.db, rep, contractId);
  await uploadAttachment({ db: context.db, dataDir, now: new Date(createdAt.getTime() + 3_600_000) }, rep, contractId, { kind: 'contract_text', fileName: `${draft.number} 合同正文.pdf`, bytes: contractPdf(draft.number, story.title) });
  const ready = await getContractDetail(context.db, rep, contractId);
  let at = createdAt.getTime() + 2 * 3_600_000;
  await submitContract(context.db, rep, contractId, { version: ready.version }, new Date(at));

  const approvalId = (await getContractDetail(context.db, rep, contractId)).approval!.id;
  for (let step = 0; step < 8; step += 1) {
    const state = await loadStateOrThrow(context.db, approvalId);
    const task = state.tasks.find((candidate) => candidate.status === 'pending');
    if (state.instance.status !== 'pending' || !task) break;
    const approver = await loadActor(context.db, task.assignee_id);
    if (!approver) break;
    at += 4 * 3_600_000;
    await approveApproval(context.db, approver, approvalId, { comment: '同意' }, new Date(at));
  }
  return contractId;
}

/** Ships the contract's titles in two batches: 60 % long ago, the rest on the 10th of last month. */
async function shipContract(context: DemoSeedContext, rep: Actor, customerId: number, contractId: number, books: Book[], story: Story, lastMonthDay: (day: number) => string, today: string): Promise<void> {
  const batches = [
    { date: addDays(today, -story.daysAgo + 10), share: 0.6 },
    { date: lastMonthDay(10), share: 0.4 },
  ];
  for (const batch of batches) {
    await createShipment(
      context.db,
      rep,
      {
        number: null,
        customerId,
        contractId,
        shippedDate: batch.date,
        note: '按合同分批发货',
        lines: books.map((book, index) => ({ isbn: book.isbn, title: book.title, listPriceFen: book.listPriceFen, quantity: Math.round((story.copies - index * 100) * batch.share), discount: story.discount })),
      },
      new Date(`${batch.date}T03:00:00Z`),
    );
  }
}

export const receivableSeedStep: DemoSeedStep = {
  name: 'receivables',
  async run(context) {
    const dataDir = await dataDirOf(context);
    const finance = await actorOf(context, 'gaoxiang01');
    const books = await demoBooks(context);
    if (!dataDir || !finance || books.length === 0) {
      context.logger.warn('demo receivables skipped: no data folder, finance user or catalog');
      return;
    }

    const today = localDate(context.now, timeZone);
    const lastMonth = addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
    const lastMonthDay = (day: number) => `${lastMonth}-${String(day).padStart(2, '0')}`;
    const receiptContext = (date: string) => ({ now: new Date(`${date}T06:00:00Z`), today: date, publicUrl });
    const used = new Set<number>();
    const contracts: { story: Story; rep: Actor; customer: CustomerSummary; contractId: number }[] = [];

    for (const story of stories) {
      const rep = await actorOf(context, story.rep);
      const customer = rep ? await pickCustomer(context, rep, used) : undefined;
      if (!rep || !customer) continue;
      const contractId = await approvedContract(context, rep, customer, books, story, today, dataDir);
      await shipContract(context, rep, customer.id, contractId, books, story, lastMonthDay, today);
      contracts.push({ story, rep, customer, contractId });
    }

    const [main, children, north] = contracts;
    if (main) {
      // The first installment paid in full long ago; half of the second on the 20th of last month.
      const plans = await listPlansForContract(context.db, main.contractId);
      const first = plans[0]!;
      const second = plans[1]!;
      const firstDate = addDays(first.due_date, 6);
      await recordReceipt(context.db, finance, { customerId: main.customer.id, receivedDate: firstDate, amountFen: first.amount_fen, payerName: main.customer.name, method: 'bank_transfer', bankReference: `DEMO${firstDate.replace(/-/g, '')}0001`, note: null, allocation: { mode: 'auto' } }, receiptContext(firstDate));
      const partialDate = lastMonthDay(20);
      await recordReceipt(context.db, finance, { customerId: main.customer.id, receivedDate: partialDate, amountFen: Math.round(second.amount_fen / 2), payerName: main.customer.name, method: 'bank_transfer', bankReference: `DEMO${partialDate.replace(/-/g, '')}0002`, note: '部分回款', allocation: { mode: 'auto' } }, receiptContext(partialDate));

      // A small return of damaged copies, credited to the last installment.
      await createReturnOrder(context.db, main.rep, { number: null, customerId: main.customer.id, contractId: main.contractId, shipmentId: null, returnDate: lastMonthDay(15), reason: '运输途中受潮破损', lines: [{ isbn: books[0]!.isbn, title: books[0]!.title, listPriceFen: books[0]!.listPriceFen, quantity: 12, discount: main.story.discount }] }, new Date(`${lastMonthDay(15)}T03:00:00Z`));

      // An invoice request for most of what has been shipped, waiting for the department leader.
      const prefill = await getInvoicePrefill(context.db, main.rep, main.contractId, today);
      await createInvoiceRequest(
        context.db,
        main.rep,
        { contractId: main.contractId, buyerName: main.customer.name, taxId: main.customer.creditCode ?? '', addressPhone: `${prefill.addressPhone} 财务部`.trim(), bankAccount: '中国工商银行股份有限公司营业部 4301 0211 0900 1234 567', amountFen: Math.floor((prefill.invoiceableFen * 0.6) / 100) * 100, differentBuyerConfirmed: main.customer.creditCode === null, note: '客户要求本月开具数电专票' },
        { now: new Date(context.now.getTime() - 2 * 3_600_000), today },
      );

      // Last month's statement: sent, shared with the store's clerk, who disputes the shipment line.
      const { statementId } = await sendStatement(context.db, finance, { customerId: main.customer.id, month: lastMonth }, { now: new Date(context.now.getTime() - 3 * dayMs), today, publicUrl });
      const share = await createShareLink(context.db, finance, statementId, {}, { now: new Date(context.now.getTime() - 3 * dayMs), publicUrl });
      const token = share.url.split('/').pop()!;
      const lines = await listAllStatementLines(context.db, statementId);
      const shipmentLine = lines.find((line) => line.kind === 'shipment');
      if (shipmentLine) {
        await disputePublicStatement(context.db, token, { clerkName: '钱会计', statementLineId: shipmentLine.id, comment: '我方入库单少记一包（8 册），请核对发货单', claimedAmountFen: shipmentLine.amount_fen - 800 }, { now: new Date(context.now.getTime() - dayMs), publicUrl });
      }
    }

    if (children) {
      // Half of the overdue installment paid; a large return waiting for 退货审批.
      const plans = await listPlansForContract(context.db, children.contractId);
      const paidDate = addDays(plans[0]!.due_date, 10);
      await recordReceipt(context.db, finance, { customerId: children.customer.id, receivedDate: paidDate, amountFen: Math.round(plans[0]!.amount_fen * 0.4), payerName: children.customer.name, method: 'bank_transfer', bankReference: `DEMO${paidDate.replace(/-/g, '')}0003`, note: null, allocation: { mode: 'auto' } }, receiptContext(paidDate));
      await createReturnOrder(
        context.db,
        children.rep,
        { number: null, customerId: children.customer.id, contractId: children.contractId, shipmentId: null, returnDate: addDays(today, -2), reason: '暑期档结束，滞销品种整批退回', lines: books.slice(0, 2).map((book, index) => ({ isbn: book.isbn, title: book.title, listPriceFen: book.listPriceFen, quantity: Math.round((children.story.copies - index * 100) * 0.8), discount: children.story.discount })) },
        new Date(context.now.getTime() - 2 * dayMs),
      );
    }

    if (north) {
      const { statementId } = await sendStatement(context.db, finance, { customerId: north.customer.id, month: lastMonth }, { now: new Date(context.now.getTime() - 3 * dayMs), today, publicUrl });
      const share = await createShareLink(context.db, finance, statementId, {}, { now: new Date(context.now.getTime() - 3 * dayMs), publicUrl });
      await confirmPublicStatement(context.db, share.url.split('/').pop()!, '孙会计', new Date(context.now.getTime() - 2 * dayMs));
    }

    await seedConsignment(context, books, today, lastMonthDay, used);
    await seedPrepayment(context, finance, used, today);
    context.logger.info({ contracts: contracts.length }, 'demo receivables created');
  },
};

/** A 西南 store on 实销实结: stock shipped 80 and 40 days ago, last month's sales settled, the old stock's window closing. */
async function seedConsignment(context: DemoSeedContext, books: Book[], today: string, lastMonthDay: (day: number) => string, used: Set<number>): Promise<void> {
  const rep = await actorOf(context, 'hejing01');
  const manager = await actorOf(context, 'yangfan01');
  const customer = rep ? await pickCustomer(context, rep, used) : undefined;
  if (!rep || !manager || !customer) return;

  await putConsignmentAgreement(context.db, manager, customer.id, { returnWindowDays: 90, warnDaysBefore: 15, paymentDays: 30, active: true }, new Date(context.now.getTime() - 100 * dayMs));
  for (const [index, daysAgo] of [80, 40].entries()) {
    const date = addDays(today, -daysAgo);
    await createShipment(
      context.db,
      rep,
      { number: null, customerId: customer.id, contractId: null, shippedDate: date, note: '寄销铺货', lines: books.map((book) => ({ isbn: book.isbn, title: book.title, listPriceFen: book.listPriceFen, quantity: 60 - index * 20, discount: 6500 })) },
      new Date(`${date}T03:00:00Z`),
    );
  }
  await settleConsignment(
    context.db,
    rep,
    { customerId: customer.id, periodFrom: lastMonthDay(1), periodTo: addDays(`${today.slice(0, 7)}-01`, -1), dryRun: false, lines: books.slice(0, 3).map((book, index) => ({ isbn: book.isbn, quantity: 25 - index * 5 })) },
    new Date(context.now.getTime() - 5 * dayMs),
  );
}

/** A prepayment from a 华东 customer without any plan yet: it stays as the customer's unallocated balance. */
async function seedPrepayment(context: DemoSeedContext, finance: Actor, used: Set<number>, today: string): Promise<void> {
  const rep = await actorOf(context, 'liuyang01');
  const customer = rep ? await pickCustomer(context, rep, used) : undefined;
  if (!customer) return;
  const date = addDays(today, -6);
  await recordReceipt(
    context.db,
    finance,
    { customerId: customer.id, receivedDate: date, amountFen: 5_000_000, payerName: customer.name, method: 'bank_transfer', bankReference: `DEMO${date.replace(/-/g, '')}0009`, note: '馆配项目预付款', allocation: { mode: 'auto' } },
    { now: new Date(`${date}T06:00:00Z`), today: date, publicUrl },
  );
}
