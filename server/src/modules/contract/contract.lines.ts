import type { ContractInput, ContractLineInput } from '@shared/api/contract.js';
import { allocateInstallments } from '@shared/contract-rules.js';
import { parseIsbn } from '@shared/isbn.js';
import { formatYuan, lineAmounts } from '@shared/money.js';
import type { DbExecutor } from '../../db/database.js';
import { badRequest } from '../../http/app-error.js';
import { canonicalJson, sha256Hex } from '../../lib/hash.js';
import { getBookOrThrow } from '../book/book.service.js';
import { getDiscountAgreement } from '../customer/customer.service.js';
import type { ContractInstallmentRow, ContractLineRow } from './contract.repository.js';

export type LineValues = Omit<ContractLineRow, 'id' | 'contract_id'>;
export type InstallmentValues = Omit<ContractInstallmentRow, 'id' | 'contract_id'>;

/**
 * Prices the lines with the shared money rules. A catalog line takes title, ISBN and 定价 from the
 * catalog; its floor is the customer's discount agreement for the book's series or category, and a
 * discount below the floor marks the line as a special discount that needs approval.
 */
export async function buildContractLines(db: DbExecutor, customerId: number, inputs: readonly ContractLineInput[], today: string): Promise<LineValues[]> {
  const lines: LineValues[] = [];
  for (const [index, input] of inputs.entries()) {
    const seq = index + 1;
    const book = input.bookId === null ? undefined : await getBookOrThrow(db, input.bookId);
    const isbn = book?.isbn ?? normaliseIsbn(input.isbn, seq);
    const listPriceFen = book?.listPriceFen ?? input.listPriceFen!;
    const agreement = await getDiscountAgreement(db, customerId, { category: book?.category ?? null, series: book?.series ?? null }, today);
    const floorDiscount = agreement?.floorDiscount ?? null;
    const amounts = lineAmounts({ listPriceFen, quantity: input.quantity, discount: input.discount });

    lines.push({
      seq,
      book_id: book?.id ?? null,
      isbn,
      title: book?.title ?? input.title!,
      list_price_fen: listPriceFen,
      quantity: input.quantity,
      discount: input.discount,
      floor_discount: floorDiscount,
      is_special_discount: floorDiscount !== null && input.discount < floorDiscount ? 1 : 0,
      list_amount_fen: amounts.listAmountFen,
      net_amount_fen: amounts.netAmountFen,
    });
  }
  return lines;
}

function normaliseIsbn(text: string | null, seq: number): string | null {
  if (!text) return null;
  const parsed = parseIsbn(text);
  if (!parsed.ok) throw badRequest('isbn_invalid', `第 ${seq} 行的 ISBN“${text}”不正确，请检查后重新填写或留空`, [{ field: `lines.${seq - 1}.isbn`, message: 'ISBN 不正确' }]);
  return parsed.isbn13;
}

export interface ContractTotals {
  totalListFen: number;
  totalNetFen: number;
  totalQuantity: number;
  hasSpecialDiscount: boolean;
}

/** Totals are sums of the per-line amounts, never a discount applied to a total. */
export function sumContractLines(lines: readonly LineValues[]): ContractTotals {
  return {
    totalListFen: lines.reduce((total, line) => total + line.list_amount_fen, 0),
    totalNetFen: lines.reduce((total, line) => total + line.net_amount_fen, 0),
    totalQuantity: lines.reduce((total, line) => total + line.quantity, 0),
    hasSpecialDiscount: lines.some((line) => line.is_special_discount === 1),
  };
}

/** Installment amounts that add up exactly to the contract's 实洋, or 400 naming the difference. */
export function buildInstallments(totalNetFen: number, inputs: ContractInput['installments']): InstallmentValues[] {
  const allocation = allocateInstallments(totalNetFen, inputs, formatYuan);
  if (!allocation.ok) throw badRequest(allocation.code, allocation.message, [{ field: 'installments', message: allocation.message }]);
  return inputs.map((input, index) => ({
    seq: index + 1,
    due_date: input.dueDate,
    amount_fen: allocation.amountsFen[index]!,
    percent_bp: input.percentBp,
    note: input.note,
  }));
}

export interface HashableContract {
  number: string;
  customer_id: number;
  type: string;
  title: string;
  start_date: string | null;
  end_date: string | null;
  delivery_terms: string;
  notes: string;
  opportunity_id: number | null;
  project_id: number | null;
  total_list_fen: number;
  total_net_fen: number;
}

/**
 * The hash of everything approvers approve: header, lines, installments and the files of the contract
 * text and appendices (by content hash). The scan of the signed copy is left out: it is uploaded after
 * sealing and changes nothing that was approved.
 */
export function contractContentHash(
  contract: HashableContract,
  lines: readonly Pick<LineValues, 'seq' | 'book_id' | 'isbn' | 'title' | 'list_price_fen' | 'quantity' | 'discount' | 'net_amount_fen'>[],
  installments: readonly Pick<InstallmentValues, 'seq' | 'due_date' | 'amount_fen'>[],
  files: readonly { kind: string; sha256: string; file_name: string }[],
): string {
  return sha256Hex(
    canonicalJson({
      number: contract.number,
      customerId: contract.customer_id,
      type: contract.type,
      title: contract.title,
      startDate: contract.start_date,
      endDate: contract.end_date,
      deliveryTerms: contract.delivery_terms,
      notes: contract.notes,
      opportunityId: contract.opportunity_id,
      projectId: contract.project_id,
      totalListFen: contract.total_list_fen,
      totalNetFen: contract.total_net_fen,
      lines: lines.map((line) => ({
        seq: line.seq,
        bookId: line.book_id,
        isbn: line.isbn,
        title: line.title,
        listPriceFen: line.list_price_fen,
        quantity: line.quantity,
        discount: line.discount,
        netAmountFen: line.net_amount_fen,
      })),
      installments: installments.map((installment) => ({ seq: installment.seq, dueDate: installment.due_date, amountFen: installment.amount_fen })),
      files: files
        .filter((file) => file.kind !== 'signed_copy')
        .map((file) => ({ kind: file.kind, sha256: file.sha256, fileName: file.file_name })),
    }),
  );
}
