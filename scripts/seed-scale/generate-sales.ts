import { netAmount, listAmount } from '../../shared/src/money.js';
import { contractTypeLabels, type ContractType } from '../../shared/src/api/contract.js';
import type { ApprovalSubject } from '../../shared/src/api/approval.js';
import { orgUsers } from '../fake-platform/org.js';
import { sha256Hex } from '../../server/src/lib/hash.js';
import { competitors, lostReasons } from './chinese-names.js';
import { dateOf, instantAt } from './calendar.js';
import { customerTypeCodes, type GenerationContext, type OrgMember } from './context.js';
import { AuditChain, loadApprovalTemplates, writeApproval, type ApprovalTemplateRow, type ApproverDirectory } from './approval-writer.js';
import { writeFulfilment, type ContractDocument } from './generate-receivables.js';
import { Random, WeightedTable } from './random.js';

/**
 * Opportunities, quotes, contracts and their approvals, customer by customer. Every buying customer gets
 * contracts over the period; most contracts close an opportunity that went through a quote. Each
 * contract is approved through the sales-contract template and handed to fulfilment (shipments, returns,
 * plans, receipts). Customers that do not buy have opportunities that were lost or are still open.
 */

const stageRanks = { initial_contact: 1, needs_confirmed: 2, quoting: 3, negotiating: 4, won: 5 } as const;
const openStages = ['initial_contact', 'needs_confirmed', 'quoting', 'negotiating'] as const;
const opportunityKinds: Record<string, readonly (readonly [string, number])[]> = {
  school: [['textbook_subscription', 80], ['group_purchase', 10], ['other', 10]],
  library: [['library_supply', 85], ['new_release', 10], ['other', 5]],
  default: [['replenishment', 50], ['new_release', 30], ['group_purchase', 10], ['other', 10]],
};
const opportunityKindTables = new Map(Object.entries(opportunityKinds).map(([type, choices]) => [type, new WeightedTable(choices)]));
const opportunityNames: Record<string, string> = {
  textbook_subscription: '秋季教材征订',
  library_supply: '年度馆配采购',
  group_purchase: '员工阅读团购',
  replenishment: '常规补货',
  new_release: '新书首发铺货',
  other: '图书采购',
};
const contractTypeByCustomer: Record<string, ContractType> = {
  online_platform: 'framework',
  xinhua_store: 'purchase_sale',
  private_store: 'purchase_sale',
  library: 'library_supply',
  school: 'textbook',
  institution: 'purchase_sale',
  corporate: 'purchase_sale',
  other: 'other',
};

/** Lines per contract and copies per line by customer type. */
const lineShapes: Record<string, { lines: [number, number]; quantity: [number, number]; categories: readonly string[] | null }> = {
  library: { lines: [10, 40], quantity: [1, 5], categories: ['general', 'children', 'academic', 'other'] },
  school: { lines: [3, 10], quantity: [40, 600], categories: ['textbook', 'teaching_aid'] },
  default: { lines: [4, 15], quantity: [5, 120], categories: null },
};

export interface SalesState {
  templates: Map<string, ApprovalTemplateRow>;
  audit: AuditChain;
  directory: ApproverDirectory;
  membersById: Map<number, OrgMember>;
  contractSequence: Map<number, number>;
  booksByCategory: Map<string, number[]>;
}

export function createSalesState(context: GenerationContext): SalesState {
  const membersById = new Map(context.org.members.map((member) => [member.id, member]));
  const booksByCategory = new Map<string, number[]>();
  for (let id = 1; id <= context.catalog.count; id += 1) {
    const list = booksByCategory.get(context.catalog.category[id]!) ?? [];
    list.push(id);
    booksByCategory.set(context.catalog.category[id]!, list);
  }
  return {
    templates: loadApprovalTemplates(context.sqlite),
    audit: new AuditChain(context, null),
    directory: buildDirectory(context, membersById),
    membersById,
    contractSequence: new Map(),
    booksByCategory,
  };
}

/** Resolves approver rules against the generated org, the way the approval engine would. */
function buildDirectory(context: GenerationContext, membersById: Map<number, OrgMember>): ApproverDirectory {
  const idOf = (userid: string) => context.org.byPlatformId.get(userid)!.id;
  const demoRoles = orgUsers.map((user) => ({ id: idOf(user.userid), roles: user.roles as string[], leads: user.leaderOf.length > 0, leaderOf: user.leaderOf }));
  const leadersByDepartmentName = (names: string[]) =>
    demoRoles.filter((user) => user.leaderOf.some((departmentId) => names.includes(context.org.departmentNames.get(departmentId) ?? ''))).map((user) => user.id);
  return {
    leaderOf: (submitterId) => membersById.get(submitterId)?.leaderId ?? context.org.executiveId,
    usersWithRole: (role, leadersOnly) => demoRoles.filter((user) => user.roles.includes(role) && (!leadersOnly || user.leads)).map((user) => user.id),
    leadersOfDepartmentsNamed: leadersByDepartmentName,
    admins: () => demoRoles.filter((user) => user.roles.includes('admin')).map((user) => user.id),
  };
}

export function generateSales(context: GenerationContext, state: SalesState): void {
  const random = context.random.fork(7);
  const { customers, profile } = context;
  const years = profile.years;

  for (let customerId = 1; customerId <= customers.count; customerId += 1) {
    const ownerId = customers.ownerId[customerId]!;
    if (ownerId === 0) continue;
    const owner = state.membersById.get(ownerId)!;
    const type = customerTypeCodes[customers.type[customerId]!]!;

    if (customers.buyer[customerId] === 1) {
      const contracts = Math.max(1, Math.round(random.around(profile.contractsPerCustomerYear * years, profile.contractsPerCustomerYear * years * 0.7, 1, 40)));
      for (let index = 0; index < contracts; index += 1) {
        const signedDay = random.int(context.startDay, context.asOfDay - 1);
        writeContract(context, state, random, { customerId, owner, type, signedDay, status: 'signed' });
      }
    }

    // Opportunities that did not (yet) become contracts: lost ones and the open funnel.
    const others = Math.round(random.around(profile.opportunitiesPerCustomerYear * years * 0.5, profile.opportunitiesPerCustomerYear * years * 0.4, 0, 20));
    for (let index = 0; index < others; index += 1) {
      const createdDay = random.int(context.startDay, context.asOfDay - 1);
      const closeDay = createdDay + random.int(20, 120);
      const open = closeDay >= context.asOfDay || random.chance(0.25);
      writeOpportunity(context, random, { customerId, owner, type, createdDay, closeDay: open ? Math.max(closeDay, context.asOfDay + random.int(1, 90)) : closeDay, outcome: open ? 'open' : 'lost', contractId: null });
    }
  }
}

/** Contracts waiting in review, each with its approval open at the first step, spread over the reps. */
export function generateOpenApprovals(context: GenerationContext, state: SalesState, count: number, onlySubmitters?: OrgMember[]): void {
  const random = context.random.fork(11);
  const submitters = onlySubmitters ?? context.org.reps;
  for (let index = 0; index < count; index += 1) {
    const owner = submitters[index % submitters.length]!;
    const owned = context.customers.byOwner.get(owner.id);
    if (!owned || owned.length === 0) continue;
    const customerId = random.pick(owned);
    const type = customerTypeCodes[context.customers.type[customerId]!]!;
    writeContract(context, state, random, { customerId, owner, type, signedDay: context.asOfDay - random.int(0, 6), status: 'in_review' });
  }
}

interface ContractPlan {
  customerId: number;
  owner: OrgMember;
  type: string;
  signedDay: number;
  status: 'signed' | 'in_review';
}

function writeContract(context: GenerationContext, state: SalesState, random: Random, plan: ContractPlan): void {
  const { catalog, customers } = context;
  const contractId = context.nextId('contract');
  const contractType = contractTypeByCustomer[plan.type] ?? 'purchase_sale';
  const shape = lineShapes[plan.type] ?? lineShapes.default!;
  const lineCount = random.int(shape.lines[0], shape.lines[1]);
  const special = random.chance(0.04);
  const defaultDiscount = customers.defaultDiscount[plan.customerId]!;
  const floorDiscount = customers.floorDiscount[plan.customerId]!;

  // Lines: distinct titles of the categories this customer buys, at the agreed discount.
  const lines: ContractDocument['lines'] = [];
  const used = new Set<number>();
  for (let seq = 1; seq <= lineCount; seq += 1) {
    const pool = shape.categories ? state.booksByCategory.get(random.pick(shape.categories)) : undefined;
    const bookId = pool && pool.length > 0 ? random.pick(pool) : random.int(1, catalog.count);
    if (used.has(bookId)) continue;
    used.add(bookId);
    const quantity = random.int(shape.quantity[0], shape.quantity[1]);
    const isTextbook = catalog.category[bookId] === 'textbook';
    const lineFloor = isTextbook && plan.type === 'school' ? Math.min(9500, defaultDiscount + 200) : floorDiscount;
    const lineDefault = isTextbook && plan.type === 'school' ? Math.min(9500, defaultDiscount + 500) : defaultDiscount;
    const isSpecial = special && lines.length === 0;
    const discount = isSpecial ? lineFloor - 300 : lineDefault;
    const listPriceFen = catalog.listPriceFen[bookId]!;
    lines.push({ seq: lines.length + 1, bookId, quantity, listPriceFen, discount, floorDiscount: lineFloor, isSpecial, listAmountFen: listAmount(listPriceFen, quantity), netAmountFen: netAmount(listPriceFen, quantity, discount) });
  }
  let totalListFen = 0;
  let totalNetFen = 0;
  let totalQuantity = 0;
  for (const line of lines) {
    totalListFen += line.listAmountFen;
    totalNetFen += line.netAmountFen;
    totalQuantity += line.quantity;
  }

  const year = Number(dateOf(plan.signedDay).slice(0, 4));
  const sequence = (state.contractSequence.get(year) ?? 0) + 1;
  state.contractSequence.set(year, sequence);
  const number = `HT-${year}-${String(sequence).padStart(6, '0')}`;
  const title = `${customers.name[plan.customerId]}${contractTypeLabels[contractType]}（${dateOf(plan.signedDay).slice(0, 7)}）`;
  const contentHash = sha256Hex(`${number}|${plan.customerId}|${totalNetFen}|${lines.map((line) => `${line.bookId}:${line.quantity}:${line.discount}`).join(',')}`);

  // Most contracts close an opportunity that went through a quote.
  const submittedDay = plan.signedDay - (plan.status === 'in_review' ? 0 : random.int(1, 4));
  const fromOpportunity = plan.status === 'signed' && random.chance(0.6);
  let opportunityId: number | null = null;
  let quoteId: number | null = null;
  if (fromOpportunity) {
    const createdDay = plan.signedDay - random.int(15, 90);
    opportunityId = writeOpportunity(context, random, { customerId: plan.customerId, owner: plan.owner, type: plan.type, createdDay, closeDay: plan.signedDay, outcome: 'won', contractId, expectedAmountFen: totalNetFen });
    quoteId = writeQuote(context, random, { customerId: plan.customerId, ownerId: plan.owner.id, opportunityId, contractId, day: submittedDay - random.int(2, 10), lines });
  }

  // Approval: submitted a few days before signing, each applicable step decided within a day.
  const template = state.templates.get('sales_contract');
  const subject: ApprovalSubject = {
    title,
    amountFen: totalNetFen,
    hasSpecialDiscount: special,
    contractType,
    summaryFields: [
      { label: '客户', value: customers.name[plan.customerId]! },
      { label: '合同编号', value: number },
    ],
    url: `/contracts/${contractId}`,
  };
  let approvalId: number | null = null;
  let approvedAt: string | null = null;
  if (template) {
    const submittedAt = instantAt(submittedDay, random.int(9 * 60, 17 * 60));
    const decisions: string[] = [];
    if (plan.status === 'signed') {
      let at = Date.parse(submittedAt);
      for (let step = 0; step < template.definition.steps.length; step += 1) {
        at += random.int(20, 1_200) * 60_000;
        decisions.push(new Date(Math.min(at, Date.parse(instantAt(plan.signedDay, 18 * 60)))).toISOString());
      }
    }
    const written = writeApproval(context, state.audit, state.directory, { template, subjectType: 'contract', subjectId: contractId, submitterId: plan.owner.id, subject, contentHash, submittedAt, decisionTimes: decisions });
    approvalId = written.approvalId;
    approvedAt = written.decidedAt;
  }

  const age = context.asOfDay - plan.signedDay;
  const status = contractStatusAt(plan.status, age);
  const signedAt = approvedAt ?? instantAt(plan.signedDay, 17 * 60);
  const sealedAt = status === 'sealed' || status === 'archived' ? instantAt(plan.signedDay + 2, 10 * 60) : null;
  context.insert('contract', {
    id: contractId,
    number,
    customer_id: plan.customerId,
    type: contractType,
    title,
    status,
    owner_id: plan.owner.id,
    opportunity_id: opportunityId,
    project_id: null,
    quote_id: quoteId,
    start_date: dateOf(plan.signedDay),
    end_date: dateOf(plan.signedDay + 365),
    delivery_terms: '签约后 15 日内发货，运费由出版社承担',
    notes: '',
    total_list_fen: totalListFen,
    total_net_fen: totalNetFen,
    total_quantity: totalQuantity,
    has_special_discount: special ? 1 : 0,
    approval_id: approvalId,
    approved_content_hash: status === 'in_review' ? null : contentHash,
    approved_at: status === 'in_review' ? null : signedAt,
    sealed_at: sealedAt,
    sealed_by: sealedAt ? context.org.sealKeeperId : null,
    seal_type: sealedAt ? 'contract_seal' : null,
    sealed_content_hash: sealedAt ? contentHash : null,
    seal_note: null,
    archived_at: status === 'archived' ? instantAt(plan.signedDay + 30, 10 * 60) : null,
    archived_by: status === 'archived' ? context.org.sealKeeperId : null,
    archive_number: status === 'archived' ? `GD-${number.slice(3)}` : null,
    archive_location: status === 'archived' ? '档案室 A 柜' : null,
    void_reason: null,
    void_from_status: null,
    void_approval_id: null,
    voided_at: null,
    version: 1,
    created_by: plan.owner.id,
    created_at: instantAt(submittedDay - 1, 15 * 60),
    updated_at: sealedAt ?? signedAt,
  });
  for (const line of lines) {
    context.insert('contract_line', {
      id: context.nextId('contract_line'),
      contract_id: contractId,
      seq: line.seq,
      book_id: line.bookId,
      isbn: catalog.isbn[line.bookId],
      title: catalog.title[line.bookId],
      list_price_fen: line.listPriceFen,
      quantity: line.quantity,
      discount: line.discount,
      floor_discount: line.floorDiscount,
      is_special_discount: line.isSpecial ? 1 : 0,
      list_amount_fen: line.listAmountFen,
      net_amount_fen: line.netAmountFen,
    });
  }

  const document: ContractDocument = { id: contractId, number, customerId: plan.customerId, ownerId: plan.owner.id, signedDay: plan.signedDay, totalNetFen, lines, contractType };
  writeFulfilment(context, random, document, plan.status === 'signed');
  if (plan.status === 'signed') {
    context.insert('customer_timeline', {
      customer_id: plan.customerId,
      kind: 'contract',
      ref_type: 'contract',
      ref_id: String(contractId),
      title: `签订合同 ${number}`,
      summary: title,
      actor_user_id: plan.owner.id,
      occurred_at: signedAt,
      dedup_key: null,
      created_at: signedAt,
    });
  }
}

/** A signed contract is sealed two weeks after approval and archived after two months. */
function contractStatusAt(planned: ContractPlan['status'], ageDays: number): string {
  if (planned === 'in_review') return 'in_review';
  if (ageDays > 60) return 'archived';
  if (ageDays > 14) return 'sealed';
  return 'approved';
}

interface OpportunityPlan {
  customerId: number;
  owner: OrgMember;
  type: string;
  createdDay: number;
  closeDay: number;
  outcome: 'won' | 'lost' | 'open';
  contractId: number | null;
  expectedAmountFen?: number;
}

function writeOpportunity(context: GenerationContext, random: Random, plan: OpportunityPlan): number {
  const id = context.nextId('opportunity');
  const kind = (opportunityKindTables.get(plan.type) ?? opportunityKindTables.get('default')!).draw(random);
  const reached = plan.outcome === 'won' ? 5 : random.int(1, 4);
  const stage = plan.outcome === 'open' ? openStages[reached - 1]! : plan.outcome;
  const createdAt = instantAt(plan.createdDay, random.int(9 * 60, 17 * 60));
  const closedAt = plan.outcome === 'open' ? null : instantAt(plan.closeDay, 17 * 60);
  const amount = plan.expectedAmountFen ?? random.int(20, 3_000) * 10_000;
  const lastActivityDay = plan.outcome === 'open' ? Math.max(plan.createdDay, context.asOfDay - random.int(0, 60)) : plan.closeDay;

  context.insert('opportunity', {
    id,
    customer_id: plan.customerId,
    name: `${context.customers.name[plan.customerId]}${opportunityNames[kind] ?? '图书采购'}`,
    kind,
    stage,
    max_stage_rank: reached,
    expected_amount_fen: amount,
    expected_close_date: dateOf(plan.closeDay),
    close_date: dateOf(plan.closeDay),
    owner_id: plan.owner.id,
    competitor: random.pick(competitors),
    notes: null,
    lost_reason: plan.outcome === 'lost' ? random.pick(lostReasons) : null,
    won_contract_id: plan.contractId,
    closed_at: closedAt,
    last_activity_at: instantAt(lastActivityDay, 16 * 60),
    stale_notified_at: null,
    created_by: plan.owner.id,
    created_at: createdAt,
    updated_at: closedAt ?? instantAt(lastActivityDay, 16 * 60),
  });

  // Stage history: one change per stage reached, spread between creation and close.
  const stages = Object.keys(stageRanks) as (keyof typeof stageRanks)[];
  let previous: string | null = null;
  const span = Math.max(1, Math.min(plan.closeDay, context.asOfDay) - plan.createdDay);
  for (let rank = 1; rank <= Math.min(reached, 4); rank += 1) {
    const to = stages[rank - 1]!;
    context.insert('opportunity_stage_change', { opportunity_id: id, from_stage: previous, to_stage: to, reason: null, actor_user_id: plan.owner.id, changed_at: instantAt(plan.createdDay + Math.floor(((rank - 1) * span) / 4), 11 * 60) });
    previous = to;
  }
  if (plan.outcome !== 'open') {
    context.insert('opportunity_stage_change', { opportunity_id: id, from_stage: previous, to_stage: stage, reason: plan.outcome === 'lost' ? '客户选择了其他供应商' : null, actor_user_id: plan.owner.id, changed_at: closedAt });
  }
  context.insert('customer_timeline', {
    customer_id: plan.customerId,
    kind: 'opportunity',
    ref_type: 'opportunity',
    ref_id: String(id),
    title: `新建商机：${opportunityNames[kind] ?? '图书采购'}`,
    summary: null,
    actor_user_id: plan.owner.id,
    occurred_at: createdAt,
    dedup_key: null,
    created_at: createdAt,
  });
  return id;
}

function writeQuote(
  context: GenerationContext,
  random: Random,
  plan: { customerId: number; ownerId: number; opportunityId: number; contractId: number; day: number; lines: ContractDocument['lines'] },
): number {
  const id = context.nextId('quote');
  const { catalog } = context;
  const year = dateOf(plan.day).slice(0, 4);
  const createdAt = instantAt(plan.day, random.int(9 * 60, 17 * 60));
  let listAmountFen = 0;
  let netAmountFen = 0;
  let quantity = 0;
  let specialLines = 0;
  for (const line of plan.lines) {
    listAmountFen += line.listAmountFen;
    netAmountFen += line.netAmountFen;
    quantity += line.quantity;
    if (line.isSpecial) specialLines += 1;
  }

  context.insert('quote', {
    id,
    number: `BJ-${year}-${String(id).padStart(6, '0')}`,
    version: 1,
    previous_version_id: null,
    customer_id: plan.customerId,
    opportunity_id: plan.opportunityId,
    owner_id: plan.ownerId,
    status: 'converted',
    special_discount_approval: specialLines > 0 ? 'approved' : 'none',
    approval_id: null,
    content_hash: sha256Hex(`quote|${id}|${netAmountFen}`),
    valid_until: dateOf(plan.day + 30),
    notes: null,
    list_amount_fen: listAmountFen,
    net_amount_fen: netAmountFen,
    total_quantity: quantity,
    line_count: plan.lines.length,
    special_line_count: specialLines,
    contract_id: plan.contractId,
    sent_at: createdAt,
    created_by: plan.ownerId,
    created_at: createdAt,
    updated_at: createdAt,
  });
  for (const line of plan.lines) {
    context.insert('quote_line', {
      id: context.nextId('quote_line'),
      quote_id: id,
      seq: line.seq,
      book_id: line.bookId,
      isbn: catalog.isbn[line.bookId],
      title: catalog.title[line.bookId],
      category: catalog.category[line.bookId],
      series: catalog.series[line.bookId],
      list_price_fen: line.listPriceFen,
      quantity: line.quantity,
      discount: line.discount,
      default_discount: line.isSpecial ? line.floorDiscount + 300 : line.discount,
      floor_discount: line.floorDiscount,
      list_amount_fen: line.listAmountFen,
      net_amount_fen: line.netAmountFen,
      is_special_discount: line.isSpecial ? 1 : 0,
    });
  }
  return id;
}

/** Writes the per-year contract number sequences the contract module continues from. */
export function writeContractSequences(context: GenerationContext, state: SalesState): void {
  for (const [year, lastValue] of state.contractSequence) context.insert('contract_number_sequence', { year, last_value: lastValue });
}
