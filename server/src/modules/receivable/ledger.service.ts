import { ledgerSign, postingMonthFor, type LedgerEntryKind } from '@shared/receivable-rules.js';
import type { DbExecutor } from '../../db/database.js';
import { findLatestFrozenMonth, insertLedgerEntry } from './ledger.repository.js';

export interface LedgerPosting {
  customerId: number;
  kind: LedgerEntryKind;
  sourceId: number;
  documentNumber: string;
  entryDate: string;
  /** The document's own amount, positive; the sign comes from the kind. Adjustments pass it signed. */
  amountFen: number;
  listAmountFen?: number | null;
  description: string;
  now: Date;
}

/**
 * Books one document in the customer's ledger, in the month of its date unless that month's statement
 * has been sent, in which case the first month after the latest sent statement. Call inside the
 * document's transaction.
 */
export async function postLedgerEntry(db: DbExecutor, posting: LedgerPosting): Promise<number> {
  const latestFrozenMonth = await findLatestFrozenMonth(db, posting.customerId);
  const signedAmount = posting.kind === 'adjustment' ? posting.amountFen : ledgerSign(posting.kind) * posting.amountFen;
  const signedList = posting.listAmountFen === undefined || posting.listAmountFen === null ? null : ledgerSign(posting.kind) * posting.listAmountFen;
  return insertLedgerEntry(db, {
    customer_id: posting.customerId,
    kind: posting.kind,
    source_id: posting.sourceId,
    document_number: posting.documentNumber,
    entry_date: posting.entryDate,
    posting_month: postingMonthFor(posting.entryDate, latestFrozenMonth),
    amount_fen: signedAmount,
    list_amount_fen: signedList,
    description: posting.description,
    created_at: posting.now.toISOString(),
  });
}
