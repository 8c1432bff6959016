import type { ReceiptImportReport } from '@shared/api/receivable.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { badRequest } from '../../http/app-error.js';
import { autoAllocateReceipt } from './allocation.service.js';
import { findReceiptsByBankReference } from './receipt.repository.js';
import { insertReceiptWithEntries, type ReceiptContext } from './receipt.service.js';
import { assertFinance } from './receivable-access.js';
import { findCustomersByName, findReceivableCustomer, type ReceivableCustomer } from './receivable-scope.js';
import { parseAmountText, parseDateText, readSheetTable } from './spreadsheet.js';

/** Column names seen in Chinese online-banking exports, first one shown in messages. */
const bankStatementColumns = {
  date: ['交易日期', '入账日期', '记账日期', '交易时间', '日期'],
  credit: ['贷方金额', '收入金额', '贷方发生额', '收入', '收款金额', '金额'],
  payer: ['对方户名', '付款人名称', '对方账户名称', '付款人', '付款方', '对方单位'],
  reference: ['交易流水号', '流水号', '银行流水号', '交易参考号', '凭证号', '业务流水号'],
  note: ['摘要', '用途', '附言', '备注', '交易摘要'],
  customer: ['客户', '客户名称'],
} as const;

type Field = keyof typeof bankStatementColumns;
type ImportRow = ReceiptImportReport['rows'][number];

const maxRows = 5000;

interface PlannedReceipt {
  row: ImportRow;
  customer: ReceivableCustomer;
  receivedDate: string;
  amountFen: number;
  payerName: string;
  bankReference: string;
  note: string | null;
}

/**
 * Imports receipts from a bank statement export (.xlsx or .csv). A dry run reports every row (new,
 * duplicate, skipped or error) and writes nothing; the real run writes the new rows in one transaction
 * and allocates each oldest due first. A row whose bank reference is already recorded, or repeated in
 * the file, is a duplicate and is never imported twice.
 */
export async function importBankStatement(db: Db, actor: Actor, file: { buffer: Buffer; fileName: string }, options: { dryRun: boolean } & ReceiptContext): Promise<ReceiptImportReport> {
  assertFinance(actor, '导入银行流水');
  const table = await readSheetTable<Field>(file.buffer, file.fileName, bankStatementColumns, ['date', 'credit', 'payer']);
  if (table.rows.length > maxRows) throw badRequest('import_too_many_rows', `一次最多导入 ${maxRows} 行，文件有 ${table.rows.length} 行：请按月份拆分`);

  const references = table.rows.map((row) => row.cells.reference ?? '').filter((reference) => reference !== '');
  const known = await findReceiptsByBankReference(db, references);
  const seenInFile = new Set<string>();
  const customerCache = new Map<string, ReceivableCustomer | string>();

  const rows: ImportRow[] = [];
  const planned: PlannedReceipt[] = [];
  for (const { rowNumber, cells } of table.rows) {
    const outcome = await checkRow(db, rowNumber, cells, { known, seenInFile, customerCache });
    rows.push(outcome.row);
    if (outcome.planned) planned.push(outcome.planned);
  }

  if (!options.dryRun && planned.length > 0) {
    await db.transaction().execute(async (trx) => {
      for (const item of planned) {
        const { receiptId } = await insertReceiptWithEntries(
          trx,
          actor.id,
          item.customer,
          { receivedDate: item.receivedDate, amountFen: item.amountFen, payerName: item.payerName, method: 'bank_transfer', bankReference: item.bankReference, note: item.note, source: 'bank_import' },
          options,
        );
        await autoAllocateReceipt(trx, { receiptId, actorUserId: actor.id, now: options.now });
      }
    });
  }

  const count = (status: ImportRow['status']) => rows.filter((row) => row.status === status).length;
  return {
    dryRun: options.dryRun,
    total: rows.length,
    created: options.dryRun ? 0 : planned.length,
    duplicates: count('duplicate'),
    skipped: count('skipped'),
    errors: count('error'),
    amountFen: planned.reduce((sum, item) => sum + item.amountFen, 0),
    rows,
  };
}

async function checkRow(
  db: Db,
  rowNumber: number,
  cells: Record<string, string>,
  state: { known: Set<string>; seenInFile: Set<string>; customerCache: Map<string, ReceivableCustomer | string> },
): Promise<{ row: ImportRow; planned?: PlannedReceipt }> {
  const payerName = cells.payer ?? '';
  const bankReference = cells.reference ?? '';
  const base: ImportRow = { row: rowNumber, status: 'error', receivedDate: null, amountFen: null, payerName: payerName || null, bankReference: bankReference || null, customer: null, message: null };
  const fail = (message: string) => ({ row: { ...base, message } });

  const amountFen = parseAmountText(cells.credit ?? '');
  if (amountFen === undefined) return fail(`金额“${cells.credit}”无法识别：应为数字，最多两位小数`);
  if (amountFen === null) return { row: { ...base, status: 'skipped' as const, message: '不是收款（贷方金额为空），已跳过' } };
  if (amountFen < 0) return { row: { ...base, status: 'skipped' as const, message: '金额为负（支出），已跳过' } };

  const receivedDate = parseDateText(cells.date ?? '');
  if (!receivedDate) return fail(`日期“${cells.date ?? ''}”无法识别：请写成 2026-01-05 的格式`);
  if (!payerName) return fail('缺少付款方（对方户名）');
  if (!bankReference) return fail('缺少银行流水号：没有流水号无法防止重复导入，请在银行导出时勾选流水号列');

  const checked = { ...base, receivedDate, amountFen };
  if (state.known.has(bankReference)) return { row: { ...checked, status: 'duplicate' as const, message: '该流水号已登记过回款' } };
  if (state.seenInFile.has(bankReference)) return { row: { ...checked, status: 'duplicate' as const, message: '文件中该流水号重复出现' } };
  state.seenInFile.add(bankReference);

  const customer = await resolveCustomer(db, cells.customer || payerName, state.customerCache);
  if (typeof customer === 'string') return { row: { ...checked, message: customer } };

  const row: ImportRow = { ...checked, status: 'new', customer: { id: customer.id, name: customer.name }, message: null };
  return { row, planned: { row, customer, receivedDate, amountFen, payerName, bankReference, note: cells.note || null } };
}

async function resolveCustomer(db: Db, name: string, cache: Map<string, ReceivableCustomer | string>): Promise<ReceivableCustomer | string> {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;

  const matches = await findCustomersByName(db, name);
  let result: ReceivableCustomer | string;
  if (matches.length === 0) result = `没有名为“${name}”的客户：请在“客户名称”列填写系统中的客户全称后重新导入`;
  else if (matches.length > 1) result = `“${name}”对应多个客户：请在“客户名称”列填写客户全称`;
  else result = (await findReceivableCustomer(db, matches[0]!.id)) ?? `客户“${name}”不存在`;
  cache.set(name, result);
  return result;
}
