import { netAmount, listAmount } from '../../shared/src/money.js';
import { planStatusOf } from '../../shared/src/receivable-rules.js';
import type { ContractType } from '../../shared/src/api/contract.js';
import { returnReasons } from './chinese-names.js';
import { dateOf, instantAt, monthOf } from './calendar.js';
import type { GenerationContext } from './context.js';
import { Random, WeightedTable } from './random.js';

/**
 * What follows a signed contract: installments and their payment plans, shipments of the lines, returns
 * (each customer's return share of shipped 码洋 is drawn between 5 % and 40 %), return credits against
 * the open plans, receipts by the customer's payment habit (on time, late, partial, unpaid), invoices,
 * and the ledger entries statements are built from. Events are applied in date order per contract, so
 * plan balances, allocations and receipts agree at every point in time.
 */

export interface ContractDocument {
  id: number;
  number: string;
  customerId: number;
  ownerId: number;
  signedDay: number;
  totalNetFen: number;
  contractType: ContractType;
  lines: {
    seq: number;
    bookId: number;
    quantity: number;
    listPriceFen: number;
    discount: number;
    floorDiscount: number;
    isSpecial: boolean;
    listAmountFen: number;
    netAmountFen: number;
  }[];
}

const installmentCounts = new WeightedTable([[1, 20], [2, 20], [3, 25], [4, 15], [6, 10], [12, 10]] as const);
type PayerHabit = 'prompt' | 'slow' | 'partial' | 'bad';
const payerHabits = new WeightedTable<PayerHabit>([['prompt', 60], ['slow', 25], ['partial', 10], ['bad', 5]]);

interface PlanState {
  id: number;
  seq: number;
  dueDay: number;
  amountFen: number;
  allocatedFen: number;
}

type LedgerEvent =
  | { day: number; kind: 'return'; returnOrderId: number; netFen: number }
  | { day: number; kind: 'payment'; plan: PlanState; share: number | 'rest' };

/** Per-prefix, per-month sequences of document numbers such as FH202401-0007. */
const documentSequences = new Map<string, number>();

function documentNumber(prefix: string, day: number): string {
  const stem = `${prefix}${monthOf(day).replace('-', '')}-`;
  const next = (documentSequences.get(stem) ?? 0) + 1;
  documentSequences.set(stem, next);
  return `${stem}${String(next).padStart(4, '0')}`;
}

let bankReferenceSerial = 0;
let invoiceSerial = 0;

function habitOf(customerId: number): PayerHabit {
  // Fixed per customer: a customer that pays late pays late on every contract.
  return payerHabits.draw(new Random(customerId * 7_919));
}

export function writeFulfilment(context: GenerationContext, random: Random, contract: ContractDocument, signed: boolean): void {
  const plans = writeInstallments(context, random, contract, signed);
  if (!signed) return;

  const events: LedgerEvent[] = [];
  writeShipmentsAndReturns(context, random, contract, events);

  // Payment intentions per plan by the customer's habit; payments dated after the dataset's end did not happen.
  const habit = habitOf(contract.customerId);
  for (const plan of plans) {
    if (habit === 'prompt') events.push({ day: plan.dueDay + random.int(-5, 5), kind: 'payment', plan, share: 'rest' });
    else if (habit === 'slow') events.push({ day: plan.dueDay + random.int(10, 90), kind: 'payment', plan, share: 'rest' });
    else if (habit === 'partial') {
      events.push({ day: plan.dueDay + random.int(0, 40), kind: 'payment', plan, share: random.int(30, 80) / 100 });
      if (random.chance(0.6)) events.push({ day: plan.dueDay + random.int(60, 200), kind: 'payment', plan, share: 'rest' });
    } else if (random.chance(0.3)) {
      events.push({ day: plan.dueDay + random.int(30, 120), kind: 'payment', plan, share: random.int(20, 60) / 100 });
    }
  }
  events.sort((a, b) => a.day - b.day);

  for (const event of events) {
    if (event.day >= context.asOfDay) break;
    if (event.kind === 'return') creditReturn(context, plans, event.returnOrderId, event.netFen, event.day);
    else recordPayment(context, contract, event.plan, event.share, event.day);
  }

  for (const plan of plans) {
    const status = planStatusOf(plan.amountFen, plan.allocatedFen);
    const overdueDays = status === 'received' ? 0 : context.asOfDay - plan.dueDay;
    context.insert('payment_plan', {
      id: plan.id,
      customer_id: contract.customerId,
      contract_id: contract.id,
      consignment_settlement_id: null,
      seq: plan.seq,
      due_date: dateOf(plan.dueDay),
      amount_fen: plan.amountFen,
      allocated_fen: plan.allocatedFen,
      status,
      // The daily overdue job has already sent the notices of every threshold passed.
      overdue_notified_days: notifiedThreshold(overdueDays),
      created_at: instantAt(contract.signedDay, 18 * 60),
    });
  }
  flushAllocations(context);
}

/** Returns the highest default overdue threshold (1, 7 or 30 days) a plan this many days overdue has passed. */
function notifiedThreshold(overdueDays: number): number {
  for (const threshold of [30, 7, 1]) if (overdueDays >= threshold) return threshold;
  return 0;
}

function writeInstallments(context: GenerationContext, random: Random, contract: ContractDocument, signed: boolean): PlanState[] {
  const count = installmentCounts.draw(random);
  const base = Math.floor(contract.totalNetFen / count);
  const plans: PlanState[] = [];
  for (let seq = 1; seq <= count; seq += 1) {
    const amountFen = seq === count ? contract.totalNetFen - base * (count - 1) : base;
    if (amountFen <= 0) continue;
    const dueDay = contract.signedDay + (count === 1 ? random.int(30, 90) : seq * 30);
    context.insert('contract_installment', { id: context.nextId('contract_installment'), contract_id: contract.id, seq, due_date: dateOf(dueDay), amount_fen: amountFen, percent_bp: null, note: '' });
    if (signed) plans.push({ id: context.nextId('payment_plan'), seq, dueDay, amountFen, allocatedFen: 0 });
  }
  return plans;
}

function writeShipmentsAndReturns(context: GenerationContext, random: Random, contract: ContractDocument, events: LedgerEvent[]): void {
  const { catalog, customers } = context;
  const firstDay = contract.signedDay + random.int(3, 15);
  if (firstDay >= context.asOfDay) return;
  // A third of the contracts ship in two parts.
  const split = contract.lines.length > 3 && random.chance(0.33);
  const parts = split ? [contract.lines.slice(0, Math.ceil(contract.lines.length / 2)), contract.lines.slice(Math.ceil(contract.lines.length / 2))] : [contract.lines];
  const returnRate = customers.returnRateBp[contract.customerId]! / 10_000;

  for (const [partIndex, lines] of parts.entries()) {
    const shippedDay = firstDay + partIndex * random.int(10, 40);
    if (shippedDay >= context.asOfDay) break;
    const shipmentId = context.nextId('shipment');
    const number = documentNumber('FH', shippedDay);

    // Returns come 30–150 days after shipping, at about the customer's rate of the shipped copies.
    const returnDay = shippedDay + random.int(30, 150);
    // Rounded up or down at random in proportion to the fraction, so one or two copies still return at the expected rate.
    const returns = lines.map((line) => {
      if (returnDay >= context.asOfDay) return 0;
      const expected = line.quantity * returnRate * (0.5 + random.next());
      const whole = Math.floor(expected) + (random.next() < expected - Math.floor(expected) ? 1 : 0);
      return Math.min(line.quantity, whole);
    });

    let listFen = 0;
    let netFen = 0;
    let quantity = 0;
    for (const line of lines) {
      listFen += line.listAmountFen;
      netFen += line.netAmountFen;
      quantity += line.quantity;
    }
    context.insert('shipment', {
      id: shipmentId,
      number,
      customer_id: contract.customerId,
      contract_id: contract.id,
      shipped_date: dateOf(shippedDay),
      terms: 'sale',
      list_amount_fen: listFen,
      net_amount_fen: netFen,
      total_quantity: quantity,
      source: 'import',
      note: null,
      created_by: context.org.financeClerkId,
      created_at: instantAt(shippedDay, 17 * 60),
    });
    const shipmentLineIds: number[] = [];
    for (const [index, line] of lines.entries()) {
      const lineId = context.nextId('shipment_line');
      shipmentLineIds.push(lineId);
      context.insert('shipment_line', {
        id: lineId,
        shipment_id: shipmentId,
        line_no: index + 1,
        isbn: catalog.isbn[line.bookId],
        title: catalog.title[line.bookId],
        quantity: line.quantity,
        list_price_fen: line.listPriceFen,
        discount: line.discount,
        list_amount_fen: line.listAmountFen,
        net_amount_fen: line.netAmountFen,
        settled_quantity: 0,
        returned_quantity: returns[index],
      });
    }
    writeLedger(context, contract.customerId, 'shipment', shipmentId, number, shippedDay, netFen, listFen, `发货 ${contract.number}`);

    const returnedCopies = returns.reduce((sum, value) => sum + value, 0);
    if (returnedCopies === 0) continue;
    const returnId = context.nextId('return_order');
    const returnNumber = documentNumber('TH', returnDay);
    let returnList = 0;
    let returnNet = 0;
    const returnLines: Record<string, unknown>[] = [];
    for (const [index, line] of lines.entries()) {
      const copies = returns[index]!;
      if (copies === 0) continue;
      const lineList = listAmount(line.listPriceFen, copies);
      const lineNet = netAmount(line.listPriceFen, copies, line.discount);
      returnList += lineList;
      returnNet += lineNet;
      returnLines.push({
        id: context.nextId('return_order_line'),
        return_order_id: returnId,
        line_no: returnLines.length + 1,
        isbn: catalog.isbn[line.bookId],
        title: catalog.title[line.bookId],
        quantity: copies,
        list_price_fen: line.listPriceFen,
        discount: line.discount,
        list_amount_fen: lineList,
        net_amount_fen: lineNet,
      });
    }
    pendingReturns.set(returnId, {
      id: returnId,
      number: returnNumber,
      customer_id: contract.customerId,
      contract_id: contract.id,
      shipment_id: shipmentId,
      return_date: dateOf(returnDay),
      terms: 'sale',
      list_amount_fen: returnList,
      net_amount_fen: returnNet,
      total_quantity: returnedCopies,
      credited_fen: 0,
      status: 'confirmed',
      approval_id: null,
      reason: random.pick(returnReasons),
      source: 'import',
      created_by: contract.ownerId,
      created_at: instantAt(returnDay, 15 * 60),
      confirmed_at: instantAt(returnDay, 16 * 60),
    });
    pendingReturnLines.set(returnId, returnLines);
    writeLedger(context, contract.customerId, 'return', returnId, returnNumber, returnDay, -returnNet, returnList, `退货 ${contract.number}`);
    events.push({ day: returnDay, kind: 'return', returnOrderId: returnId, netFen: returnNet });
    context.insert('customer_timeline', {
      customer_id: contract.customerId,
      kind: 'return',
      ref_type: 'return_order',
      ref_id: String(returnId),
      title: `退货 ${returnNumber}`,
      summary: null,
      actor_user_id: contract.ownerId,
      occurred_at: instantAt(returnDay, 16 * 60),
      dedup_key: null,
      created_at: instantAt(returnDay, 16 * 60),
    });
  }
}

/** Returns are written once their credit is known, which needs the plans' balances at the return date. */
const pendingReturns = new Map<number, Record<string, unknown>>();
const pendingReturnLines = new Map<number, Record<string, unknown>[]>();
const pendingAllocations: Record<string, unknown>[] = [];

/** A return credits the contract's open plans, latest due first, up to what is still unpaid. */
function creditReturn(context: GenerationContext, plans: PlanState[], returnOrderId: number, netFen: number, day: number): void {
  let left = netFen;
  for (const plan of [...plans].sort((a, b) => b.dueDay - a.dueDay)) {
    if (left === 0) break;
    const open = plan.amountFen - plan.allocatedFen;
    if (open <= 0) continue;
    const credit = Math.min(open, left);
    plan.allocatedFen += credit;
    left -= credit;
    pendingAllocations.push({ plan_id: plan.id, receipt_id: null, return_order_id: returnOrderId, amount_fen: credit, method: 'return_credit', created_by: null, created_at: instantAt(day, 16 * 60), reversed_at: null, reversed_by: null });
  }
  const row = pendingReturns.get(returnOrderId);
  if (row) row.credited_fen = netFen - left;
  void context;
}

function recordPayment(context: GenerationContext, contract: ContractDocument, plan: PlanState, share: number | 'rest', day: number): void {
  const open = plan.amountFen - plan.allocatedFen;
  const amount = share === 'rest' ? open : Math.min(open, Math.round(plan.amountFen * share));
  if (amount <= 0) return;

  const receiptId = context.nextId('receipt');
  const number = documentNumber('HK', day);
  const receivedAt = instantAt(day, 14 * 60);
  context.insert('receipt', {
    id: receiptId,
    number,
    customer_id: contract.customerId,
    received_date: dateOf(day),
    amount_fen: amount,
    allocated_fen: amount,
    payer_name: context.customers.name[contract.customerId],
    method: 'bank_transfer',
    bank_reference: `BR${dateOf(day).replaceAll('-', '')}${String(++bankReferenceSerial).padStart(9, '0')}`,
    note: null,
    source: 'bank_import',
    status: 'active',
    created_by: context.org.financeClerkId,
    created_at: receivedAt,
    reversed_at: null,
    reversed_by: null,
    reversal_reason: null,
  });

  plan.allocatedFen += amount;
  pendingAllocations.push({ plan_id: plan.id, receipt_id: receiptId, return_order_id: null, amount_fen: amount, method: 'auto', created_by: context.org.financeClerkId, created_at: receivedAt, reversed_at: null, reversed_by: null });
  writeLedger(context, contract.customerId, 'receipt', receiptId, number, day, -amount, null, `回款 ${contract.number}`);

  context.insert('customer_timeline', {
    customer_id: contract.customerId,
    kind: 'receipt',
    ref_type: 'receipt',
    ref_id: String(receiptId),
    title: `回款 ${(amount / 100).toFixed(2)} 元`,
    summary: contract.number,
    actor_user_id: context.org.financeClerkId,
    occurred_at: receivedAt,
    dedup_key: null,
    created_at: receivedAt,
  });

  if (amount === open && plan.seq === 1 && invoiceSerial % 2 === 0) writeInvoice(context, contract, amount, day);
  invoiceSerial += 1;
}

/** Writes an issued 数电票 for a paid first installment: request, invoice and one line at the 9 % book rate. */
function writeInvoice(context: GenerationContext, contract: ContractDocument, amount: number, day: number): void {
  const requestId = context.nextId('invoice_request');
  const at = instantAt(day - 5, 10 * 60);
  context.insert('invoice_request', {
    id: requestId,
    number: documentNumber('KP', day - 5),
    contract_id: contract.id,
    customer_id: contract.customerId,
    buyer_name: context.customers.name[contract.customerId],
    tax_id: context.customers.creditCode[contract.customerId] ?? '',
    address_phone: '',
    bank_account: '',
    amount_fen: amount,
    issued_fen: amount,
    different_buyer_confirmed: 0,
    status: 'issued',
    approval_id: null,
    note: null,
    requested_by: contract.ownerId,
    created_at: at,
    decided_at: at,
  });
  const taxFen = Math.round((amount * 900) / 10_900);
  const invoiceId = context.nextId('invoice');
  const year = dateOf(day).slice(2, 4);
  context.insert('invoice', {
    id: invoiceId,
    invoice_request_id: requestId,
    contract_id: contract.id,
    customer_id: contract.customerId,
    kind: 'blue',
    invoice_code: '',
    invoice_number: `${year}322${String(invoiceId).padStart(15, '0')}`,
    issue_date: dateOf(day - 4),
    amount_fen: amount,
    tax_fen: taxFen,
    reverses_invoice_id: null,
    reversed_fen: 0,
    recorded_by: context.org.financeClerkId,
    created_at: instantAt(day - 4, 11 * 60),
  });
  context.insert('invoice_line', { id: context.nextId('invoice_line'), invoice_id: invoiceId, line_no: 1, description: '*图书*图书', amount_fen: amount, tax_rate_bp: 900, tax_fen: taxFen });
}

/** Writes the returns and allocations of the contract just processed, now that credits are known. */
function flushAllocations(context: GenerationContext): void {
  for (const [id, row] of pendingReturns) {
    context.insert('return_order', row);
    for (const line of pendingReturnLines.get(id) ?? []) context.insert('return_order_line', line);
  }
  pendingReturns.clear();
  pendingReturnLines.clear();
  for (const allocation of pendingAllocations) context.insert('allocation', { id: context.nextId('allocation'), ...allocation });
  pendingAllocations.length = 0;
}

function writeLedger(context: GenerationContext, customerId: number, kind: string, sourceId: number, documentNumberText: string, day: number, amountFen: number, listAmountFen: number | null, description: string): void {
  context.insert('receivable_entry', {
    id: context.nextId('receivable_entry'),
    customer_id: customerId,
    kind,
    source_id: sourceId,
    document_number: documentNumberText,
    entry_date: dateOf(day),
    posting_month: monthOf(day),
    amount_fen: amountFen,
    list_amount_fen: listAmountFen,
    description,
    created_at: instantAt(day, 18 * 60),
  });
}

/**
 * The statement's worst case: one large online customer with `statementStressLines` ledger lines in the
 * month before the dataset's date, mostly small daily shipments (one title each, as a platform's
 * warehouse orders them) and a receipt for every tenth. Returns the customer id and the month.
 */
export function generateStatementStress(context: GenerationContext): { customerId: number; month: string; lines: number } | null {
  const random = context.random.fork(17);
  const { customers, catalog } = context;
  let customerId = 0;
  for (let id = 1; id <= customers.count && customerId === 0; id += 1) {
    if (customers.buyer[id] === 1 && customers.ownerId[id] !== 0 && customers.type[id] === 0) customerId = id;
  }
  for (let id = 1; id <= customers.count && customerId === 0; id += 1) if (customers.buyer[id] === 1 && customers.ownerId[id] !== 0) customerId = id;
  if (customerId === 0) return null;

  const monthStartDay = Math.round(Date.parse(`${monthOf(context.asOfDay - 31)}-01T00:00:00Z`) / 86_400_000);
  const days = Math.round(Date.parse(`${monthOf(monthStartDay + 32)}-01T00:00:00Z`) / 86_400_000) - monthStartDay;
  const discount = customers.defaultDiscount[customerId]!;
  let written = 0;
  while (written < context.profile.statementStressLines) {
    const day = monthStartDay + random.int(0, days - 1);
    if (written % 10 === 9) {
      const receiptId = context.nextId('receipt');
      const number = documentNumber('HK', day);
      const amount = random.int(500, 20_000) * 100;
      context.insert('receipt', {
        id: receiptId,
        number,
        customer_id: customerId,
        received_date: dateOf(day),
        amount_fen: amount,
        allocated_fen: 0,
        payer_name: customers.name[customerId],
        method: 'bank_transfer',
        bank_reference: `BR${dateOf(day).replaceAll('-', '')}${String(++bankReferenceSerial).padStart(9, '0')}`,
        note: '平台周结回款',
        source: 'bank_import',
        status: 'active',
        created_by: context.org.financeClerkId,
        created_at: instantAt(day, 14 * 60),
        reversed_at: null,
        reversed_by: null,
        reversal_reason: null,
      });
      writeLedger(context, customerId, 'receipt', receiptId, number, day, -amount, null, '平台周结回款');
    } else {
      const bookId = random.int(1, catalog.count);
      const quantity = random.int(1, 40);
      const listPriceFen = catalog.listPriceFen[bookId]!;
      const listFen = listAmount(listPriceFen, quantity);
      const netFen = netAmount(listPriceFen, quantity, discount);
      const shipmentId = context.nextId('shipment');
      const number = documentNumber('FH', day);
      context.insert('shipment', {
        id: shipmentId,
        number,
        customer_id: customerId,
        contract_id: null,
        shipped_date: dateOf(day),
        terms: 'sale',
        list_amount_fen: listFen,
        net_amount_fen: netFen,
        total_quantity: quantity,
        source: 'import',
        note: '平台仓补货',
        created_by: context.org.financeClerkId,
        created_at: instantAt(day, 17 * 60),
      });
      context.insert('shipment_line', {
        id: context.nextId('shipment_line'),
        shipment_id: shipmentId,
        line_no: 1,
        isbn: catalog.isbn[bookId],
        title: catalog.title[bookId],
        quantity,
        list_price_fen: listPriceFen,
        discount,
        list_amount_fen: listFen,
        net_amount_fen: netFen,
        settled_quantity: 0,
        returned_quantity: 0,
      });
      writeLedger(context, customerId, 'shipment', shipmentId, number, day, netFen, listFen, '平台仓补货');
    }
    written += 1;
  }
  return { customerId, month: monthOf(monthStartDay), lines: written };
}
