import path from 'node:path';
import { sql } from 'kysely';
import type { Book, BookCategory } from '../../shared/src/api/book.js';
import type { ContractInput, ContractType } from '../../shared/src/api/contract.js';
import type { Actor } from '../../server/src/access/actor.js';
import { addDays, localDate } from '../../server/src/lib/clock.js';
import { approveApproval, rejectApproval } from '../../server/src/modules/approval/approval.actions.js';
import { loadStateOrThrow } from '../../server/src/modules/approval/approval.service.js';
import { searchBooks } from '../../server/src/modules/book/book.service.js';
import { uploadAttachment } from '../../server/src/modules/contract/contract.attachments.js';
import { archiveContract, sealContract, submitContract, voidContract } from '../../server/src/modules/contract/contract.lifecycle.js';
import { createContract, getContractDetail } from '../../server/src/modules/contract/contract.service.js';
import { getVisibleCustomerOrThrow, listVisibleCustomerIds, type CustomerSummary } from '../../server/src/modules/customer/customer.service.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import type { DemoSeedContext, DemoSeedStep } from './demo-data.js';

/**
 * Contracts of the demo publisher in every state, written through the contract and approval services so
 * numbers, content hashes, approval histories, audit rows, payment plans and timelines are all real:
 * drafts, contracts waiting at each step of the sales-contract approval (so every demo leader has
 * something to approve), approved ones waiting for the seal, sealed and archived ones, a rejected one
 * back in draft, a voided draft, a void request in review and an approved contract voided later.
 */

const dayMs = 86_400_000;
const timeZone = 'Asia/Shanghai';

type Story = 'draft' | 'waiting' | 'approved' | 'sealed' | 'archived' | 'rejected' | 'voided' | 'void_review' | 'void_approved';

interface Plan {
  rep: string;
  story: Story;
  /** Approvers who have already approved, in order, for 'waiting' stories. */
  approvedBy?: string[];
  type: ContractType;
  /** Book categories to pick lines from, and copies per line. */
  categories: BookCategory[];
  copies: number;
  discount: number;
  /** Lines priced below the customer's floor, to show the special-discount step. */
  special?: boolean;
  title: string;
  daysAgo: number;
}

const plans: Plan[] = [
  { rep: 'zhangwei01', story: 'waiting', type: 'purchase_sale', categories: ['general'], copies: 2_000, discount: 5800, special: true, title: '春季文学新书购销合同', daysAgo: 3 },
  { rep: 'lina01', story: 'waiting', type: 'purchase_sale', categories: ['children', 'general'], copies: 300, discount: 6300, title: '少儿读物常规补货合同', daysAgo: 1 },
  { rep: 'liuyang01', story: 'waiting', approvedBy: ['wanglei01'], type: 'library_supply', categories: ['academic', 'general'], copies: 600, discount: 7000, title: '年度中文图书馆配合同（第一批）', daysAgo: 4 },
  { rep: 'sunli01', story: 'waiting', approvedBy: ['zhaozhiqiang01'], type: 'purchase_sale', categories: ['general'], copies: 800, discount: 5500, special: true, title: '年中文学专区备货合同', daysAgo: 2 },
  { rep: 'hejing01', story: 'waiting', approvedBy: ['yangfan01'], type: 'purchase_sale', categories: ['children'], copies: 500, discount: 6400, title: '暑期少儿阅读季供货合同', daysAgo: 2 },
  { rep: 'xuting01', story: 'waiting', approvedBy: ['huangxiaoming01', 'huming01', 'zhuhongmei01'], type: 'library_supply', categories: ['academic', 'general', 'children'], copies: 6_000, discount: 7200, title: '市图书馆年度馆配合同', daysAgo: 6 },
  { rep: 'zhengkai01', story: 'waiting', type: 'textbook', categories: ['textbook'], copies: 4_000, discount: 7500, title: '秋季地方课程教材征订合同', daysAgo: 1 },
  { rep: 'zhangwei01', story: 'draft', type: 'purchase_sale', categories: ['general'], copies: 200, discount: 6500, title: '江南风物系列上架合同', daysAgo: 0 },
  { rep: 'machao01', story: 'approved', type: 'purchase_sale', categories: ['general', 'children'], copies: 400, discount: 6300, title: '新华书店春季主题书展供货合同', daysAgo: 9 },
  { rep: 'zhengkai01', story: 'sealed', type: 'textbook', categories: ['textbook'], copies: 3_000, discount: 7600, title: '书法练习指导征订合同', daysAgo: 20 },
  { rep: 'luobin01', story: 'archived', type: 'purchase_sale', categories: ['general'], copies: 600, discount: 6200, title: '年度常规供货合同', daysAgo: 45 },
  { rep: 'lina01', story: 'rejected', type: 'purchase_sale', categories: ['general'], copies: 1_000, discount: 5000, special: true, title: '团购专项供货合同', daysAgo: 5 },
  { rep: 'machao01', story: 'voided', type: 'other', categories: ['general'], copies: 100, discount: 6500, title: '读书会赠书合作协议', daysAgo: 12 },
  { rep: 'hejing01', story: 'void_review', type: 'purchase_sale', categories: ['general'], copies: 300, discount: 6300, title: '连锁门店铺货合同', daysAgo: 30 },
  { rep: 'lina01', story: 'void_approved', type: 'purchase_sale', categories: ['children'], copies: 200, discount: 6400, title: '寒假少儿读物专柜供货合同', daysAgo: 25 },
];

const deliveryTerms = '乙方收到甲方订单后 7 个工作日内发货至甲方指定仓库，运费由乙方承担；到货 5 个工作日内甲方完成验收。';

async function actorOf(context: DemoSeedContext, userid: string): Promise<Actor | undefined> {
  const id = context.userIds.get(userid);
  return id === undefined ? undefined : loadActor(context.db, id);
}

/** The data folder of this database (the main database file's folder), where contract files go. */
async function dataDirOf(context: DemoSeedContext): Promise<string | undefined> {
  const rows = await sql<{ name: string; file: string }>`pragma database_list`.execute(context.db);
  const file = rows.rows.find((row) => row.name === 'main')?.file;
  return file ? path.dirname(file) : undefined;
}

/** A one-page PDF naming the contract, as the contract text approvers open. */
function contractPdf(number: string, title: string, customer: string): Buffer {
  const body = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n% ${number} ${title} ${customer}\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.from(body, 'utf8');
}

async function ownCustomers(context: DemoSeedContext, rep: Actor): Promise<CustomerSummary[]> {
  const visible = await listVisibleCustomerIds(context.db, rep);
  if (visible === 'all') return [];
  const customers: CustomerSummary[] = [];
  for (const id of visible.slice(0, 40)) {
    const customer = await getVisibleCustomerOrThrow(context.db, rep, id);
    if (customer.ownerId === rep.id) customers.push(customer);
  }
  return customers;
}

function pickCustomer(customers: CustomerSummary[], type: ContractType, used: Set<number>): CustomerSummary | undefined {
  const wanted = type === 'library_supply' ? ['library'] : type === 'textbook' ? ['school'] : ['xinhua_store', 'private_store', 'online_platform', 'corporate', 'institution'];
  const fresh = customers.filter((customer) => !used.has(customer.id));
  return fresh.find((customer) => wanted.includes(customer.type)) ?? fresh[0] ?? customers[0];
}

async function booksFor(context: DemoSeedContext, categories: BookCategory[]): Promise<Book[]> {
  const books: Book[] = [];
  for (const category of categories) {
    books.push(...(await searchBooks(context.db, { category, status: 'on_sale', limit: 4, offset: 0 })).items);
  }
  return books.slice(0, 5);
}

function contractInput(plan: Plan, customer: CustomerSummary, books: Book[], today: string, index: number): ContractInput {
  const lines = books.map((book, line) => ({
    bookId: book.id,
    title: null,
    isbn: null,
    listPriceFen: null,
    quantity: Math.max(50, Math.round((plan.copies * (1 + (line % 3))) / 3 / 10) * 10),
    // A special-discount plan prices its first line well below any agreement's floor.
    discount: plan.special && line === 0 ? plan.discount - 1000 : plan.discount,
  }));
  return {
    customerId: customer.id,
    type: plan.type,
    title: `${customer.shortName ?? customer.name}${plan.title}`,
    startDate: addDays(today, -plan.daysAgo),
    endDate: addDays(today, 365 - plan.daysAgo),
    deliveryTerms,
    notes: index % 2 === 0 ? '价格含税，发票随货同行' : '',
    opportunityId: null,
    projectId: null,
    lines,
    // 30 % on signing, 40 % on delivery, the rest at the end of the quarter after next.
    installments: [
      { dueDate: addDays(today, 30 - plan.daysAgo), amountFen: null, percentBp: 3000, note: '合同签订后支付' },
      { dueDate: addDays(today, 75 - plan.daysAgo), amountFen: null, percentBp: 4000, note: '到货验收后支付' },
      { dueDate: addDays(today, 150 - plan.daysAgo), amountFen: null, percentBp: 3000, note: '结算尾款' },
    ],
  };
}

/**
 * Approves the current step as each named approver in turn, a few hours apart. Stops at the first one
 * without an open task (the flow of this customer's amount may skip that step), so a skipped step does not stop the seed.
 */
async function approveAs(context: DemoSeedContext, approvalId: number, userids: string[], from: Date): Promise<Date> {
  let at = from.getTime();
  for (const userid of userids) {
    const approver = await actorOf(context, userid);
    const state = await loadStateOrThrow(context.db, approvalId);
    if (!approver || !state.tasks.some((task) => task.assignee_id === approver.id && task.status === 'pending')) {
      context.logger.warn({ approvalId, userid }, 'demo approval: expected approver has no open task; leaving the approval where it is');
      break;
    }
    at += 5 * 3_600_000;
    await approveApproval(context.db, approver, approvalId, { comment: approvalComments[userid] ?? '同意' }, new Date(at));
  }
  return new Date(at);
}

/** Approves every remaining step with whoever holds its first open task. */
async function approveToTheEnd(context: DemoSeedContext, approvalId: number, from: Date): Promise<Date> {
  let at = from.getTime();
  for (let step = 0; step < 8; step += 1) {
    const state = await loadStateOrThrow(context.db, approvalId);
    const task = state.tasks.find((candidate) => candidate.status === 'pending');
    if (state.instance.status !== 'pending' || !task) break;
    const approver = await loadActor(context.db, task.assignee_id);
    if (!approver) break;
    at += 4 * 3_600_000;
    await approveApproval(context.db, approver, approvalId, { comment: '同意' }, new Date(at));
  }
  return new Date(at);
}

const approvalComments: Record<string, string> = {
  wanglei01: '客户回款记录良好，同意',
  zhaozhiqiang01: '同意，特价品种控制在本批次内',
  yangfan01: '同意，注意按期回款',
  huangxiaoming01: '馆配目录已与客户确认，同意',
  huming01: '合同条款已审核，违约责任条款已按法务模板修改',
  zhuhongmei01: '回款节点合理，同意',
};

export const contractSeedStep: DemoSeedStep = {
  name: 'contracts',
  async run(context) {
    const dataDir = await dataDirOf(context);
    if (!dataDir) {
      context.logger.warn('demo contracts skipped: the database has no data folder for contract files');
      return;
    }
    const sealKeeper = await actorOf(context, 'fengxue01');
    const archivist = await actorOf(context, 'handong01');
    const today = localDate(context.now, timeZone);
    const used = new Set<number>();
    let created = 0;

    for (const [index, plan] of plans.entries()) {
      const rep = await actorOf(context, plan.rep);
      if (!rep) continue;
      const customer = pickCustomer(await ownCustomers(context, rep), plan.type, used);
      const books = await booksFor(context, plan.categories);
      if (!customer || books.length === 0) continue;
      used.add(customer.id);

      const createdAt = new Date(context.now.getTime() - plan.daysAgo * dayMs - 6 * 3_600_000);
      const contractId = await createContract(context.db, rep, contractInput(plan, customer, books, today, index), { now: createdAt, timeZone });
      created += 1;
      if (plan.story === 'draft') continue;
      if (plan.story === 'voided') {
        const draft = await getContractDetail(context.db, rep, contractId);
        await voidContract(context.db, rep, contractId, { reason: '客户改为按单采购，不再签订年度协议', version: draft.version }, new Date(createdAt.getTime() + dayMs));
        continue;
      }

      const number = (await getContractDetail(context.db, rep, contractId)).number;
      await uploadAttachment({ db: context.db, dataDir, now: new Date(createdAt.getTime() + 3_600_000) }, rep, contractId, {
        kind: 'contract_text',
        fileName: `${number} ${plan.title}.pdf`,
        bytes: contractPdf(number, plan.title, customer.name),
      });
      const ready = await getContractDetail(context.db, rep, contractId);
      const submittedAt = new Date(createdAt.getTime() + 2 * 3_600_000);
      await submitContract(context.db, rep, contractId, { version: ready.version }, submittedAt);
      const approvalId = (await getContractDetail(context.db, rep, contractId)).approval!.id;

      if (plan.story === 'waiting') {
        await approveAs(context, approvalId, plan.approvedBy ?? [], submittedAt);
        continue;
      }
      if (plan.story === 'rejected') {
        const leader = await actorOf(context, 'wanglei01');
        if (leader) await rejectApproval(context.db, leader, approvalId, { comment: '特价幅度过大，低于客户折扣底线 1 折以上，请与客户重新商谈后再提交' }, new Date(submittedAt.getTime() + 4 * 3_600_000));
        continue;
      }

      const approvedAt = await approveToTheEnd(context, approvalId, submittedAt);
      if (plan.story === 'approved') continue;
      if (plan.story === 'void_review') {
        const approved = await getContractDetail(context.db, rep, contractId);
        await voidContract(context.db, rep, contractId, { reason: '客户门店整合，原合同由新签的连锁总部合同替代', version: approved.version }, new Date(context.now.getTime() - 2 * 3_600_000));
        continue;
      }
      if (plan.story === 'void_approved') {
        // Approving the void cancels the unreceived payment plans, which the receivables pages show as 已取消.
        const approved = await getContractDetail(context.db, rep, contractId);
        const requestedAt = new Date(approvedAt.getTime() + 3 * dayMs);
        await voidContract(context.db, rep, contractId, { reason: '客户寒假专柜取消，双方协商解除合同', version: approved.version }, requestedAt);
        const voidApprovalId = (await getContractDetail(context.db, rep, contractId)).voidApproval!.id;
        await approveToTheEnd(context, voidApprovalId, requestedAt);
        continue;
      }
      if (!sealKeeper) continue;

      const approved = await getContractDetail(context.db, sealKeeper, contractId);
      const sealedAt = new Date(approvedAt.getTime() + dayMs);
      await sealContract(context.db, sealKeeper, contractId, { sealType: 'contract_seal', approvedContentHash: approved.approvedContentHash!, note: '一式四份，甲乙双方各执两份', version: approved.version }, sealedAt);
      if (plan.story === 'sealed' || !archivist) continue;

      await uploadAttachment({ db: context.db, dataDir, now: new Date(sealedAt.getTime() + 5 * dayMs) }, rep, contractId, {
        kind: 'signed_copy',
        fileName: `${number} 双方盖章扫描件.pdf`,
        bytes: contractPdf(number, `${plan.title}（双方盖章）`, customer.name),
      });
      const sealed = await getContractDetail(context.db, archivist, contractId);
      await archiveContract(context.db, archivist, contractId, { location: '综合办公室档案柜 A-03', version: sealed.version }, new Date(sealedAt.getTime() + 6 * dayMs));
    }
    context.logger.info({ contracts: created }, 'demo contracts created');
  },
};
